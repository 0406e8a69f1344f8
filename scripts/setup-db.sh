#!/usr/bin/env bash
# Creates a database in the running throwaway cluster the way a Supabase project is
# set up: the Supabase bootstrap (roles, auth schema), then supabase/migrations/ in
# order (they create the extension), or a plain CREATE EXTENSION when there are none.
#   scripts/setup-db.sh NAME [--tap]   --tap adds pgTAP and the PostgREST helper
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC1091
source "$ROOT/build/cluster.env"
db=$1
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
cd "$ROOT"
psql_db -f test/helpers/supabase_bootstrap.sql
migrations=$(ls supabase/migrations/*.sql 2>/dev/null | sort || true)
if [ -n "$migrations" ]; then
  for m in $migrations; do psql_db -1 -f "$m" >/dev/null; done
else
  psql_db -c "CREATE EXTENSION pg_dialer"
fi
if [ "${2:-}" = "--tap" ]; then
  psql_db -c "CREATE EXTENSION IF NOT EXISTS pgtap" -f test/helpers/postgrest_request.sql
fi
