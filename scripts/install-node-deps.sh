#!/usr/bin/env bash
# Installs what the typed client (clients/typescript/) needs: Node.js and npm from
# Debian when the machine has neither command, then the npm packages pinned in
# clients/typescript/package-lock.json (npm ci: @supabase/postgres-meta, the type
# generator; @supabase/supabase-js and typescript for the example). Idempotent: when
# node_modules already holds this lockfile's packages it installs nothing, so the
# tests run offline after one install. Called by scripts/install-deps.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLIENT=$ROOT/clients/typescript
# Copy of the lockfile that node_modules was installed from (npm ci deletes node_modules first).
STAMP=$CLIENT/node_modules/.pg_dialer-package-lock.json

# Installs Debian's nodejs and npm when `node` or `npm` is missing (a Node.js from
# elsewhere that ships its own npm is kept: Debian's npm package would conflict with it).
ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-node-deps: installing Debian's nodejs and npm"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm
}

# Fails unless node is 18 or newer (Debian 12 ships 18; the pinned generator runs on it).
check_node_version() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 18 ] || { echo "install-node-deps: node $(node --version) is too old (18+ needed)" >&2; exit 1; }
}

ensure_node
check_node_version
if cmp -s "$CLIENT/package-lock.json" "$STAMP"; then
  echo "install-node-deps: npm packages of clients/typescript present, nothing to do"
  exit 0
fi
echo "install-node-deps: npm ci in clients/typescript (node $(node --version), npm $(npm --version))"
# --ignore-scripts: the only install script (Sentry's CPU profiler, a dependency of
# postgres-meta) would rebuild binaries the package already ships prebuilt; type
# generation runs with Sentry disabled (no SENTRY_DSN) and needs no network.
(cd "$CLIENT" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
cp "$CLIENT/package-lock.json" "$STAMP"
echo "install-node-deps: done"
