#!/usr/bin/env bash
# The campaign's last two calls completed at the same moment by two workers: each
# completion sees the other's lead still in progress (its transaction has not committed),
# so without care neither completes the campaign and it stays "running" with nothing
# left to call. The second finisher must wait for the first and complete the campaign.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
use_test_db dialer_last_completions
C=cccccccc-0000-0000-0000-0000000000c1

psql -X -q -v ON_ERROR_STOP=1 -f test/helpers/two_lead_campaign.sql >/dev/null
first=$(q "SELECT call_id FROM dialer.claim_calls('$C', 'w1', 1, '5 minutes')")
second=$(q "SELECT call_id FROM dialer.claim_calls('$C', 'w2', 1, '5 minutes')")
tap_ok "$([ -n "$first" ] && [ -n "$second" ] && echo 0 || echo 1)" "two workers hold the campaign's last two leads"

# Worker 1 completes (lead finished: the outcome is terminal) and holds its transaction
# open; worker 2 completes the other call meanwhile.
PGAPPNAME=first_finisher psql -X -q -c "BEGIN; SELECT dialer.complete_call('$first', 'completed', 'dialer');
                                        SELECT pg_sleep(2); COMMIT;" >/dev/null 2>&1 &
bg=$!
for _ in $(seq 1 200); do
  [ -n "$(q "SELECT pid FROM pg_stat_activity WHERE application_name = 'first_finisher' AND wait_event = 'PgSleep'")" ] && break
  sleep 0.05
done
out=$(q "SELECT dialer.complete_call('$second', 'completed', 'dialer') ->> 'campaign_status'")
wait $bg
tap_is "$out" "completed" "the second finisher waits for the first and completes the campaign"
tap_is "$(q "SELECT status FROM dialer.campaigns WHERE id = '$C'")" "completed" "the campaign is completed"
tap_is "$(q "SELECT string_agg(status::text, ',') FROM dialer.leads")" "completed,completed" "both leads are finished"
tap_done
