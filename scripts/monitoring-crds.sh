#!/usr/bin/env bash
# Puts the Prometheus Operator's ServiceMonitor and PrometheusRule CRDs into .tools/monitoring-crds
# (or $STAGEGATE_TOOLS/monitoring-crds), so the chart's optional monitoring objects are installed
# into a real kube-apiserver and checked against the real schemas, not only rendered.
#
# Why the Go module proxy: it is the registry reachable here that serves the prometheus-operator
# repository's files; its module zip carries example/prometheus-operator-crd/*.yaml.
# Idempotent: does nothing when both files are present.
set -Eeuo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${STAGEGATE_TOOLS:-$repo_root/.tools}"
version="${PROMETHEUS_OPERATOR_VERSION:-v0.85.0}"
out="$tools/monitoring-crds"
files=(monitoring.coreos.com_servicemonitors.yaml monitoring.coreos.com_prometheusrules.yaml)

if [[ -f "$out/${files[0]}" && -f "$out/${files[1]}" ]]; then
  echo "monitoring-crds: already present in $out"
  exit 0
fi
command -v go >/dev/null || { echo "monitoring-crds.sh: go is required to fetch prometheus-operator $version" >&2; exit 1; }

start=$(date +%s)
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
# Outside any module, with a throw-away module cache: nothing of the user's Go setup is touched.
dir="$(cd "$work" && GOMODCACHE="$work/mod" GOFLAGS=-mod=mod go mod download -json \
  "github.com/prometheus-operator/prometheus-operator@$version" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
[[ -d "$dir/example/prometheus-operator-crd" ]] || {
  echo "monitoring-crds.sh: prometheus-operator $version has no example/prometheus-operator-crd" >&2; exit 1; }
mkdir -p "$out"
for f in "${files[@]}"; do
  install -m 0644 "$dir/example/prometheus-operator-crd/$f" "$out/$f"
done
echo "$version" > "$out/VERSION"
echo "monitoring-crds: prometheus-operator $version CRDs in $out ($(( $(date +%s) - start ))s)"
