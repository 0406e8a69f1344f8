#!/usr/bin/env bash
# Installs everything a fresh Debian 12 machine lacks to build, test, benchmark and
# demo pg_dialer. Idempotent: when every package is present it installs nothing.
# Runs as root, or through sudo when not root.
set -euo pipefail

PACKAGES=(
  build-essential make cmake pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-contrib postgresql-client-15 libpq-dev
  postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl   # pgTAP + pg_prove
  postgresql-15-cron pgbouncer
  libphonenumber-dev libphonenumber8-java default-jdk-headless  # core + Java zone map source
  libgtest-dev                                                   # unit tests
  clang-14 libclang-rt-14-dev                                    # libFuzzer + sanitizers
  clang-format-14 clang-tidy-14
  debhelper                                                      # Debian package (debian/)
  linux-perf                                                     # scripts/perf-cycle.sh (a diagnostic)
)

# Prints the packages of PACKAGES that dpkg does not report as installed.
missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

# Node.js and the npm packages pinned for the typed client (clients/typescript/).
bash "$(dirname "$0")/install-node-deps.sh"

missing=$(missing_packages | tr '\n' ' ')
if [ -z "${missing// }" ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present, nothing to do"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing: $missing"
$SUDO apt-get update -qq
# Why: the postgresql-15 package would create and start a 'main' cluster on 5432;
# tests never use it, so stop its creation where possible (create_main_cluster=false).
if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
  $SUDO mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
echo "install-deps: done"
