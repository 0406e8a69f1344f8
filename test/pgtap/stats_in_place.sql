-- The statistics triggers' in-place path (src/pg/stats_in_place.cpp): a counter row that
-- exists is updated in place instead of by an upsert. Pinned here: the first write of a
-- counter row creates it (the upsert), later writes add to it in place; many writes of
-- one row in one transaction outgrow its page, so versions move off the page (not HOT)
-- and the primary key gets new entries, and the row is still found and exact; a bigint
-- counter that would overflow raises 22003 like the upsert's "+" did, and nothing of the
-- statement is kept; a counter table given a trigger is written through the upsert again.
-- Which path ran is seen from dialer._stats_vector_add: the upsert calls it through SQL
-- for its vector counters (counted under track_functions = all); the in-place path adds
-- vectors without a function call through SQL, so it adds nothing to that count. (A
-- foreign key's internal check triggers once kept every write on the upsert.)
\set QUIET on
BEGIN;
\i test/helpers/stats_fixture.sql
\set QUIET on
SELECT plan(21);

-- One counter row per (campaign, shard) and per bucket; the fixture's leads made the lead
-- counters' row, the first claim makes the call counters' and the buckets' rows.
SELECT pg_temp.claim('+12125550201', '2026-03-02T14:00:00Z') \g /dev/null
SELECT is((SELECT count(*) FROM dialer.campaign_call_stats
            WHERE campaign_id = 'c1c1c1c1-0000-0000-0000-0000000000c1')::int, 1,
          'the first call creates its campaign''s call-counter row');
SELECT is(pg_temp.exact(), 'exact', 'first writes: exact');

SET LOCAL track_functions = 'all';
-- Upserts run so far in this transaction that added to an existing counter row.
CREATE FUNCTION pg_temp.upserts() RETURNS bigint LANGUAGE sql AS $$
  SELECT coalesce(pg_stat_get_xact_function_calls('dialer._stats_vector_add(bigint[], bigint[])'::regprocedure), 0)
$$;
CREATE TEMP TABLE upserts_before AS SELECT pg_temp.upserts() AS n;
SELECT ok((SELECT count(*) FROM pg_trigger WHERE tgrelid = 'dialer.campaign_lead_stats'::regclass) > 0,
          'the lead counters have triggers (their foreign key''s checks)');
UPDATE dialer.leads SET priority = 7, status = 'failed'
 WHERE campaign_id = 'c1c1c1c1-0000-0000-0000-0000000000c1' AND phone = '+12125550205';
SELECT is(pg_temp.upserts(), (SELECT n FROM upserts_before),
          'a lead''s status change adds to the existing lead-counter row in place (no upsert ran)');
SELECT is(pg_temp.exact(), 'exact', 'lead counters in place: exact');

-- 300 updates of one call, each moving counters (the duration and cost change the talk
-- time and cost sums): 300 in-place additions to the same counter rows in one
-- transaction, whose old versions cannot be pruned before commit.
CREATE TEMP TABLE before_stats AS
SELECT n_tup_upd - n_tup_hot_upd AS not_hot FROM pg_stat_xact_user_tables
 WHERE relid = 'dialer.campaign_call_stats'::regclass;
-- The completion is the lead's first contact: its lead_first_contacts row is inserted and
-- the contact is added to the existing lead-counter row in place, like everything after.
CREATE TEMP TABLE upserts_before_loop AS SELECT pg_temp.upserts() AS n;
UPDATE dialer.calls SET status = 'completed', outcome_class = 'completed', duration_seconds = 10, cost = 0.01,
                        ended_at = '2026-03-02T14:01:00Z'
 WHERE id = pg_temp.call_of('+12125550201', 1);
SELECT is((SELECT count(*) FROM dialer.lead_first_contacts WHERE campaign_id = 'c1c1c1c1-0000-0000-0000-0000000000c1')::int, 1,
          'the first contact created its lead_first_contacts row');
DO $$
BEGIN
  FOR i IN 1 .. 300 LOOP
    UPDATE dialer.calls SET duration_seconds = 10 + i, cost = 0.01 * i
     WHERE id = pg_temp.call_of('+12125550201', 1);
  END LOOP;
END
$$;
SELECT ok((SELECT n_tup_upd - n_tup_hot_upd FROM pg_stat_xact_user_tables
            WHERE relid = 'dialer.campaign_call_stats'::regclass) > (SELECT not_hot FROM before_stats),
          'some in-place updates could not stay on their page (new primary-key entries were written)');
SELECT is((SELECT count(*) FROM dialer.campaign_call_stats
            WHERE campaign_id = 'c1c1c1c1-0000-0000-0000-0000000000c1')::int, 1,
          'still one call-counter row: every update found the row and added to it');
SELECT is(pg_temp.exact(), 'exact', '300 in-place updates of one row: exact');
SELECT is(pg_temp.upserts(), (SELECT n FROM upserts_before_loop), 'the first contact and all 300 updates were in place (no upsert ran)');
SELECT is(pg_temp.c1('{talk_time,total_seconds}'), '310', 'talk time is the last duration');
SELECT is(pg_temp.c1('{cost,total}'), '3.00', 'cost is the last cost');

-- Overflow: a counter at the bigint maximum cannot take one more call.
SAVEPOINT overflow;
UPDATE dialer.campaign_call_stats SET calls = 9223372036854775807
 WHERE campaign_id = 'c1c1c1c1-0000-0000-0000-0000000000c1';
SELECT throws_ok($$SELECT pg_temp.claim('+12125550202', '2026-03-02T14:05:00Z')$$, '22003', 'bigint out of range',
                 'a counter that would overflow raises 22003, as the upsert did');
ROLLBACK TO SAVEPOINT overflow;
SELECT is(pg_temp.exact(), 'exact', 'after the failed statement, exact');

-- Where a row was written is remembered (src/pg/stats_row_cache.cpp): the connection
-- finds a counter row it wrote last at that tuple id, without its primary key; a row
-- changed behind its back (a newer version it did not write) is looked up through the
-- key again. Primary-key scans are counted by pg_stat_get_xact_numscans().
CREATE FUNCTION pg_temp.lead_key_scans() RETURNS bigint LANGUAGE sql AS $$
  SELECT pg_stat_get_xact_numscans('dialer.campaign_lead_stats_pkey'::regclass)
$$;
-- Two writes first: the first may create this connection's shard row (an upsert, whose
-- place is not known), the second then finds it through the key and remembers it.
UPDATE dialer.leads SET status = 'scheduled' WHERE phone = '+12125550205';
UPDATE dialer.leads SET status = 'failed' WHERE phone = '+12125550205';
CREATE TEMP TABLE scans_before AS SELECT pg_temp.lead_key_scans() AS n;
UPDATE dialer.leads SET status = 'scheduled' WHERE phone = '+12125550205';
SELECT is(pg_temp.lead_key_scans() - (SELECT n FROM scans_before), 0::bigint,
          'the lead-counter row this connection wrote last is found where it wrote it (no primary-key scan)');
