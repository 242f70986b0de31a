#!/usr/bin/env bash
# `make demo`: builds what the demo needs and runs it; arguments go to the demo, e.g.
#   scripts/demo.sh --keep          leave the sandbox running for kubectl, until Ctrl-C
#   scripts/demo.sh --headless      no colours (CI logs); exit code 0 only if all six scenarios end as expected
#   scripts/demo.sh --help          every option
# The real kube-apiserver + etcd are used when scripts/control-plane.sh has built them, the mock API server
# otherwise. Prometheus is Debian's: installed here when missing and possible.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -B -ntp}

have_prometheus() {
  [ -n "${PROMETHEUS_BINARY:-}" ] && [ -x "${PROMETHEUS_BINARY}" ] && return 0
  [ -x /usr/bin/prometheus ] || command -v prometheus >/dev/null 2>&1
}

if ! have_prometheus && [[ " $* " != *" --simulated-metrics "* ]]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "demo: installing Debian's prometheus (the checks query a real Prometheus)"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus; } >/tmp/stagegate-apt.log 2>&1; then
      echo "demo: apt-get install prometheus failed; see /tmp/stagegate-apt.log" >&2
    fi
  else
    echo "demo: Prometheus is missing and cannot be installed here (needs root and apt-get)." >&2
  fi
  # Still missing: the demo says so and stops; `make demo ARGS=--simulated-metrics` runs without it.
fi

if [ ! -x "$HOME/.kubeapitest/k8s/${STAGEGATE_K8S_VERSION:-1.34.4}-linux-amd64/kube-apiserver" ]; then
  echo "demo: no kube-apiserver/etcd built; using the mock API server (scripts/control-plane.sh builds the real ones)"
fi

echo "demo: building (mvn install, tests skipped)"
mkdir -p target
# Quiet unless it fails (Maven 3.8 writes colour resets even with -q -B).
if ! $MVN -q install -Dmaven.test.skip=true -pl demo -am >target/demo-build.log 2>&1; then
  cat target/demo-build.log >&2
  echo "demo: the build failed (log above, also in target/demo-build.log)" >&2
  exit 2
fi
exec java -jar demo/target/stagegate-demo.jar "$@"
