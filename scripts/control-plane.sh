#!/usr/bin/env bash
# Builds a real kube-apiserver and etcd from their Go modules and lays them out, together with
# kubectl, where io.fabric8:kube-api-test finds them without downloading anything:
#
#   ${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/<k8s version>-<goos>-<goarch>/{etcd,kube-apiserver,kubectl}
#
# Usage: scripts/control-plane.sh
#   STAGEGATE_K8S_VERSION   k8s.io/kubernetes release to build (default 1.34.4, no leading "v")
#   STAGEGATE_ETCD_VERSION  go.etcd.io/etcd/server/v3 release to build (default 3.6.16)
#   KUBE_API_TEST_DIR       kube-api-test's folder (default ~/.kubeapitest)
#   STAGEGATE_GO_CACHE      throwaway Go modules and built binaries
#                           (default ${XDG_CACHE_HOME:-~/.cache}/stagegate/control-plane)
#   STAGEGATE_TOOLS         where scripts/kube-tools.sh puts kubectl (default <repo>/.tools)
#
# Why build from source: the only networks reachable here are package registries, and the Go
# module proxy serves both projects. Nothing built lands in the repository.
# Idempotent: skips everything when the three binaries are already in place.
set -Eeuo pipefail

k8s_version="${STAGEGATE_K8S_VERSION:-1.34.4}"
etcd_version="${STAGEGATE_ETCD_VERSION:-3.6.16}"
k8s_version="${k8s_version#v}"
etcd_version="${etcd_version#v}"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${STAGEGATE_TOOLS:-$repo_root/.tools}"
cache="${STAGEGATE_GO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stagegate/control-plane}"
kube_api_test_dir="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"

step="(start)"
# Name the failing step once (errtrace also runs this trap inside command substitutions).
trap 'rc=$?; if [[ $BASH_SUBSHELL == 0 ]]; then echo "control-plane.sh: FAILED (exit $rc) at step: $step" >&2; fi' ERR

log() { echo "control-plane: $*"; }

# Runs one named step, printing how long it took; the ERR trap names it when it fails.
timed() {
  step="$1"; shift
  local started=$SECONDS
  "$@"
  log "$step took $((SECONDS - started))s"
}

if ! command -v go >/dev/null; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "control-plane.sh: CI=true and Go is missing: the apiserver test tier needs Go to build kube-apiserver and etcd" >&2
    exit 1
  fi
  echo "control-plane: Go is not installed, so the apiserver test tier will be skipped (install Go to run it)"
  exit 0
fi

# kube-api-test names folders <version><"-" + lower-cased os.name + "-" + amd64|arm64|ppc64le>.
platform="$(go env GOOS)-$(go env GOARCH)"
dest="$kube_api_test_dir/k8s/$k8s_version-$platform"

if [[ -x "$dest/etcd" && -x "$dest/kube-apiserver" && -x "$dest/kubectl" ]]; then
  log "already present in $dest (kube-apiserver $("$dest/kube-apiserver" --version 2>/dev/null | awk '{print $2}'), etcd $("$dest/etcd" --version 2>/dev/null | awk '/etcd Version/{print $3}'))"
  exit 0
fi

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

# Writes a throwaway module in $1 that requires module $2 at version $3.
new_module() {
  local dir="$1" module="$2" version="$3"
  rm -rf "$dir"
  mkdir -p "$dir"
  (cd "$dir" && go mod init "stagegate.local/$(basename "$dir")" 2>/dev/null \
    && go mod edit -require="$module@v$version")
}

