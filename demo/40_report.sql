-- Demo step 4: what the campaign looks like at the end of the simulated day, read in
-- constant time from the kept counters, and why some leads are not being dialled.
\set QUIET on
\set ON_ERROR_STOP on
SELECT sim_now FROM demo_clock \gset
SELECT dialer.campaign_stats('d0000000-0000-0000-0000-0000000000c1', :'sim_now') AS s \gset
\echo
\echo '=== 4. Campaign statistics (dialer.campaign_stats, constant time) at the end of the simulated day ==='
SELECT to_char(:'sim_now'::timestamptz AT TIME ZONE 'America/New_York', 'Dy YYYY-MM-DD HH24:MI') || ' New York' AS as_of,
       (:'s'::jsonb #>> '{leads,total}') AS leads, (:'s'::jsonb #>> '{calls,attempts}') AS attempts,
       (:'s'::jsonb #>> '{calls,in_flight}') AS in_flight,
       (:'s'::jsonb #>> '{calls,unknown_results}') AS unknown_results;
SELECT k AS rate, to_char(100 * (:'s'::jsonb #>> ARRAY['rates', k])::numeric, 'FM990.0') || ' %' AS value
  FROM unnest(ARRAY['answer_rate', 'human_contact_rate', 'voicemail_rate', 'conversion_per_contact', 'conversion_per_lead']) k
UNION ALL SELECT 'abandon rate (US, 30 days)', to_char(100 * coalesce((:'s'::jsonb #>> '{abandon_rate,us,rate}')::numeric, 0), 'FM990.00') || ' %'
UNION ALL SELECT 'penetration', to_char(100 * (:'s'::jsonb ->> 'penetration')::numeric, 'FM990.0') || ' %'
UNION ALL SELECT 'talk time mean / p50 / p90 / p99 (s)',
  concat_ws(' / ', :'s'::jsonb #>> '{talk_time,mean}', :'s'::jsonb #>> '{talk_time,p50}',
            :'s'::jsonb #>> '{talk_time,p90}', :'s'::jsonb #>> '{talk_time,p99}')
UNION ALL SELECT 'cost total / per contact / per conversion ($)',
  concat_ws(' / ', round((:'s'::jsonb #>> '{cost,total}')::numeric, 2), round((:'s'::jsonb #>> '{cost,per_contact}')::numeric, 3),
            round((:'s'::jsonb #>> '{cost,per_conversion}')::numeric, 3));
\echo 'leads by status:'
SELECT key AS status, value AS leads FROM jsonb_each(:'s'::jsonb #> '{leads,by_status}') WHERE value::int > 0 ORDER BY value::int DESC;
\echo 'attempts by outcome class:'
SELECT key AS outcome_class, value AS attempts FROM jsonb_each(:'s'::jsonb #> '{calls,by_outcome_class}') WHERE value::int > 0 ORDER BY value::int DESC;
\echo 'kept counters that differ from a full recount of the base tables (dialer.verify_campaign_stats):'
SELECT count(*) AS differing_counters FROM dialer.verify_campaign_stats('d0000000-0000-0000-0000-0000000000c1');

\echo
\echo 'the same through the Supabase RPC, as the tenant''s agent (role authenticated, JWT sub claim), and as an outsider:'
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "d0000000-0000-0000-0000-0000000000a1", "role": "authenticated"}', true) \g /dev/null
SET LOCAL ROLE authenticated;
SELECT r ->> 'total_calls' AS total_calls, r ->> 'completed_calls' AS completed_calls, r ->> 'failed_calls' AS failed_calls,
       r ->> 'pending_calls' AS pending_calls, r ->> 'avg_duration' AS avg_duration
  FROM public.get_campaign_stats(campaign_id => 'd0000000-0000-0000-0000-0000000000c1') AS r;
SELECT set_config('request.jwt.claims', '{"sub": "99999999-0000-0000-0000-000000000099", "role": "authenticated"}', true) \g /dev/null
DO $$
BEGIN
  PERFORM public.get_campaign_stats(campaign_id => 'd0000000-0000-0000-0000-0000000000c1');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'outsider: SQLSTATE % (PostgREST: HTTP 404) %', SQLSTATE, SQLERRM;
END $$;
ROLLBACK;

\echo
\echo '=== 5. "Why is this lead not being dialled?" (dialer.why_not_dialable) ==='
WITH sample AS (  -- a few leads of every status
  SELECT id, phone FROM (
    SELECT l.id, l.phone, row_number() OVER (PARTITION BY l.status ORDER BY l.phone DESC) AS n
      FROM dialer.leads l WHERE l.campaign_id = 'd0000000-0000-0000-0000-0000000000c1') x
   WHERE n <= 150),
pick AS (
  SELECT DISTINCT ON (why) s.phone, w ->> 'blocked_by' AS why, w
    FROM sample s, LATERAL dialer.why_not_dialable(s.id, :'sim_now') w
   ORDER BY why, s.phone)
SELECT phone, coalesce(why, 'nothing: dialable now') AS blocked_by,
       coalesce(to_char((w #>> '{schedule,next_attempt_at}')::timestamptz AT TIME ZONE 'UTC', 'Dy HH24:MI "UTC"'), '-') AS next_legal_attempt,
       left(coalesce(w #>> '{schedule,detail}', ''), 80) AS detail
  FROM pick ORDER BY why NULLS FIRST LIMIT 10;
