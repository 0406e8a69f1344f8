#!/usr/bin/env bash
# The update from 0.14.0 to 0.15.0 replaces the provider's call-id constraint of dialer.calls
# with the partial unique index calls_provider_call_idx (docs/upgrading.md, "What an update
# holds"). Here, from a database at 0.14.0 with calls that have provider ids and calls that
# have none: the plain update builds the index, keeps the calls and the key's uniqueness;
# an index built beforehand with CREATE UNIQUE INDEX CONCURRENTLY is kept (not built again);
# an index of that name that is another index, or an invalid one, stops the update with
# 55000 and changes nothing.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
# shellcheck disable=SC1091
source test/helpers/reliability.sh
T=$REL_T

# A database $1 with the Supabase bootstrap, pg_dialer 0.14.0 and 1,000 calls of tenant T,
# every other one with a provider call id.
make_db() {
  rel_make_db "$1" 0.14.0
  export PGDATABASE=$1
  q "INSERT INTO dialer.tenants (id, name) VALUES ('$T', 'T');
     INSERT INTO dialer.calls (tenant_id, direction, phone, status, provider, provider_call_id)
     SELECT '$T', 'inbound', '+12025550123', 'completed', 'retell',
            CASE WHEN g % 2 = 0 THEN 'call_' || g END
       FROM generate_series(1, 1000) g" >/dev/null
}

# The state the key should be in after the update: "version|valid|partial|constraint gone".
key_state() {
  q "SELECT (SELECT extversion FROM pg_extension WHERE extname = 'pg_dialer') || '|' ||
            i.indisvalid || '|' || (i.indpred IS NOT NULL) || '|' ||
            NOT EXISTS (SELECT 1 FROM pg_constraint
                         WHERE conname = 'calls_tenant_id_provider_provider_call_id_key')
       FROM pg_index i WHERE i.indexrelid = 'dialer.calls_provider_call_idx'::regclass"
}

# A duplicate provider call id ("23505") and a second call without one ("ok") after the update.
uniqueness() {
  local dup none
  dup=$(psql -X -q -At -c "INSERT INTO dialer.calls (tenant_id, direction, phone, status, provider, provider_call_id)
                           VALUES ('$T', 'inbound', '+12025550123', 'completed', 'retell', 'call_2')" 2>&1 |
        grep -c 'calls_provider_call_idx')
  none=$(q "INSERT INTO dialer.calls (tenant_id, direction, phone, status, provider)
            VALUES ('$T', 'inbound', '+12025550123', 'completed', 'retell') RETURNING 'ok'")
  echo "$dup|$none"
}

# 1. The plain update builds the index.
make_db dialer_provider_key_plain
q "ALTER EXTENSION pg_dialer UPDATE TO '0.15.0'" >/dev/null
tap_is "$(key_state)" "0.15.0|true|true|true" \
  "the update from 0.14.0 builds the partial unique index and drops the constraint"
tap_is "$(q "SELECT count(*) FROM dialer.calls")" "1000" "it keeps every call"
tap_is "$(uniqueness)" "1|ok" \
  "afterwards a provider call id again is refused by the index; a call without one is not"

# 2. An index built beforehand, concurrently, is kept.
make_db dialer_provider_key_prebuilt
q "CREATE UNIQUE INDEX CONCURRENTLY calls_provider_call_idx ON dialer.calls
     (tenant_id, provider, provider_call_id) WHERE provider_call_id IS NOT NULL" >/dev/null
before=$(q "SELECT 'dialer.calls_provider_call_idx'::regclass::oid")
q "ALTER EXTENSION pg_dialer UPDATE TO '0.15.0'" >/dev/null
tap_is "$(key_state)" "0.15.0|true|true|true" "an update after building the index beforehand completes"
tap_is "$(q "SELECT 'dialer.calls_provider_call_idx'::regclass::oid")" "$before" \
  "and keeps the index built beforehand instead of building it again"

# 3. Another index of that name stops the update; nothing changes.
make_db dialer_provider_key_other
q "CREATE INDEX calls_provider_call_idx ON dialer.calls (tenant_id, provider_call_id)" >/dev/null
err=$(psql -X -q -At -v VERBOSITY=verbose -c "ALTER EXTENSION pg_dialer UPDATE TO '0.15.0'" 2>&1)
tap_ok "$(grep -q '55000' <<<"$err" && grep -q 'not the one pg_dialer 0.15.0 makes' <<<"$err"; echo $?)" \
  "an update that finds another index of that name stops with 55000 naming it"
tap_is "$(q "SELECT extversion FROM pg_extension WHERE extname = 'pg_dialer'")|$(q "SELECT count(*) FROM pg_constraint
          WHERE conname = 'calls_tenant_id_provider_provider_call_id_key'")" "0.14.0|1" \
  "and changes nothing: still 0.14.0, the constraint still there"

# 4. An invalid index of that name (a concurrent build that failed on a duplicate) too.
make_db dialer_provider_key_invalid
q "ALTER TABLE dialer.calls DROP CONSTRAINT calls_tenant_id_provider_provider_call_id_key;
   INSERT INTO dialer.calls (tenant_id, direction, phone, status, provider, provider_call_id)
   VALUES ('$T', 'inbound', '+12025550123', 'completed', 'retell', 'call_2')" >/dev/null
psql -X -q -c "CREATE UNIQUE INDEX CONCURRENTLY calls_provider_call_idx ON dialer.calls
                 (tenant_id, provider, provider_call_id) WHERE provider_call_id IS NOT NULL" >/dev/null 2>&1
tap_is "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'dialer.calls_provider_call_idx'::regclass")" "f" \
  "(a concurrent build that met a duplicate leaves an invalid index)"
err=$(psql -X -q -At -v VERBOSITY=verbose -c "ALTER EXTENSION pg_dialer UPDATE TO '0.15.0'" 2>&1)
tap_ok "$(grep -q '55000' <<<"$err" && grep -q 'INVALID' <<<"$err"; echo $?)" \
  "an update that finds it invalid stops with 55000 and says so"
tap_is "$(q "SELECT extversion FROM pg_extension WHERE extname = 'pg_dialer'")" "0.14.0" "and leaves 0.14.0"

for db in plain prebuilt other invalid; do dropdb --if-exists "dialer_provider_key_$db" >/dev/null 2>&1; done
tap_done
