#!/usr/bin/env bash
# 16 concurrent worker connections claim and complete calls for a bounded time over
# a campaign of 10,000 leads (build/dialer_workers), then the recorded calls are
# checked: no lead ever had two calls in flight at once, the concurrency limit was
# never exceeded (from the claim intervals: created_at is taken after the slot was
# acquired, updated_at at the start of the completing transaction, so one slot's
# intervals never overlap), every claimed call was completed or reaped, and attempts
# are counted exactly.
set -uo pipefail
# shellcheck source=test/helpers/cluster_test.sh
source "$(dirname "$0")/../helpers/cluster_test.sh"
use_test_db dialer_concurrency
LIMIT=8
RUN_SECONDS=${QUEUE_TEST_SECONDS:-8}

q "INSERT INTO dialer.tenants (id, name) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'T');
   INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice, retry_policy)
   VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c1', 'load', $LIMIT, false,
           '{\"max_attempts\": 3, \"classes\": {\"no_answer\": {\"delays\": [0]}, \"busy\": {\"delays\": [0]}, \"voicemail\": {\"delays\": [0]}}}');
   INSERT INTO dialer.contacts (tenant_id, phone)
   SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', '+1' || a || '555' || lpad(g::text, 4, '0')
     FROM generate_series(0, 4999) g, unnest(ARRAY['646', '212']) a;
   INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
   SELECT tenant_id, 'cccccccc-0000-0000-0000-0000000000c1', phone FROM dialer.contacts;
   $(cat test/helpers/contacts_midday.sql)
   SELECT dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c1');" >/dev/null

tap_is "$(q "SELECT count(*) FROM dialer.leads")" "10000" "the campaign has 10,000 leads"
out=$(build/dialer_workers --campaign cccccccc-0000-0000-0000-0000000000c1 --workers 16 --seconds "$RUN_SECONDS" --lease '1 minute')
rc=$?
echo "# $out"
tap_ok $rc "16 workers claimed and completed for ${RUN_SECONDS}s without an error"
claimed=$(sed -n 's/.* claimed=\([0-9]*\).*/\1/p' <<<"$out")
completed=$(sed -n 's/.* completed=\([0-9]*\).*/\1/p' <<<"$out")
# Not a speed check (make bench measures speed): enough claims that every slot was
# reused many times while 16 workers competed for 8 slots.
tap_ok "$([ "${claimed:-0}" -gt $((LIMIT * 10)) ] && echo 0 || echo 1)" "every slot was reused many times ($claimed claims)"
tap_is "$completed" "$claimed" "every claimed call was completed by its worker"

reaped=$(q "SELECT dialer.reap_expired_claims(now() + interval '1 day', 100000) ->> 'expired'")
tap_is "$(q "SELECT count(*) FROM dialer.calls WHERE status IN ('claimed', 'dialing', 'ringing', 'in_progress')")" "0" \
  "no call is left in flight (reaped: $reaped)"
tap_is "$(q "SELECT count(*) FROM dialer.calls")" "$claimed" "one call row per claim"
tap_is "$(q "SELECT count(*) FROM dialer.calls a JOIN dialer.calls b
               ON b.tenant_id = a.tenant_id AND b.lead_id = a.lead_id AND b.id <> a.id
              AND a.created_at < b.updated_at AND b.created_at < a.updated_at")" "0" \
  "no lead was ever claimed twice at once"
max_overlap=$(q "SELECT max(running) FROM (
                   SELECT sum(delta) OVER (ORDER BY at, delta, id) AS running FROM (
                     SELECT created_at AS at, 1 AS delta, id FROM dialer.calls
                     UNION ALL SELECT updated_at, -1, id FROM dialer.calls) e) s")
tap_ok "$([ "$max_overlap" -le "$LIMIT" ] && echo 0 || echo 1)" \
  "the concurrency limit ($LIMIT) was never exceeded (max calls in flight: $max_overlap)"
# Recorded intervals lie strictly inside the real slot occupancy, so they may show
# fewer than LIMIT at once even when all slots were busy; >= 2 proves real concurrency.
tap_ok "$([ "$max_overlap" -ge 2 ] && echo 0 || echo 1)" "calls were really in flight concurrently (max $max_overlap at once)"
tap_is "$(q "SELECT count(*) FROM dialer.leads l
              WHERE attempts <> (SELECT count(*) FROM dialer.calls k
                                  WHERE k.tenant_id = l.tenant_id AND k.lead_id = l.id AND k.status <> 'cancelled')")" "0" \
  "every lead's attempts equal its call rows"
tap_is "$(q "SELECT count(*) FROM dialer.leads l
              WHERE attempts > 0 AND attempts <> (SELECT max(attempt_number) FROM dialer.calls k
                                                   WHERE k.tenant_id = l.tenant_id AND k.lead_id = l.id)")" "0" \
  "attempt numbers run 1..attempts without gaps"
tap_is "$(q "SELECT count(*) FROM dialer.leads WHERE status = 'in_progress'")" "0" "no lead is left in progress"
tap_is "$(q "SELECT count(*) FROM dialer.campaign_slots WHERE call_id IS NOT NULL")" "0" "every slot is free"
tap_is "$(q "SELECT count(*) FROM dialer.calls WHERE attempt_number > 3")" "0" "no lead was called more than the policy's 3 attempts"
dropdb --if-exists dialer_concurrency >/dev/null 2>&1
tap_done
