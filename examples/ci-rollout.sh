#!/bin/sh
# A CI/CD step: apply a Release (or a DataMigration) and wait for its outcome with the kubectl plugin.
# Needs kubectl and kubectl-stagegate on PATH (docs/install.md, "The kubectl plugin").
#
#   examples/ci-rollout.sh examples/release.yaml 30m
#
# The job passes only when the rollout is Promoted (Succeeded); it fails on RolledBack/Failed and when
# the rollout has not finished within the timeout. The plugin never takes the outcome of the previous
# rollout for this one: until the operator has seen the applied spec, the status counts as not finished.
set -u
file=${1:?usage: ci-rollout.sh FILE.yaml [TIMEOUT, e.g. 30m]}
timeout=${2:-30m}

# kind/namespace/name of what was applied, e.g. Release/shop/checkout
applied=$(kubectl apply -f "$file" -o jsonpath='{.kind}/{.metadata.namespace}/{.metadata.name}') || exit 4
kind=${applied%%/*}
rest=${applied#*/}
namespace=${rest%%/*}
name=${rest#*/}

kubectl stagegate status "$kind/$name" -n "$namespace" --watch --timeout "$timeout"
code=$?
case $code in
  0) echo "ci-rollout: $kind $namespace/$name finished successfully" ;;
  1) echo "ci-rollout: $kind $namespace/$name was rolled back or failed; its checks and message are above" ;;
  3) echo "ci-rollout: $kind $namespace/$name did not finish within $timeout" ;;
  *) echo "ci-rollout: could not follow $kind $namespace/$name (exit $code)" ;;
esac
exit $code
