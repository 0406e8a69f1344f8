#!/usr/bin/env bash
# `make demo`, the main job: builds pg_dialer, starts a throwaway cluster, sets a
# database up the way a Supabase project is (bootstrap + migrations), and runs the
# demo scenario in demo/. Always stops the cluster.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/throwaway-db.sh
source scripts/throwaway-db.sh
throwaway_db --deps dialer_demo
for step in demo/[0-9]*; do
  case "$step" in
    *.sql) psql -X -q -v ON_ERROR_STOP=1 -P pager=off -f "$step" ;;
    *.sh) bash "$step" ;;
  esac
done
