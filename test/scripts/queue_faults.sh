#!/usr/bin/env bash
# Fault test: a worker's backend is terminated in the middle of a claim and in the
# middle of a completion. Nothing is half-written; after the lease expires the reaper
# returns the lead according to policy (held by default; back in the queue when the
# policy redials unknown results).
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
use_test_db dialer_faults
C=cccccccc-0000-0000-0000-0000000000c1

psql -X -q -v ON_ERROR_STOP=1 -f test/helpers/two_lead_campaign.sql >/dev/null

# Runs $2 in a background session named $1 that then sleeps inside its transaction,
# waits until it sleeps, and terminates its backend.
kill_mid_transaction() {
  PGAPPNAME=$1 psql -X -q -c "BEGIN; $2; SELECT pg_sleep(60); COMMIT;" >/dev/null 2>&1 &
  local bg=$! pid=""
  for _ in $(seq 1 200); do
    pid=$(q "SELECT pid FROM pg_stat_activity WHERE application_name = '$1' AND wait_event = 'PgSleep'")
    [ -n "$pid" ] && break
    sleep 0.05
  done
  [ -n "$pid" ] && q "SELECT pg_terminate_backend($pid)" >/dev/null
  wait $bg
  [ -n "$pid" ]
}

kill_mid_transaction fault_claim "SELECT * FROM dialer.claim_calls('$C', 'doomed', 2, '2 minutes')"
tap_ok $? "a worker was terminated inside its claim transaction"
tap_is "$(q "SELECT count(*) FROM dialer.calls")" "0" "the interrupted claim left no call row"
tap_is "$(q "SELECT string_agg(status::text || '/' || attempts, ',' ORDER BY phone) FROM dialer.leads")" "pending/0,pending/0" \
  "and no lead changed"
tap_is "$(q "SELECT count(*) FROM dialer.campaign_slots WHERE call_id IS NOT NULL")" "0" "and no slot is taken"

call=$(q "SELECT call_id FROM dialer.claim_calls('$C', 'worker-1', 1, '2 minutes')")
tap_ok "$([ -n "$call" ] && echo 0 || echo 1)" "another worker claims the lead at once"
kill_mid_transaction fault_complete "SELECT dialer.complete_call('$call', 'dial_no_answer', 'retell')"
tap_ok $? "the worker was terminated inside its completion transaction"
tap_is "$(q "SELECT status || '/' || coalesce(outcome_class, '-') FROM dialer.calls WHERE id = '$call'")" "claimed/-" \
  "the interrupted completion left the call as it was"
tap_is "$(q "SELECT status || '/' || attempts FROM dialer.leads WHERE phone = '+12125550101'")" "in_progress/1" \
  "and the lead in progress with one attempt"
tap_is "$(q "SELECT dialer.reap_expired_claims(now() + interval '1 minute') ->> 'expired'")" "0" "the lease has not expired yet"
tap_is "$(q "SELECT dialer.reap_expired_claims(now() + interval '3 minutes')")" \
  '{"held": 1, "expired": 1, "finished": 0, "requeued": 0}' "after the lease the reaper expires the call and holds the lead"
tap_is "$(q "SELECT status FROM dialer.leads WHERE phone = '+12125550101'")" "held" \
  "an unknown result is not redialled by default"

# The same fault under a policy that redials unknown results: the lead comes back.
q "UPDATE dialer.campaigns SET retry_policy = '{\"classes\": {\"unknown\": {\"delays\": [60]}}}' WHERE id = '$C'" >/dev/null
call=$(q "SELECT call_id FROM dialer.claim_calls('$C', 'worker-2', 1, '2 minutes')")
kill_mid_transaction fault_complete2 "SELECT dialer.complete_call('$call', 'dial_no_answer', 'retell')"
tap_ok $? "a second worker was terminated inside its completion"
tap_is "$(q "SELECT dialer.reap_expired_claims(now() + interval '3 minutes') ->> 'requeued'")" "1" \
  "with a redial policy the reaper requeues the lead"
tap_is "$(q "SELECT count(*) FROM dialer.claim_calls('$C', 'worker-3', 1, '2 minutes', now() + interval '5 minutes')")" "1" \
  "and it is claimed again after the policy's delay"
tap_is "$(q "SELECT count(*) FROM dialer.leads l WHERE attempts <> (SELECT count(*) FROM dialer.calls k WHERE k.lead_id = l.id AND k.status <> 'cancelled')")" "0" \
  "attempts still equal call rows"
dropdb --if-exists dialer_faults >/dev/null 2>&1
tap_done
