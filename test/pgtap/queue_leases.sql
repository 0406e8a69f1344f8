-- Leases: an expired claim is reaped, its slot freed; a result that is unknown is not
-- redialled unless the policy says so (the lead is held for a person); a worker can
-- give back a call it never placed; the reaper is for the service role only.
BEGIN;
\i test/helpers/queue_fixture.sql
SELECT plan(16);
SELECT dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T15:00:00Z');
CREATE TEMP TABLE claimed AS
SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w1', 3, '2 min', '2026-11-23T15:00:00Z');

-- The worker dispatched 105, never placed 104, and went silent on 103.
SELECT is((SELECT dialer.mark_call_dialing(call_id, 'CA123', '2026-11-23T15:00:05Z') ->> 'call_status' FROM claimed WHERE phone = '+12125550105'),
          'dialing', 'mark_call_dialing records the dispatch');
SELECT is((SELECT dialer.release_call(call_id, 'provider rejected the request', '2026-11-23T15:00:06Z') ->> 'lead_status'
             FROM claimed WHERE phone = '+12125550104'), 'scheduled', 'release_call gives the lead back');
-- Why the cast: attempts is of domain dialer.non_negative_integer, and is(anyelement, anyelement)
-- does not take a domain and its base type together.
SELECT is((SELECT attempts::integer FROM dialer.leads WHERE phone = '+12125550104'), 0, 'a released call is not an attempt');
SELECT throws_ok($$ SELECT dialer.release_call(call_id) FROM claimed WHERE phone = '+12125550105' $$, 'PT409', NULL,
          'a dispatched call cannot be released');

SELECT is(dialer.reap_expired_claims('2026-11-23T15:01:00Z'), '{"expired": 0, "requeued": 0, "held": 0, "finished": 0}',
          'nothing is reaped before the lease ends');
SELECT is(dialer.reap_expired_claims('2026-11-23T15:03:00Z'), '{"expired": 2, "requeued": 0, "held": 2, "finished": 0}',
          'two expired leases are reaped; unknown results are held by default');
SELECT is((SELECT array_agg(DISTINCT status::text) FROM dialer.calls WHERE phone IN ('+12125550105', '+12125550103')), '{expired}',
          'the calls are expired');
SELECT is((SELECT array_agg(DISTINCT outcome_class) FROM dialer.calls WHERE phone IN ('+12125550105', '+12125550103')), '{unknown}',
          'with outcome unknown');
SELECT is((SELECT count(*) FROM dialer.campaign_slots WHERE call_id IS NULL), 3::bigint, 'every slot is free again');
SELECT throws_ok($$ SELECT dialer.complete_call(call_id, 'dial_no_answer', 'retell') FROM claimed WHERE phone = '+12125550105' $$,
          'PT409', NULL, 'a late result for a reaped call is refused');
SELECT is((SELECT array_agg(phone ORDER BY phone) FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w2', 3, '2 min', '2026-11-23T15:04:00Z')),
          '{+12125550101,+12125550102,+12125550104}', 'held leads are not redialled');
SELECT is((SELECT dialer.release_lead(id, '2026-11-23T15:05:00Z') ->> 'status' FROM dialer.leads WHERE phone = '+12125550103'),
          'scheduled', 'a person can release a held lead');

-- A policy that redials unknown results returns the lead to the queue.
UPDATE dialer.campaigns SET retry_policy = retry_policy || '{"classes": {"unknown": {"delays": [900]}}}'
 WHERE id = 'cccccccc-0000-0000-0000-0000000000c1';
SELECT is(dialer.reap_expired_claims('2026-11-23T15:07:00Z') ->> 'requeued', '3', 'with an unknown-result retry rule they are requeued');
SELECT is((SELECT min(next_attempt_at) FROM dialer.leads WHERE phone IN ('+12125550101', '+12125550102', '+12125550104')),
          '2026-11-23T15:19:00Z'::timestamptz, 'after the policy''s delay');

SELECT is(test_helpers.postgrest_request('POST', 'dialer.reap_expired_claims', '{}', 'authenticated',
            '{"sub": "00000000-0000-0000-0000-0000000000a0"}') -> 'status', '403', 'a tenant admin cannot run the reaper');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.reap_expired_claims', '{"p_now": "2026-11-23T15:08:00Z"}', 'service_role') -> 'status',
          '200', 'the service role can');

SELECT * FROM finish();
ROLLBACK;
