-- 0.16.0: leads_open_idx (every lead that still needs work) gave way to leads_busy_idx (in
-- progress or held), with the waiting leads found by leads_waiting_idx. A campaign still
-- completes exactly when no lead is waiting, in progress or held, whichever is left last.
BEGIN;
\i test/helpers/queue_fixture.sql
\set QUIET on
SELECT plan(8);
SELECT is(to_regclass('dialer.leads_open_idx'), NULL, 'leads_open_idx is gone');
SELECT is((SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i WHERE i.indexrelid = 'dialer.leads_busy_idx'::regclass),
          '(status = ANY (ARRAY[''in_progress''::dialer.lead_status, ''held''::dialer.lead_status]))',
          'leads_busy_idx holds the leads in progress or held');
SELECT count(*) FROM dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T15:00:00Z');
CREATE TEMP TABLE first3 AS
SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w1', 3, '5 min', '2026-11-23T15:00:00Z');
SELECT is((SELECT count(*) FILTER (WHERE dialer.complete_call(call_id, 'converted', 'dialer', p_now => '2026-11-23T15:01:00Z')
                                          ->> 'campaign_status' IS NULL) FROM first3),
          3::bigint, 'three leads end while two wait: the campaign does not complete');
CREATE TEMP TABLE last2 AS
SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w1', 3, '5 min', '2026-11-23T15:02:00Z');
SELECT is((SELECT count(*) FROM last2), 2::bigint, 'the last two are claimed');
-- One of them is held by a person meanwhile (by hand, as an admin would).
UPDATE dialer.leads SET status = 'held'
 WHERE id = (SELECT lead_id FROM dialer.calls WHERE id = (SELECT call_id FROM last2 ORDER BY phone LIMIT 1));
SELECT is(dialer.complete_call((SELECT call_id FROM last2 ORDER BY phone DESC LIMIT 1), 'converted', 'dialer',
                               p_now => '2026-11-23T15:03:00Z') ->> 'campaign_status', NULL,
          'the last lead in progress ends while another is held: the campaign does not complete');
SELECT is((SELECT status::text FROM dialer.campaigns WHERE id = 'cccccccc-0000-0000-0000-0000000000c1'), 'running',
          'it runs on');
-- Released from hold and put back in progress by its call: its end completes the campaign.
UPDATE dialer.leads SET status = 'in_progress'
 WHERE id = (SELECT lead_id FROM dialer.calls WHERE id = (SELECT call_id FROM last2 ORDER BY phone LIMIT 1));
SELECT is(dialer.complete_call((SELECT call_id FROM last2 ORDER BY phone LIMIT 1), 'converted', 'dialer',
                               p_now => '2026-11-23T15:04:00Z') ->> 'campaign_status', 'completed',
          'the last lead that needed work ends: the campaign completes');
SELECT is((SELECT status::text FROM dialer.campaigns WHERE id = 'cccccccc-0000-0000-0000-0000000000c1'), 'completed',
          'and is completed');
SELECT * FROM finish();
ROLLBACK;
