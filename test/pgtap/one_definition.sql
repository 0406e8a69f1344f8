-- Facts written once, and what holds them to their one place: the scheduler's inputs
-- (dialer.schedule_inputs, read by field name in C++) match the scheduler's arguments,
-- and "in flight" is dialer.call_in_flight everywhere, the partial indexes and the slot
-- triggers' WHEN clauses included.
\set QUIET on
BEGIN;
SELECT plan(10);

-- The arguments of a scheduler function as (name without p_, type) in order, p_now left out.
CREATE FUNCTION pg_temp.scheduler_args(p_function regproc) RETURNS text[] LANGUAGE sql AS $$
  SELECT array_agg(substr(a.name, 3) || ' ' || format_type(a.type, NULL) ORDER BY a.n)
    FROM pg_proc p, unnest(p.proargnames, p.proargtypes::oid[]) WITH ORDINALITY a(name, type, n)
   WHERE p.oid = p_function AND a.name <> 'p_now'
$$;
SELECT is((SELECT array_agg(attname || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum)
             FROM pg_attribute WHERE attrelid = 'dialer.schedule_inputs'::regclass AND attnum > 0),
          pg_temp.scheduler_args('dialer.next_attempt_at'),
          'dialer.schedule_inputs has a field per argument of next_attempt_at, same name, type and order');
SELECT is(pg_temp.scheduler_args('dialer.explain_next_attempt'), pg_temp.scheduler_args('dialer.next_attempt_at'),
          'explain_next_attempt takes the same inputs as next_attempt_at');

