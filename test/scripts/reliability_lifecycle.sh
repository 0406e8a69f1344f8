#!/usr/bin/env bash
# pause_campaign / resume_campaign / stop_campaign under 48 workers (build/dialer_workers
# --server-now: p_now is the claim's now(), as a worker that leaves it at its default).
# Each move succeeds at its first try (no deadlock, 40P01), and no claim of the campaign
# succeeds after a pause or the stop returned: no call was claimed (claimed_at, the
# claim's now(), and created before the resume began) nor created (created_at, the wall
# clock at its insert) between a pause's return and the next resume, nor after the stop's
# return. Then the queue's invariants (test/helpers/reliability.sh) after the reaper.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
# shellcheck disable=SC1091
source test/helpers/reliability.sh
export PGDATABASE=dialer_lifecycle
WORKERS=48

rel_make_db "$PGDATABASE" && rel_campaign 10000 40
tap_ok $? "a running campaign of 10,000 leads, max_concurrent_calls 40"

build/dialer_workers --campaign "$REL_C" --workers "$WORKERS" --seconds 16 --lease '1 minute' --server-now \
  >"$ROOT/build/reliability_lifecycle.out" 2>&1 &
WPID=$!
ERRF=$ROOT/build/reliability_lifecycle.err
trap 'kill $WPID 2>/dev/null' EXIT

# move ACTION: runs dialer.ACTION_campaign once (no retry); prints "started|returned" (the
# wall clock before it and after its commit) on success, else the error on stderr.
move() {
  local out rc
  out=$(psql -X -q -At -v ON_ERROR_STOP=1 -c "SELECT clock_timestamp()" \
          -c "SELECT dialer.$1_campaign('$REL_C')" -c "SELECT clock_timestamp()" 2>&1)
  rc=$?
  if [ $rc -eq 0 ]; then sed -n '1p;3p' <<<"$out" | paste -sd'|'; else echo "$out" >&2; fi
  return $rc
}

# claims_between FROM TO: "claimed|created", calls of the campaign claimed resp. created
# strictly between the two instants (TO empty: no end). "Claimed" counts a call whose claim
# began (claimed_at, its now()) and created it (created_at) before TO. Why not claimed_at
# alone: a claim that began while the campaign was paused and then waited for the resume's
# campaign gate claims correctly once the campaign runs again, yet keeps its earlier now()
# (seen: 3 such calls in one run, all created after the resume began).
claims_between() {
  q "SELECT count(*) FILTER (WHERE claimed_at > '$1'
                               AND ('$2' = '' OR (claimed_at < nullif('$2', '')::timestamptz
                                                  AND created_at < nullif('$2', '')::timestamptz)))
            || '|' ||
            count(*) FILTER (WHERE created_at > '$1' AND ('$2' = '' OR created_at < nullif('$2', '')::timestamptz))
       FROM dialer.calls WHERE campaign_id = '$REL_C'"
}

sleep 3
for cycle in 1 2; do
  p=$(move pause 2>"$ERRF"); rc=$?; err=$(cat "$ERRF")
  tap_ok $rc "cycle $cycle: pause_campaign succeeds at its first try under $WORKERS workers${err:+ (${err//$'\n'/ })}"
  paused_at=${p#*|}
  sleep 1.5
  r=$(move resume 2>"$ERRF"); rc=$?; err=$(cat "$ERRF")
  tap_ok $rc "cycle $cycle: resume_campaign succeeds at its first try${err:+ (${err//$'\n'/ })}"
  resumed_from=${r%|*}
  if [ -n "$paused_at" ] && [ -n "$resumed_from" ]; then
    tap_is "$(claims_between "$paused_at" "$resumed_from")" "0|0" \
      "cycle $cycle: no call was claimed|created between the pause's return and the resume"
  else
    tap_ok 1 "cycle $cycle: no call was claimed|created between the pause's return and the resume (no pause/resume times)"
  fi
  sleep 2
done
s=$(move stop 2>"$ERRF"); rc=$?; err=$(cat "$ERRF")
tap_ok $rc "stop_campaign succeeds at its first try under $WORKERS workers${err:+ (${err//$'\n'/ })}"
stopped_at=${s#*|}
if [ $rc -ne 0 ]; then
  # Stop it anyway (retrying), so the claims after it can still be checked.
  for _ in 1 2 3 4 5; do s=$(move stop 2>/dev/null) && break; sleep 0.2; done
  stopped_at=${s#*|}
fi
rel_wait 30 "$WPID"
trap - EXIT
out=$(grep 'workers=' "$ROOT/build/reliability_lifecycle.out")
echo "# $out"
if [ -n "$stopped_at" ]; then
  tap_is "$(claims_between "$stopped_at" "")" "0|0" "no call was claimed|created after the stop returned"
else
  tap_ok 1 "no call was claimed|created after the stop returned (the campaign could not be stopped)"
fi
tap_is "$(q "SELECT status FROM dialer.campaigns WHERE id = '$REL_C'")|$(q "SELECT count(*) FROM dialer.leads WHERE status IN ('pending', 'scheduled', 'held')")" \
  "cancelled|0" "the campaign is cancelled and no lead is left waiting"
tap_is "$(rel_summary_field errors "$out")" "0" \
  "no worker statement failed during the moves (sqlstates=$(rel_summary_field sqlstates "$out"), failed_by=$(rel_summary_field failed_by "$out"))"
echo "# reaped: $(q "SELECT dialer.reap_expired_claims(now() + interval '1 day', 100000)")"
rel_invariants "after the stop and the reaper"
dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
tap_done