# k8s.io/kubernetes requires its staging modules (k8s.io/api, k8s.io/client-go, ...) at v0.0.0
# and replaces them with ./staging folders, which a dependent module cannot see. A dependent
# module must replace each one with the published v0.<minor>.<patch> tag, so read the list from
# the release's own go.mod rather than keeping a copy of it here.
pin_staging_modules() {
  local dir="$1" gomod staging_version godebug
  local info
  info="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@v$k8s_version")" || {
    echo "$info" >&2; return 1; }
  gomod="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p' <<<"$info")"
  [[ -f "$gomod" ]] || { echo "cannot find go.mod of k8s.io/kubernetes@v$k8s_version" >&2; return 1; }
  staging_version="v0.${k8s_version#1.}"
  local count=0
  while read -r module; do
    (cd "$dir" && go mod edit -replace="$module=$module@$staging_version")
    count=$((count + 1))
  done < <(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\) => \./staging/.*#\1#p' "$gomod")
  [[ $count -gt 0 ]] || { echo "no staging replace directives found in $gomod" >&2; return 1; }
  # Keep the runtime behaviour Kubernetes releases are built with (e.g. godebug default=go1.24).
  godebug="$(sed -n 's/^godebug[[:space:]]\+\(.*\)$/\1/p' "$gomod")"
  if [[ -n "$godebug" ]]; then
    (cd "$dir" && go mod edit -godebug="$godebug")
  fi
  log "pinned $count k8s.io staging modules to $staging_version"
}

build_apiserver() {
  local dir="$cache/kube-apiserver-$k8s_version" out="$cache/bin/$k8s_version-$platform/kube-apiserver"
  if [[ -x "$out" ]]; then
    log "kube-apiserver $k8s_version already built in $out"
    return
  fi
  timed "create module for k8s.io/kubernetes@v$k8s_version" new_module "$dir" k8s.io/kubernetes "$k8s_version"
  timed "pin k8s.io staging modules" pin_staging_modules "$dir"
  timed "download modules for kube-apiserver" \
    bash -c "cd '$dir' && nice -n 10 go get k8s.io/kubernetes/cmd/kube-apiserver@v$k8s_version"
  local minor="${k8s_version#1.}"; minor="${minor%%.*}"
  local ldflags="-s -w"
  ldflags+=" -X k8s.io/component-base/version.gitVersion=v$k8s_version"
  ldflags+=" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
  ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
  timed "build kube-apiserver $k8s_version" \
    bash -c "cd '$dir' && nice -n 10 go build -trimpath -ldflags '$ldflags' -o '$out.tmp' k8s.io/kubernetes/cmd/kube-apiserver"
  mv -f "$out.tmp" "$out"
}

build_etcd() {
  local dir="$cache/etcd-$etcd_version" out="$cache/bin/$k8s_version-$platform/etcd"
  if [[ -x "$out" ]]; then
    log "etcd $etcd_version already built in $out"
    return
  fi
  timed "create module for go.etcd.io/etcd/server/v3@v$etcd_version" \
    new_module "$dir" go.etcd.io/etcd/server/v3 "$etcd_version"
  timed "download modules for etcd" \
    bash -c "cd '$dir' && nice -n 10 go get go.etcd.io/etcd/server/v3@v$etcd_version"
  timed "build etcd $etcd_version" \
    bash -c "cd '$dir' && nice -n 10 go build -trimpath -ldflags '-s -w' -o '$out.tmp' go.etcd.io/etcd/server/v3"
  mv -f "$out.tmp" "$out"
}

mkdir -p "$cache/bin/$k8s_version-$platform"
build_apiserver
build_etcd

if [[ ! -x "$tools/bin/kubectl" ]]; then
  timed "fetch kubectl (scripts/kube-tools.sh)" "$repo_root/scripts/kube-tools.sh"
fi

# Fill a temporary folder and rename it: kube-api-test picks the newest folder under k8s/, so it
# must never see a half-filled one.
step="install binaries into $dest"
mkdir -p "$kube_api_test_dir/k8s"
staging="$(mktemp -d "$kube_api_test_dir/k8s/.partial.XXXXXX")"
chmod 0755 "$staging"
install -m 0755 "$cache/bin/$k8s_version-$platform/kube-apiserver" "$staging/kube-apiserver"
install -m 0755 "$cache/bin/$k8s_version-$platform/etcd" "$staging/etcd"
install -m 0755 "$tools/bin/kubectl" "$staging/kubectl"
rm -rf "$dest"
mv "$staging" "$dest"

step="run the installed binaries"
log "installed in $dest: $("$dest/kube-apiserver" --version), $("$dest/etcd" --version | head -n1), kubectl $("$dest/kubectl" version --client -o json | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -n1)"
