#!/usr/bin/env bash
# Installs the Debian packages the real-component test tiers need: prometheus (and promtool),
# mariadb-server, lua5.4. Outside CI a package that cannot be installed only prints a line (its
# tests are then skipped); under CI=true it fails, because CI must prove every tier.
set -euo pipefail

need=()
command -v prometheus >/dev/null 2>&1 || [ -x /usr/bin/prometheus ] || need+=(prometheus)
[ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
command -v lua5.4 >/dev/null 2>&1 || need+=(lua5.4)

if [ ${#need[@]} -eq 0 ]; then
  echo "test-deps: prometheus, mariadb-server and lua5.4 are installed"
  exit 0
fi

start=$(date +%s)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/stagegate-apt.log 2>&1; then
    echo "test-deps: installed ${need[*]} in $(( $(date +%s) - start ))s"
    exit 0
  fi
  echo "test-deps: apt-get install ${need[*]} failed; see /tmp/stagegate-apt.log:" >&2
  tail -5 /tmp/stagegate-apt.log >&2 || true
else
  echo "test-deps: ${need[*]} missing and cannot be installed here (need root and apt-get)" >&2
fi
if [ "${CI:-}" = "true" ]; then
  echo "test-deps: CI=true requires ${need[*]}" >&2
  exit 1
fi
echo "test-deps: the tests that need ${need[*]} will be skipped"