SELECT is(pg_temp.exact(), 'exact', 'remembered row: exact');
UPDATE dialer.campaign_lead_stats SET leads = leads WHERE campaign_id = 'c1c1c1c1-0000-0000-0000-0000000000c1';
UPDATE scans_before SET n = pg_temp.lead_key_scans();
UPDATE dialer.leads SET status = 'pending' WHERE phone = '+12125550205';
SELECT is(pg_temp.lead_key_scans() - (SELECT n FROM scans_before), 1::bigint,
          'a row given a newer version behind the connection''s back is looked up through its primary key');
SELECT is(pg_temp.exact(), 'exact', 'looked up again: exact');

-- A trigger on a counter table: every write then takes the upsert, which fires it.
CREATE TEMP TABLE fired (n integer);
CREATE FUNCTION pg_temp.count_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO fired VALUES (1); RETURN NEW; END $$;
CREATE TRIGGER count_write BEFORE UPDATE ON dialer.campaign_call_stats
  FOR EACH ROW EXECUTE FUNCTION pg_temp.count_write();
UPDATE dialer.calls SET duration_seconds = 400 WHERE id = pg_temp.call_of('+12125550201', 1);
SELECT ok((SELECT count(*) FROM fired) >= 1,
          'with a trigger on the counter table the write goes through SQL and fires it');
SELECT ok(pg_temp.upserts() > (SELECT n FROM upserts_before_loop), 'that write was an upsert');
SELECT is(pg_temp.exact(), 'exact', 'and stays exact');

SELECT * FROM finish();
ROLLBACK;
