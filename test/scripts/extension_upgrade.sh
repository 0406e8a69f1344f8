#!/usr/bin/env bash
# Upgrade paths: a database created with each earlier release (sql_upgrade/releases; its
# install script is built from history and installed by scripts/cluster.sh) and brought to
# the current version with ALTER EXTENSION ... UPDATE has the same catalog as a fresh
# install (test/helpers/catalog_fingerprint.sql), and a call claimed before the upgrade is
# completed after it and frees its slot.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" pg_dialer.control)

# A database with the Supabase bootstrap and pg_dialer at version $2.
make_db() {
  dropdb --if-exists "$1" >/dev/null 2>&1
  createdb "$1"
  psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f test/helpers/supabase_bootstrap.sql >/dev/null
  psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "CREATE EXTENSION pg_dialer VERSION '$2'" >/dev/null
}
make_db dialer_fresh "$current"
PGDATABASE=dialer_fresh psql -X -q -At -f test/helpers/catalog_fingerprint.sql >"$ROOT/build/catalog_fresh.txt"

# From release $1: create it, claim a call, update to the current version, compare the
# catalog with the fresh install's, and complete the call claimed before the update.
upgrade_from() {
  local from=$1 db=dialer_upgraded_${1//./_} call differences
  make_db "$db" "$from"
  export PGDATABASE=$db
  tap_is "$(q "SELECT extversion FROM pg_extension WHERE extname = 'pg_dialer'")" "$from" \
    "a database starts at the $from release"
  # Work in flight under the old release: a running campaign with one call claimed.
  psql -X -q -v ON_ERROR_STOP=1 -f test/helpers/two_lead_campaign.sql >/dev/null
  call=$(q "SELECT call_id FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w1', 1, '5 minutes')")
  tap_ok "$([ -n "$call" ] && echo 0 || echo 1)" "a call is claimed under $from"

  # Data the 0.4.0 upgrade rewrites: an identifier that routes (it must keep routing)
  # and a NaN cost (not a cost: it becomes NULL and the campaign's statistics are rebuilt).
  q "INSERT INTO dialer.tenant_identifiers (tenant_id, kind, value) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'email', 'desk@t.example')" >/dev/null
  # (0.4.0 and later refuse a NaN cost when written.)
  if [ "$(printf '%s\n' "$from" 0.4.0 | sort -V | head -1)" != "0.4.0" ]; then
    q "INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number, cost)
       SELECT tenant_id, campaign_id, id, phone, 'completed', 9, 'NaN' FROM dialer.leads WHERE phone = '+12125550102'" >/dev/null
  fi

  # 0.4.0 seeded the area codes of state packs; a row the operator added must survive
  # 0.5.0's move of the packs into tables, as the operator's (not built-in) row.
  if [ "$from" = "0.4.0" ]; then
    q "INSERT INTO dialer.rule_pack_area_codes (rule_pack, area_code) VALUES ('us_fl', '212')" >/dev/null
  fi

  q "ALTER EXTENSION pg_dialer UPDATE TO '$current'" >/dev/null
  tap_is "$(q "SELECT extversion FROM pg_extension WHERE extname = 'pg_dialer'")" "$current" \
    "ALTER EXTENSION pg_dialer UPDATE brings $from to $current"

  psql -X -q -At -f test/helpers/catalog_fingerprint.sql >"$ROOT/build/catalog_upgraded_$from.txt"
  differences=$(diff "$ROOT/build/catalog_fresh.txt" "$ROOT/build/catalog_upgraded_$from.txt")
  tap_is "$(printf '%s' "$differences" | grep -c '^[<>]')" "0" \
    "the catalog upgraded from $from equals a fresh install's ($(wc -l <"$ROOT/build/catalog_fresh.txt") facts compared)"
  [ -n "$differences" ] && printf '%s\n' "$differences" | head -40 | sed 's/^/#   /'

  tap_is "$(q "SELECT slot IS NOT NULL FROM dialer.calls WHERE id = '$call'")" "t" \
    "the call in flight under $from keeps the slot it holds"
  tap_is "$(q "SELECT dialer.complete_call('$call', 'dial_no_answer', 'retell') ->> 'call_status'")" "completed" \
    "and completes after the upgrade"
  tap_is "$(q "SELECT count(*) FROM dialer.campaign_slots WHERE call_id IS NOT NULL")" "0" "freeing its slot"
  tap_is "$(q "SELECT dialer.resolve_tenant('desk@t.example')")" "aaaaaaaa-0000-0000-0000-0000000000a1" \
    "an identifier registered under $from still routes"
  tap_is "$(q "SELECT count(*) FROM dialer.calls WHERE cost = 'NaN'")|$(q "SELECT count(*) FROM dialer.verify_campaign_stats('cccccccc-0000-0000-0000-0000000000c1')")" \
    "0|0" "a NaN cost recorded under $from is gone and the campaign's statistics verify"
  tap_is "$(q "SELECT string_agg(name, ',' ORDER BY name) FROM dialer.rule_packs WHERE builtin")" \
    "fr,uk,us_federal,us_fl,us_md,us_ok" "the built-in rule packs are seeded by the update from $from"
  if [ "$from" = "0.4.0" ]; then
    tap_is "$(q "SELECT builtin FROM dialer.rule_pack_area_codes WHERE area_code = '212'")|$(q "SELECT dialer.default_rule_packs('+12125550100')")" \
      "f|{us_federal,us_fl}" "an area code the operator added under 0.4.0 stays theirs and applies"
  fi
}
# Every earlier release: 0.1.0 goes through 0.2.0 (PostgreSQL chains the scripts).
for from in $(awk -v current="$current" '/^[0-9]/ && $1 != current { print $1 }' sql_upgrade/releases); do
  upgrade_from "$from"
done
tap_done
