-- Facts written once, and what holds them to their one place: the scheduler's inputs
-- (dialer.schedule_inputs, read by field name in C++) match the scheduler's arguments,
-- and "in flight" is dialer.call_in_flight everywhere, the partial indexes included.
\set QUIET on
BEGIN;
SELECT plan(7);

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
-- No index of calls names a column a call's in-flight updates change (status, lease,
-- provider, provider call id), so those updates can be HOT; the in-flight triggers
-- say dialer.call_in_flight.
SELECT is(ARRAY(SELECT DISTINCT a.attname::text
                  FROM pg_index i
                  JOIN pg_attribute a ON a.attrelid = i.indrelid
                 WHERE i.indrelid = 'dialer.calls'::regclass
                   AND (a.attnum = ANY (i.indkey)
                        OR pg_get_expr(i.indpred, i.indrelid) ~ ('\m' || a.attname || '\M'))
                   AND a.attname IN ('status', 'lease_expires_at', 'provider', 'provider_call_id')),
          '{}'::text[], 'no index of calls names status, lease_expires_at, provider or provider_call_id');
SELECT is((SELECT count(*)::integer FROM pg_trigger t
            WHERE t.tgrelid = 'dialer.calls'::regclass
              AND t.tgname IN ('dialer_call_enters_flight', 'dialer_call_flight_changed')
              AND pg_get_triggerdef(t.oid) ~ 'dialer\.call_in_flight\('),
          2, 'the triggers that keep dialer.calls_in_flight say dialer.call_in_flight(status)');

SELECT * FROM finish();
ROLLBACK;
