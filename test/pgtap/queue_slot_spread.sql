-- dialer.claim_calls takes free concurrency slots from a random slot, wrapping round
-- (src/pg/claim_calls.cpp, TakeSlots): claims do not all start at slot 1, and whatever the
-- start, a claim finds every free slot at or below the limit, wherever it lies.
\set QUIET on
BEGIN;
SELECT plan(6);
SET LOCAL client_min_messages = warning;

\i test/helpers/numbered_campaign.sql
CREATE TEMP TABLE started AS
SELECT pg_temp.numbered_campaign('aaaaaaaa-0000-0000-0000-0000000000c1', 'c0000000-0000-0000-0000-0000000000c1', 4, 200);

-- Claims p_n calls at 15:00Z (10:00 in New York), n_rounds times, completing each
-- round's calls before the next; returns the slots taken, round by round, in order.
CREATE FUNCTION pg_temp.rounds(p_rounds integer, p_n integer) RETURNS integer[] LANGUAGE plpgsql AS $$
DECLARE
  v_slots integer[] := '{}';
  v_call uuid;
BEGIN
  FOR i IN 1 .. p_rounds LOOP
    FOR v_call IN SELECT call_id FROM dialer.claim_calls('c0000000-0000-0000-0000-0000000000c1', 'w', p_n, '1 hour',
                                                         '2026-11-24T15:00:00Z') LOOP
      v_slots := v_slots || (SELECT slot FROM dialer.calls WHERE id = v_call);
      PERFORM dialer.complete_call(v_call, 'no_answer', 'dialer', p_now => '2026-11-24T15:00:00Z');
    END LOOP;
  END LOOP;
  RETURN v_slots;
END
$$;

-- Before 0.12.0 every claim of one call on an idle campaign took slot 1.
CREATE TEMP TABLE idle AS SELECT pg_temp.rounds(40, 1) AS slots;
SELECT is((SELECT cardinality(slots) FROM idle), 40, '40 claims of one call on an idle campaign each take a slot');
SELECT cmp_ok((SELECT count(DISTINCT s) FROM idle, unnest(slots) s), '>', 1::bigint,
              '... not all the same one (a random start; all 40 alike by chance: 4 in 4^40)');

-- Three slots held by calls left in flight: the fourth is the only free one, wherever it is.
CREATE TEMP TABLE held AS
SELECT call_id FROM dialer.claim_calls('c0000000-0000-0000-0000-0000000000c1', 'w', 3, '1 hour', '2026-11-24T15:00:00Z');
CREATE TEMP TABLE one_free AS SELECT pg_temp.rounds(20, 1) AS slots;
SELECT is((SELECT array_agg(DISTINCT s) FROM one_free, unnest(slots) s),
          (SELECT array_agg(s.slot) FROM dialer.campaign_slots s
            WHERE s.campaign_id = 'c0000000-0000-0000-0000-0000000000c1' AND s.call_id IS NULL),
          'with one slot free, 20 claims from random starts all find it');
SELECT is((SELECT cardinality(slots) FROM one_free), 20, '... every one of them');

-- Two slots free: a claim of two calls takes both, whichever comes first from its start.
CREATE TEMP TABLE freed AS
SELECT dialer.complete_call(call_id, 'no_answer', 'dialer', p_now => '2026-11-24T15:00:00Z') FROM held LIMIT 1;
CREATE TEMP TABLE two_free AS SELECT pg_temp.rounds(20, 2) AS slots;
SELECT is((SELECT cardinality(slots) FROM two_free), 40, 'with two slots free, 20 claims of two calls take two each');
SELECT ok((SELECT bool_and(s BETWEEN 1 AND 4) FROM two_free, unnest(slots) s), '... never a slot above the limit');

SELECT * FROM finish();
ROLLBACK;
