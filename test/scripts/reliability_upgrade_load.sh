#!/usr/bin/env bash
# ALTER EXTENSION pg_dialer UPDATE under load: a database created at 0.4.0 (its install
# script built from history by scripts/cluster.sh) runs a campaign with 12 workers (build/dialer_workers,
# a reaper every second) while the extension is updated to the current version the
# documented way (scripts/update-extension.sql: one release at a time, each step giving
# way to workers rather than deadlock and retried, the next step only after the
# transactions older than the last one ended: test/scripts/update_extension_steps.sh). The update completes and no worker statement fails
# (before, during or after it); the queue's invariants hold after the run
# (test/helpers/reliability.sh). Twice: straight into the full load, and with every
# campaign paused meanwhile (the workers still connected and calling).
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
# shellcheck disable=SC1091
source test/helpers/reliability.sh
FROM=0.4.0
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" pg_dialer.control)
WPID=""
trap '[ -n "$WPID" ] && kill $WPID 2>/dev/null' EXIT

# upgrade_under_load NAME MODE: MODE straight or paused.
upgrade_under_load() {
  local mode=$2 out rc err
  export PGDATABASE=dialer_upgrade_$1
  rel_make_db "$PGDATABASE" "$FROM" && rel_campaign 4000 12
  tap_ok $? "$mode: a database at $FROM with a running campaign (4,000 leads, 12 concurrent calls)"
  build/dialer_workers --campaign "$REL_C" --workers 12 --seconds 9 --lease '1 minute' --reap-every 1 \
    >"$ROOT/build/reliability_upgrade_$1.out" 2>&1 &
  WPID=$!
  sleep 3
  if [ "$mode" = paused ]; then
    q "SELECT count(dialer.pause_campaign(id)) FROM dialer.campaigns WHERE status IN ('running', 'scheduled')" >/dev/null
    tap_ok $? "$mode: every running campaign paused"
  fi
  err=$(PGOPTIONS='-c statement_timeout=60s' psql -X -q -v ON_ERROR_STOP=1 -f scripts/update-extension.sql 2>&1)
  rc=$?
  tap_ok $rc "$mode: scripts/update-extension.sql updates pg_dialer under 12 workers${err:+ (${err//$'\n'/ })}"
  if [ "$mode" = paused ]; then
    q "SELECT count(dialer.resume_campaign(id)) FROM dialer.campaigns WHERE status = 'paused'" >/dev/null
    tap_ok $? "$mode: the campaigns resume"
  fi
  rel_wait 30 "$WPID"
  WPID=""
  out=$(grep 'workers=' "$ROOT/build/reliability_upgrade_$1.out")
  echo "# $out"
  grep -v 'workers=' "$ROOT/build/reliability_upgrade_$1.out" | head -n 4 | sed 's/^/#   /'
  # The relations a deadlock report names, by name.
  local oids
  oids=$(grep -o 'relation [0-9]*' "$ROOT/build/reliability_upgrade_$1.out" | awk '{print $2}' | sort -u | paste -sd, -)
  [ -n "$oids" ] && echo "#   relations: $(q "SELECT string_agg(oid || '=' || oid::regclass::text, ', ') FROM pg_class WHERE oid IN ($oids)")"
  tap_is "$(q "SELECT extversion FROM pg_extension WHERE extname = 'pg_dialer'")" "$current" "$mode: the extension is at $current"
  tap_is "$(rel_summary_field errors "$out")" "0" \
    "$mode: no worker statement failed (sqlstates=$(rel_summary_field sqlstates "$out"), failed_by=$(rel_summary_field failed_by "$out"))"
  tap_ok "$([ "$(rel_summary_field claimed "$out")" -gt 0 ] 2>/dev/null && echo 0 || echo 1)" \
    "$mode: the workers claimed calls ($(rel_summary_field claimed "$out"))"
  rel_invariants "$mode: after the run"
  echo "# reaped: $(q "SELECT dialer.reap_expired_claims(now() + interval '1 day', 100000)")"
  rel_invariants "$mode: after the reaper"
  dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
}
upgrade_under_load straight straight
upgrade_under_load paused "paused (pause, update, resume)"
tap_done