-- A row of inputs decided by _decide and by next_attempt_at with the same values by name.
SELECT is((SELECT (dialer._decide(i, '2026-11-24T15:00:00Z')).next_attempt_at
             FROM jsonb_populate_record(NULL::dialer.schedule_inputs,
                    '{"lead_id": "aaaaaaaa-0000-0000-0000-0000000000e1", "retry_policy": {"max_attempts": 3},
                      "zones": ["America/New_York"], "attempts": 1, "last_outcome": "no_answer",
                      "class_attempts": 1, "last_attempt_at": "2026-11-24T14:00:00Z",
                      "calling_windows": {"days": {"tue": [["09:00", "17:00"]]}}, "suppressed": false,
                      "artificial_voice": false, "has_consent": false}') i),
          dialer.next_attempt_at(p_lead_id => 'aaaaaaaa-0000-0000-0000-0000000000e1',
                                 p_retry_policy => '{"max_attempts": 3}', p_zones => '{America/New_York}',
                                 p_attempts => 1, p_last_outcome => 'no_answer', p_class_attempts => 1,
                                 p_last_attempt_at => '2026-11-24T14:00:00Z',
                                 p_calling_windows => '{"days": {"tue": [["09:00", "17:00"]]}}',
                                 p_artificial_voice => false, p_now => '2026-11-24T15:00:00Z'),
          'dialer._decide reads each input by its name: the same answer as next_attempt_at');
SELECT throws_ok($$SELECT dialer._decide(NULL, now())$$, '22004', 'p_inputs must not be NULL',
                 'a missing inputs row is refused with 22004');

SELECT is((SELECT array_agg(s ORDER BY s) FROM unnest(enum_range(NULL::dialer.call_status)) s
            WHERE dialer.call_in_flight(s)),
          '{claimed,dialing,ringing,in_progress}'::dialer.call_status[],
          'in flight: claimed, dialing, ringing and in_progress, nothing else');
-- (The lease index adds "and without a slot" to it: the reaper finds claimed calls through
-- their slots, 0.17.0.)
SELECT is((SELECT array_agg(DISTINCT pg_get_expr(i.indpred, i.indrelid))
             FROM pg_index i WHERE i.indexrelid IN ('dialer.calls_one_in_flight_idx'::regclass, 'dialer.calls_lease_idx'::regclass)),
          (SELECT array_agg(x ORDER BY x)
             FROM pg_index i, LATERAL pg_get_expr(i.indpred, i.indrelid) p,
                  unnest(ARRAY[p, '(' || p || ' AND (slot IS NULL))']) x
            WHERE i.indexrelid = 'dialer.calls_one_in_flight_idx'::regclass),
          'the two in-flight indexes have one in-flight predicate (the lease index: and no slot)');
-- What the planner makes of dialer.call_in_flight(status) is that predicate: the index serves it.
-- plan_of: the query's plan as text, VERBOSE so that it names every function left in it.
CREATE FUNCTION pg_temp.plan_of(p_query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_line text;
  v_plan text := '';
BEGIN
  FOR v_line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || p_query LOOP
    v_plan := v_plan || v_line || E'\n';
  END LOOP;
  RETURN v_plan;
END
$$;
SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.plan_of($q$SELECT k.id FROM dialer.calls k
                                 WHERE dialer.call_in_flight(k.status) AND k.tenant_id = 'aaaaaaaa-0000-0000-0000-0000000000e1'
                                   AND k.lead_id = 'aaaaaaaa-0000-0000-0000-0000000000e2'$q$),
               'calls_one_in_flight_idx|calls_lease_idx',
               'a query saying dialer.call_in_flight(status) is served by a partial in-flight index');

-- The slot triggers' WHEN clauses say "in flight" as the indexes do, inlined: PostgreSQL
-- prepares a WHEN clause again in every statement that fires the trigger, and an SQL
-- function there is parsed and analysed each time (sql_src/55_call_slot.sql).
SELECT is((SELECT array_agg(t.tgname::text ORDER BY t.tgname) FROM pg_trigger t
            WHERE NOT t.tgisinternal AND t.tgqual IS NOT NULL
              AND t.tgrelid IN (SELECT c.oid FROM pg_class c WHERE c.relnamespace = 'dialer'::regnamespace)
              AND EXISTS (SELECT 1 FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
                           WHERE l.lanname = 'sql' AND t.tgqual::text LIKE '%:funcid ' || p.oid || ' %')),
          NULL,
          'no WHEN clause of a trigger on a dialer table calls a function written in SQL');
-- Each slot trigger's WHEN clause, evaluated for every status (and slot) its row can have, is
-- what dialer.call_in_flight says.
CREATE FUNCTION pg_temp.when_of(p_trigger name) RETURNS text LANGUAGE sql AS $$
  SELECT substring(pg_get_triggerdef(t.oid) from ' WHEN \((.*)\) EXECUTE FUNCTION ')
    FROM pg_trigger t WHERE t.tgrelid = 'dialer.calls'::regclass AND t.tgname = p_trigger
$$;
-- The WHEN clause of p_trigger for a row going from status p_old to p_new with slot p_slot.
CREATE FUNCTION pg_temp.when_holds(p_trigger name, p_old dialer.call_status, p_new dialer.call_status,
                                   p_slot integer) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  v_holds boolean;
BEGIN
  EXECUTE format('SELECT %s FROM (SELECT $1 AS status) old, (SELECT $2 AS status, $3 AS slot) new',
                 pg_temp.when_of(p_trigger))
     INTO v_holds USING p_old, p_new, p_slot;
  RETURN v_holds;
END
$$;
SELECT is((SELECT count(*) FROM unnest(enum_range(NULL::dialer.call_status)) o, unnest(enum_range(NULL::dialer.call_status)) n
            WHERE pg_temp.when_holds('dialer_call_leaves_flight', o, n, 1)
                  IS DISTINCT FROM (dialer.call_in_flight(o) AND NOT dialer.call_in_flight(n))),
          0::bigint,
          'dialer_call_leaves_flight fires exactly when a call goes from in flight to not in flight');
SELECT is((SELECT count(*) FROM unnest(enum_range(NULL::dialer.call_status)) n, unnest(ARRAY[NULL, 1]) slot
            WHERE pg_temp.when_holds('dialer_occupy_call_slot', n, n, slot)
                  IS DISTINCT FROM (slot IS NOT NULL AND dialer.call_in_flight(n))),
          0::bigint,
          'dialer_occupy_call_slot fires exactly for a call inserted in flight with a slot');

SELECT * FROM finish();
ROLLBACK;
