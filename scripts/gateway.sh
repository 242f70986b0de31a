#!/usr/bin/env bash
# Puts the real gateway of the traffic-routing tests and the demo on this machine:
#   - Traefik (default v3.6.12), built from its Go module, as $STAGEGATE_BIN/traefik-<version>
#     (default ~/.stagegate/bin): a Gateway API implementation run out of cluster against the test's
#     kube-apiserver;
#   - the Gateway API standard CRDs of the matching release (default v1.4.1), from the Go module
#     sigs.k8s.io/gateway-api (its zip carries config/crd/standard/*.yaml), into
#     ~/.stagegate/gateway-api-crds-<version> (or $STAGEGATE_GATEWAY_API_CRDS).
#
# Usage: scripts/gateway.sh
#   STAGEGATE_TRAEFIK_VERSION      Traefik release (default 3.6.12, no leading "v")
#   STAGEGATE_GATEWAY_API_VERSION  sigs.k8s.io/gateway-api release (default 1.4.1)
#   STAGEGATE_GO_CACHE             throwaway wrapper module (default ${XDG_CACHE_HOME:-~/.cache}/stagegate/gateway)
#
# Why a wrapper module: Traefik's go.mod has three `replace` directives (Containous forks) and one
# `exclude`, which only apply inside Traefik's own module. A module that requires Traefik copies them
# from the release's go.mod, as scripts/control-plane.sh does for kube-apiserver's staging modules.
# v3.7.x cannot be built this way (it needs a nested module the proxy does not serve).
# About 8 minutes and a 245 MB binary on 2 cores; idempotent: skips whatever is already in place.
# Under CI=true a missing Go fails, since CI must run the gateway tier.
set -Eeuo pipefail

traefik_version="${STAGEGATE_TRAEFIK_VERSION:-3.6.12}"; traefik_version="${traefik_version#v}"
api_version="${STAGEGATE_GATEWAY_API_VERSION:-1.4.1}"; api_version="${api_version#v}"
bin_dir="${STAGEGATE_BIN:-$HOME/.stagegate/bin}"
crds_dir="${STAGEGATE_GATEWAY_API_CRDS:-$HOME/.stagegate/gateway-api-crds-v$api_version}"
cache="${STAGEGATE_GO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stagegate/gateway}"
binary="$bin_dir/traefik-v$traefik_version"

step="(start)"
trap 'rc=$?; if [[ $BASH_SUBSHELL == 0 ]]; then echo "gateway.sh: FAILED (exit $rc) at step: $step" >&2; fi' ERR
log() { echo "gateway: $*"; }
timed() {
  step="$1"; shift
  local started=$SECONDS
  "$@"
  log "$step took $((SECONDS - started))s"
}

crds_present() {
  [[ -f "$crds_dir/gateway.networking.k8s.io_httproutes.yaml" && -f "$crds_dir/gateway.networking.k8s.io_gateways.yaml" ]]
}

if [[ -x "$binary" ]] && crds_present; then
  log "already present: $binary ($("$binary" version 2>/dev/null | awk '/^Version:/{print $2}')), CRDs in $crds_dir"
  exit 0
fi

if ! command -v go >/dev/null; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "gateway.sh: CI=true and Go is missing: the gateway test tier needs Go to build Traefik" >&2
    exit 1
  fi
  echo "gateway: Go is not installed, so the gateway test tier will be skipped (install Go to run it)"
  exit 0
fi

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

fetch_crds() {
  local work dir
  work="$(mktemp -d)"
  # Outside any module, with a throw-away module cache: nothing of the user's Go setup is touched.
  dir="$(cd "$work" && GOMODCACHE="$work/mod" go mod download -json "sigs.k8s.io/gateway-api@v$api_version" \
    | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  if [[ ! -d "$dir/config/crd/standard" ]]; then
    echo "sigs.k8s.io/gateway-api v$api_version has no config/crd/standard" >&2
    chmod -R u+w "$work"; rm -rf "$work"; return 1
  fi
  mkdir -p "$(dirname "$crds_dir")"
  local staging; staging="$(mktemp -d "$(dirname "$crds_dir")/.partial.XXXXXX")"
  install -m 0644 "$dir"/config/crd/standard/*.yaml "$staging/"
  echo "v$api_version" > "$staging/VERSION"
  chmod 0755 "$staging"
  rm -rf "$crds_dir"
  mv "$staging" "$crds_dir"
  chmod -R u+w "$work"; rm -rf "$work"
  log "Gateway API v$api_version CRDs in $crds_dir: $(cd "$crds_dir" && ls ./*.yaml | wc -l) files"
}

build_traefik() {
  local dir="$cache/traefik-$traefik_version" gomod
  rm -rf "$dir"; mkdir -p "$dir"
  (cd "$dir" && go mod init stagegate.local/traefik-wrapper 2>/dev/null \
    && go mod edit -require="github.com/traefik/traefik/v3@v$traefik_version")
  gomod="$(cd "$dir" && go mod download -json "github.com/traefik/traefik/v3@v$traefik_version" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$gomod" ]] || { echo "cannot find go.mod of traefik v$traefik_version" >&2; return 1; }
  # Copy the release's replace directives (block or single-line form) and its excludes.
  local count=0
  while read -r from to version; do
    (cd "$dir" && go mod edit -replace="$from=$to@$version")
    count=$((count + 1))
  done < <(awk '/^replace \($/{inb=1; next} inb && /^\)/{inb=0} inb && /=>/{print $1, $3, $4}
                /^replace [^(]/ && /=>/{print $2, $4, $5}' "$gomod")
  while read -r module version; do
    (cd "$dir" && go mod edit -exclude="$module@$version")
  done < <(awk '/^exclude [^(]/{print $2, $3}' "$gomod")
  log "copied $count replace directives from traefik v$traefik_version's go.mod"
  (cd "$dir" && nice -n 10 go get "github.com/traefik/traefik/v3/cmd/traefik@v$traefik_version")
  local ldflags="-s -w"
  ldflags+=" -X github.com/traefik/traefik/v3/pkg/version.Version=v$traefik_version"
  ldflags+=" -X github.com/traefik/traefik/v3/pkg/version.BuildDate=stagegate-gateway.sh"
  mkdir -p "$bin_dir"
  (cd "$dir" && nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$binary.tmp" github.com/traefik/traefik/v3/cmd/traefik)
  mv -f "$binary.tmp" "$binary"
  log "built $binary ($("$binary" version | awk '/^Version:/{print $2}'), $(du -m "$binary" | cut -f1) MB)"
}

crds_present || timed "fetch Gateway API v$api_version CRDs" fetch_crds
[[ -x "$binary" ]] || timed "build Traefik v$traefik_version" build_traefik
