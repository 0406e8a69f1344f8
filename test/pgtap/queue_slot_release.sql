-- A call that leaves flight frees its concurrency slot, whatever ends it (the trigger
-- dialer_call_leaves_flight): the queue's functions, and an admin's UPDATE of the status,
-- which up to 0.5.0 left the slot taken for good (the reaper looks only at calls in flight).
BEGIN;
\i test/helpers/queue_fixture.sql
SELECT plan(6);
SELECT dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T15:00:00Z');
CREATE TEMP TABLE claimed AS
SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w1', 10, '5 min', '2026-11-23T15:00:00Z');
SELECT is((SELECT count(*) FROM dialer.campaign_slots WHERE call_id IS NOT NULL), 3::bigint,
          'three calls in flight hold the three slots');

UPDATE dialer.calls SET status = 'dialing' WHERE id = (SELECT call_id FROM claimed WHERE phone = '+12125550103');
SELECT is((SELECT count(*) FROM dialer.campaign_slots WHERE call_id IS NOT NULL), 3::bigint,
          'a call still in flight (dialing, set by hand) keeps its slot');

UPDATE dialer.calls SET status = 'failed', outcome_class = 'failed'
 WHERE id = (SELECT call_id FROM claimed WHERE phone = '+12125550105');
SELECT is((SELECT count(*) FROM dialer.campaign_slots
            WHERE call_id = (SELECT call_id FROM claimed WHERE phone = '+12125550105')),
          0::bigint, 'a call an admin sets to failed frees its slot');
SELECT is((SELECT count(*) FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w2', 10, '5 min',
                                                   '2026-11-23T15:01:00Z')),
          1::bigint, 'so the campaign hands out a call in its place, up to its limit');

UPDATE dialer.calls SET outcome_class = 'no_answer'
 WHERE id = (SELECT call_id FROM claimed WHERE phone = '+12125550105');
SELECT is((SELECT count(*) FROM dialer.campaign_slots WHERE call_id IS NOT NULL), 3::bigint,
          'editing a finished call changes no slot');
SELECT dialer.complete_call(call_id, 'dial_no_answer', 'retell', p_duration_seconds => 0, p_now => '2026-11-23T15:02:00Z')
  FROM claimed WHERE phone = '+12125550104';
SELECT is((SELECT count(*) FROM dialer.campaign_slots WHERE call_id IS NOT NULL), 2::bigint,
          'a completion still frees its slot (by the trigger, no longer by complete_call)');

SELECT * FROM finish();
ROLLBACK;
