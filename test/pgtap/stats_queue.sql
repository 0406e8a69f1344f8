-- Statistics kept while the real queue works: claim_calls, complete_call (the lead
-- moves twice per completion), release_call, reap_expired_claims, release_lead and
-- stop_campaign. Every kept counter equals a full recount after each step, and the
-- figures match what the queue did.
\set QUIET on
BEGIN;
\i test/helpers/queue_fixture.sql
SELECT plan(12);

CREATE FUNCTION pg_temp.exact() RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(v.counter || ' kept ' || coalesce(v.kept, 'none') || ' recounted '
                             || coalesce(v.recounted, 'none'), '; '), 'exact')
    FROM dialer.verify_campaign_stats('cccccccc-0000-0000-0000-0000000000c1') v
$$;
CREATE FUNCTION pg_temp.stats(p_path text[], p_now timestamptz DEFAULT '2026-11-23T16:00:00Z') RETURNS jsonb
LANGUAGE sql AS $$
  SELECT dialer.campaign_stats('cccccccc-0000-0000-0000-0000000000c1', p_now) #> p_path
$$;

SELECT dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T15:00:00Z');
CREATE TEMP TABLE claimed AS
SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w1', 3, '5 min', '2026-11-23T15:00:00Z');
SELECT is(pg_temp.exact(), 'exact', 'claim_calls: exact');
SELECT is(pg_temp.stats('{calls,in_flight}') || pg_temp.stats('{leads,by_status,in_progress}'), '[3, 3]',
          '3 calls in flight, 3 leads in progress');

SELECT dialer.complete_call(call_id, 'agent_hangup', 'retell', p_duration_seconds => 95, p_cost => 0.12,
                            p_now => '2026-11-23T15:02:00Z') FROM claimed WHERE phone = '+12125550105';
SELECT dialer.complete_call(call_id, 'dial_no_answer', 'retell', p_duration_seconds => 0, p_cost => 0.01,
                            p_now => '2026-11-23T15:02:00Z') FROM claimed WHERE phone = '+12125550104';
SELECT dialer.release_call(call_id, 'not dispatched', '2026-11-23T15:02:00Z') FROM claimed WHERE phone = '+12125550103';
SELECT is(pg_temp.exact(), 'exact', 'complete_call and release_call: exact');
SELECT is(pg_temp.stats('{calls}') - 'by_status' - 'by_outcome_class' - 'avg_completed_duration',
          '{"total": 3, "attempts": 2, "in_flight": 0, "finished_attempts": 2, "unknown_results": 0, "pre_dial_rejections": 0}',
          'two attempts finished; the released call is not an attempt');
SELECT is(pg_temp.stats('{leads,by_status}') - 'failed' - 'invalid' - 'refused' - 'cancelled' - 'do_not_call'
            - 'converted' - 'held',
          '{"pending": 2, "completed": 1, "scheduled": 2, "in_progress": 0}', 'leads after the queue moved them');

-- A claim whose worker dies: the reaper expires it; the lead is held (unknown result).
CREATE TEMP TABLE claimed2 AS
SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w2', 1, '5 min', '2026-11-23T15:03:00Z');
SELECT is(dialer.reap_expired_claims('2026-11-23T15:30:00Z') ->> 'expired', '1', 'the reaper expires the lost claim');
SELECT is(pg_temp.exact(), 'exact', 'reap_expired_claims: exact');
SELECT is(pg_temp.stats('{calls,unknown_results}'), '1', 'the expired call counts as an unknown result');
SELECT dialer.release_lead(lead_id, '2026-11-23T15:31:00Z') FROM claimed2;

-- A second round at 16:05 takes the three due leads (the one a person released, the
-- no-answer one due again since 16:00, the last pending one) and all three convert.
CREATE TEMP TABLE claimed3 AS
SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w3', 3, '5 min', '2026-11-23T16:05:00Z');
SELECT dialer.complete_call(call_id, 'converted', 'dialer', p_duration_seconds => 240, p_cost => 0.30,
                            p_now => '2026-11-23T16:09:00Z') FROM claimed3;
SELECT is(pg_temp.exact(), 'exact', 'a second round: exact');
SELECT is(pg_temp.stats('{attempts_to_first_contact}', '2026-11-23T17:00:00Z'),
          '{"mean": 1.50, "distribution": {"1": 2, "2": 2}, "contacted_leads": 4}',
          'four leads reached, the released and the no-answer ones on their second attempt');

SELECT dialer.stop_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T17:00:00Z');
SELECT is(pg_temp.exact(), 'exact', 'stop_campaign: exact');
SELECT is(pg_temp.stats('{completion}', '2026-11-23T17:00:00Z'), '1.0000', 'after stop every lead is finished');
SELECT * FROM finish();
ROLLBACK;
