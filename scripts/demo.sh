#!/usr/bin/env bash
# `make demo`, the main job: builds pg_dialer, starts a throwaway cluster, sets a
# database up the way a Supabase project is (bootstrap + migrations), and runs the
# demo scenario in demo/. Always stops the cluster.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/install-deps.sh
make -s -j2 all tools >/dev/null
trap 'bash scripts/cluster.sh stop quiet' EXIT
bash scripts/cluster.sh start
# shellcheck disable=SC1091
source build/cluster.env
bash scripts/setup-db.sh dialer_demo
export PGDATABASE=dialer_demo
for step in demo/[0-9]*; do
  case "$step" in
    *.sql) psql -X -q -v ON_ERROR_STOP=1 -P pager=off -f "$step" ;;
    *.sh) bash "$step" ;;
  esac
done
