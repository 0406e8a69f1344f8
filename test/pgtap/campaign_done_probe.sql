-- A completion whose lead ends asks whether its campaign has other leads to work with one
-- kept-plan probe, and calls dialer._complete_campaign_if_done (PL/pgSQL, its SET clauses
-- applied and undone) only when none is left (0.16.0, src/pg/complete_call.cpp): the
-- campaign still completes with its last lead, and the earlier completions make no call.
BEGIN;
\i test/helpers/queue_fixture.sql
\set QUIET on
SELECT plan(4);
SET LOCAL track_functions = 'all';
SELECT count(*) FROM dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c1', '2026-11-23T15:00:00Z');
CREATE TEMP TABLE claimed AS
SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w1', 3, '5 min', '2026-11-23T15:00:00Z');
CREATE FUNCTION pg_temp.done_calls() RETURNS bigint LANGUAGE sql AS $$
  SELECT coalesce(pg_stat_get_xact_function_calls(
    'dialer._complete_campaign_if_done(uuid, uuid, timestamptz)'::regprocedure), 0)
$$;
-- Three leads end (converted) while two others wait: no call of the function.
SELECT count(dialer.complete_call(call_id, 'converted', 'dialer', p_now => '2026-11-23T15:01:00Z')) FROM claimed;
SELECT is(pg_temp.done_calls(), 0::bigint,
          'three completions whose leads end, with two leads still waiting: no call of _complete_campaign_if_done');
SELECT is((SELECT status::text FROM dialer.campaigns WHERE id = 'cccccccc-0000-0000-0000-0000000000c1'), 'running',
          'the campaign runs on');
-- The last two end: the function decides, and the campaign completes with its last lead.
CREATE TEMP TABLE rest AS
SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w1', 3, '5 min', '2026-11-23T15:02:00Z');
SELECT is((SELECT array_agg(a ORDER BY a NULLS FIRST)
             FROM (SELECT dialer.complete_call(call_id, 'converted', 'dialer', p_now => '2026-11-23T15:03:00Z')
                            ->> 'campaign_status' AS a FROM rest) x),
          ARRAY[NULL, 'completed'], 'the last completion completes the campaign (the other answers none)');
SELECT ok(pg_temp.done_calls() BETWEEN 1 AND 2,
          'only the completions with no waiting lead left called the function (' || pg_temp.done_calls() || ')');
SELECT * FROM finish();
ROLLBACK;
