#!/usr/bin/env bash
# 64 workers for a bounded time (20 s) on one campaign with max_concurrent_calls = 50 and
# 10,000 leads (build/dialer_workers, a reaper every second): no statement of any worker
# fails (deadlocks, SQLSTATE 40P01, are counted apart), the limit is never exceeded (from
# the calls' claim intervals, as in queue_concurrency.sh), and the queue's invariants hold
# before and after the reaper (test/helpers/reliability.sh).
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
# shellcheck disable=SC1091
source test/helpers/reliability.sh
export PGDATABASE=dialer_load64
LIMIT=50
WORKERS=64
RUN_SECONDS=${LOAD64_TEST_SECONDS:-20}

rel_make_db "$PGDATABASE" && rel_campaign 10000 "$LIMIT"
tap_ok $? "a running campaign of 10,000 leads, max_concurrent_calls $LIMIT"
out=$(timeout 50 build/dialer_workers --campaign "$REL_C" --workers "$WORKERS" --seconds "$RUN_SECONDS" \
        --lease '1 minute' --reap-every 1 2>"$ROOT/build/reliability_load64.err")
rc=$?
echo "# $out"
sed -n '1,4s/^/#   /p' "$ROOT/build/reliability_load64.err"
tap_ok "$([ -n "$out" ] && echo 0 || echo 1)" "$WORKERS workers ran for ${RUN_SECONDS}s (exit status $rc)"
claimed=$(rel_summary_field claimed "$out")
tap_ok "$([ "${claimed:-0}" -gt $((LIMIT * 2)) ] && echo 0 || echo 1)" "the workers claimed calls (${claimed:-0})"
tap_is "$(rel_sqlstate_count 40P01 "$out")" "0" "no worker statement was a deadlock victim (40P01)"
tap_is "$(rel_summary_field errors "$out")" "0" "no worker statement failed at all (sqlstates=$(rel_summary_field sqlstates "$out"))"
tap_is "$(rel_summary_field completed "$out")" "${claimed:-x}" "every claimed call was completed by its worker"
max_overlap=$(q "SELECT max(running) FROM (
                   SELECT sum(delta) OVER (ORDER BY at, delta, id) AS running FROM (
                     SELECT created_at AS at, 1 AS delta, id FROM dialer.calls
                     UNION ALL SELECT updated_at, -1, id FROM dialer.calls
                      WHERE status NOT IN $REL_IN_FLIGHT) e) s")
tap_ok "$([ "${max_overlap:-999}" -le "$LIMIT" ] && echo 0 || echo 1)" \
  "the concurrency limit ($LIMIT) was never exceeded (max calls in flight at once: $max_overlap)"
rel_invariants "after the run"
reaped=$(q "SELECT dialer.reap_expired_claims(now() + interval '1 day', 100000)")
echo "# reaped: $reaped"
rel_invariants "after the reaper"
dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
tap_done
