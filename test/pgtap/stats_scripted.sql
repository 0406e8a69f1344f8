-- Statistics exactness after scripted activity written as plain DML, the way the queue
-- and service_role write rows: claims, completions whose lead status changes twice,
-- a rolled-back completion, retries, a release, direct edits of outcomes, durations,
-- campaigns and ids, deletes and cascades, a truncate. After every step each kept
-- counter equals a full recount, and the reported figures equal hand-computed ones.
\set QUIET on
BEGIN;
\i test/helpers/stats_fixture.sql
SELECT plan(45);

SELECT is(pg_temp.exact(), 'exact', 'leads inserted: exact');
SELECT is(pg_temp.c1('{leads,by_status,pending}'), '5', '5 pending leads');

-- Claims at 14:00 UTC (09:00 in New York).
SELECT pg_temp.claim('+1212555020' || g, '2026-03-02T14:00:00Z') FROM generate_series(1, 4) g;
SELECT is(pg_temp.exact(), 'exact', 'claims: exact');
SELECT is(pg_temp.c1('{calls,in_flight}'), '4', '4 calls in flight');
SELECT is(pg_temp.c1('{leads,by_status,in_progress}'), '4', '4 leads in progress');

-- Completions at 14:02. Lead 1 moves twice in one transaction (scheduled, then converted),
-- as dialer.complete_call does.
UPDATE dialer.calls SET status = 'completed', outcome_class = 'converted', duration_seconds = 125, cost = 0.10,
                        ended_at = '2026-03-02T14:02:00Z'
 WHERE id = pg_temp.call_of('+12125550201', 1);
UPDATE dialer.leads SET status = 'scheduled', last_outcome_class = 'converted' WHERE phone = '+12125550201';
UPDATE dialer.leads SET status = 'converted' WHERE phone = '+12125550201';
UPDATE dialer.calls SET status = 'completed', outcome_class = 'voicemail', duration_seconds = 20, cost = 0.02
 WHERE id = pg_temp.call_of('+12125550202', 1);
UPDATE dialer.leads SET status = 'scheduled', next_attempt_at = '2026-03-02T15:00:00Z' WHERE phone = '+12125550202';
UPDATE dialer.calls SET status = 'failed', outcome_class = 'failed' WHERE id = pg_temp.call_of('+12125550203', 1);
UPDATE dialer.leads SET status = 'scheduled', next_attempt_at = '2026-03-02T14:10:00Z' WHERE phone = '+12125550203';
-- The reaper: the lease of lead 4's call ran out, result unknown, the lead is held.
UPDATE dialer.calls SET status = 'expired', outcome_class = 'unknown' WHERE id = pg_temp.call_of('+12125550204', 1);
UPDATE dialer.leads SET status = 'held' WHERE phone = '+12125550204';
SELECT is(pg_temp.exact(), 'exact', 'completions with a status changing twice: exact');
SELECT is(pg_temp.c1('{leads,by_status}') - 'failed' - 'invalid' - 'refused' - 'cancelled' - 'do_not_call' - 'in_progress',
          '{"held": 1, "pending": 1, "completed": 0, "converted": 1, "scheduled": 2}', 'leads by status after completions');
SELECT is(pg_temp.c1('{calls,by_outcome_class}') - 'busy' - 'refused' - 'callback' - 'abandoned' - 'completed'
            - 'no_answer' - 'do_not_call' - 'invalid_number' - 'transport_error' - 'human_incomplete',
          '{"failed": 1, "unknown": 1, "converted": 1, "voicemail": 1}', 'attempts by outcome class');
SELECT is(pg_temp.c1('{calls,unknown_results}'), '1', 'the reaped call is an unknown result');

-- A completion that is rolled back leaves no trace.
SAVEPOINT before_rollback;
SELECT pg_temp.claim('+12125550205', '2026-03-02T14:05:00Z');
UPDATE dialer.calls SET status = 'completed', outcome_class = 'converted', duration_seconds = 999, cost = 9
 WHERE id = pg_temp.call_of('+12125550205', 1);
UPDATE dialer.leads SET status = 'converted' WHERE phone = '+12125550205';
SELECT is(pg_temp.c1('{outcomes,conversions}'), '2', 'inside the transaction the conversion counts');
ROLLBACK TO SAVEPOINT before_rollback;
SELECT is(pg_temp.c1('{outcomes,conversions}'), '1', 'after the rollback it does not');
SELECT is(pg_temp.exact(), 'exact', 'rollback: exact');

-- Retries at 15:00: lead 2 reaches a person (its first contact, at attempt 2); lead 3's
-- call is dropped (abandoned). Lead 5 is claimed and released (the call was never placed).
SELECT pg_temp.claim('+12125550202', '2026-03-02T15:00:00Z');
UPDATE dialer.calls SET status = 'completed', outcome_class = 'completed', duration_seconds = 300, cost = 0.30
 WHERE id = pg_temp.call_of('+12125550202', 2);
UPDATE dialer.leads SET status = 'completed' WHERE phone = '+12125550202';
SELECT pg_temp.claim('+12125550203', '2026-03-02T15:00:00Z');
UPDATE dialer.calls SET status = 'completed', outcome_class = 'abandoned', duration_seconds = 3, cost = 0.01
 WHERE id = pg_temp.call_of('+12125550203', 2);
UPDATE dialer.leads SET status = 'scheduled', next_attempt_at = '2026-03-05T15:00:00Z' WHERE phone = '+12125550203';
SELECT pg_temp.claim('+12125550205', '2026-03-02T15:00:00Z');
UPDATE dialer.calls SET status = 'cancelled' WHERE id = pg_temp.call_of('+12125550205', 1);
UPDATE dialer.leads SET status = 'pending', attempts = attempts - 1 WHERE phone = '+12125550205';
SELECT is(pg_temp.exact(), 'exact', 'retries and a release: exact');
SELECT is(pg_temp.c1('{attempts_to_first_contact}'), '{"mean": 1.50, "distribution": {"1": 1, "2": 1}, "contacted_leads": 2}',
          'first contacts: lead 1 at attempt 1, lead 2 at attempt 2');
SELECT is(pg_temp.c1('{abandon_rate,us_30d}') - 'window_start' - 'window_end',
          '{"rate": 0.3333, "abandoned": 1, "live_answered": 3}', 'US abandon rate: 1 drop of 3 live answers');

-- service_role edits rows directly: lead 2's first call was a person after all (its first
-- contact moves to attempt 1), then that call is deleted (back to attempt 2).
UPDATE dialer.calls SET outcome_class = 'human_incomplete' WHERE id = pg_temp.call_of('+12125550202', 1);
SELECT is(pg_temp.c1('{attempts_to_first_contact,distribution}'), '{"1": 2}', 'a reclassified call moves the first contact');
SELECT is(pg_temp.exact(), 'exact', 'reclassification: exact');
DELETE FROM dialer.calls WHERE id = pg_temp.call_of('+12125550202', 1);
SELECT is(pg_temp.c1('{attempts_to_first_contact,distribution}'), '{"1": 1, "2": 1}', 'deleting it moves it back');
UPDATE dialer.calls SET duration_seconds = 130 WHERE id = pg_temp.call_of('+12125550201', 1);
SELECT is(pg_temp.exact(), 'exact', 'direct edits of outcome, duration and a delete: exact');

-- Lead 4 is deleted (its call goes with it); lead 3's dropped call is moved to C2.
DELETE FROM dialer.leads WHERE phone = '+12125550204';
UPDATE dialer.calls SET campaign_id = 'c2c2c2c2-0000-0000-0000-0000000000c2' WHERE id = pg_temp.call_of('+12125550203', 2);
SELECT is(pg_temp.exact(), 'exact', 'a cascaded delete and a call moved between campaigns: exact');

-- The figures, computed by hand from the four calls and four leads left in C1:
--   lead 1: attempt 1 converted 130 s 0.10 (14:00)   lead 2: attempt 2 completed 300 s 0.30 (15:00)
--   lead 3: attempt 1 failed (14:00), scheduled       lead 5: attempt 1 cancelled (15:00), pending
SELECT is(pg_temp.c1('{calls}') - 'by_status' - 'by_outcome_class',
          '{"total": 4, "attempts": 3, "in_flight": 0, "finished_attempts": 3, "unknown_results": 0, "pre_dial_rejections": 0, "avg_completed_duration": 215.00}',
          'calls: 4 rows, 3 attempts (the cancelled one is not), all finished');
SELECT is(pg_temp.c1('{calls,by_status}'),
          '{"failed": 1, "claimed": 0, "dialing": 0, "expired": 0, "ringing": 0, "cancelled": 1, "completed": 2, "in_progress": 0}',
          'calls by status');
SELECT is(pg_temp.c1('{outcomes}'), '{"human": 2, "machine": 0, "answered": 2, "contacts": 2, "abandoned": 0, "conversions": 1}',
          'outcome flags');
SELECT is(pg_temp.c1('{rates}'),
          '{"answer_rate": 0.6667, "contact_rate": 0.6667, "voicemail_rate": 0.0000, "human_contact_rate": 0.6667, "conversion_per_lead": 0.2500, "conversion_per_contact": 0.5000}',
          'rates over 3 finished attempts, 2 answers, 4 leads');
SELECT is(pg_temp.c1('{cost}'),
          '{"total": 0.400000, "per_call": 0.133333, "per_contact": 0.200000, "per_conversion": 0.400000, "per_connected_minute": 0.055814}',
          'cost: 0.40 over 3 attempts, 2 contacts, 1 conversion, 430 connected seconds');
SELECT is(pg_temp.c1('{talk_time}') - 'p50' - 'p90' - 'p99', '{"mean": 215.0, "calls": 2, "total_seconds": 430}', 'talk time');
SELECT ok((pg_temp.c1('{talk_time,p50}'))::numeric BETWEEN 128 AND 153
          AND (pg_temp.c1('{talk_time,p99}'))::numeric BETWEEN 256 AND 305,
          'p50 and p99 fall in the buckets of 130 s and 300 s');
SELECT is(pg_temp.c1('{leads}') - 'by_status',
          '{"total": 4, "due_now": 1, "waiting": 2, "attempted": 3, "contacted": 2, "not_yet_due": 1}',
          'leads: 2 waiting, lead 3 not due until March 5');
SELECT is(pg_temp.c1('{attempts_per_lead}'), '{"mean": 1.25, "distribution": {"0": 1, "1": 1, "2": 2}, "mean_attempted": 1.67}',
          'attempts per lead');
SELECT is(pg_temp.c1('{penetration}') || pg_temp.c1('{completion}'), '[0.5000, 0.5000]',
          'penetration and completion: 2 of 4 leads finished');
SELECT is(pg_temp.c1('{by_attempt_number}'),
          '[{"attempt": "1", "contacts": 1, "finished": 2, "conversions": 1, "contact_rate": 0.5000}, {"attempt": "2", "contacts": 1, "finished": 1, "conversions": 0, "contact_rate": 1.0000}]',
          'results by attempt number');
SELECT is((SELECT array_agg(array[local_hour, finished, answered, contacts, conversions] ORDER BY local_hour)
             FROM dialer.campaign_local_hours('c1c1c1c1-0000-0000-0000-0000000000c1') WHERE finished > 0),
          '{{9,2,1,1,1},{10,1,1,1,0}}', 'by New York hour: 09:00 two attempts, 10:00 one');
SELECT is((SELECT array_agg(array[attempts, finished, answered] ORDER BY bucket_start)
             FROM dialer.campaign_timeseries('c1c1c1c1-0000-0000-0000-0000000000c1', '1 hour',
                                             '2026-03-02T13:00:00Z', '2026-03-02T16:00:00Z')),
          '{{0,0,0},{2,2,1},{1,1,1}}', 'hourly series 13:00-16:00');
SELECT is((SELECT (dialer.campaign_stats('c2c2c2c2-0000-0000-0000-0000000000c2', '2026-03-02T16:00:00Z')
                      #> '{abandon_rate,uk_24h}') - 'window_start' - 'window_end'),
          '{"live": 1, "rate": 1.0000, "machine": 0, "abandoned": 1, "estimated_machine_drops": 0.00}',
          'C2 holds the moved dropped call: UK 24 h rate 100%');

-- A kept counter that is off is reported, and a rebuild repairs it.
UPDATE dialer.campaign_call_stats SET answered = answered + 1
 WHERE campaign_id = 'c1c1c1c1-0000-0000-0000-0000000000c1' AND shard = (SELECT min(shard) FROM dialer.campaign_call_stats);
SELECT is(pg_temp.exact(), 'calls.answered kept 3 recounted 2', 'verify reports a counter that is off');
SELECT is(dialer.rebuild_campaign_stats('c1c1c1c1-0000-0000-0000-0000000000c1'), 1, 'rebuild one campaign');
SELECT is(pg_temp.exact(), 'exact', 'rebuilt: exact');
SELECT is((SELECT count(*) FROM dialer.campaign_call_stats WHERE campaign_id = 'c1c1c1c1-0000-0000-0000-0000000000c1'),
          1::bigint, 'a rebuilt campaign has one counter row');

-- Switching statistics off stops the counters; switching on rebuilds them.
SELECT is(dialer.set_campaign_stats_enabled(false), true, 'statistics were on');
SELECT pg_temp.claim('+12125550205', '2026-03-02T15:30:00Z');
SELECT is(pg_temp.c1('{statistics_enabled}') || pg_temp.c1('{calls,total}'), '[false, 4]', 'while off nothing is counted');
SELECT is(dialer.set_campaign_stats_enabled(true), false, 'statistics were off');
SELECT is(pg_temp.c1('{calls,total}'), '5', 'switching on recounted the calls made meanwhile');
SELECT is(pg_temp.exact(), 'exact', 'after off/on: exact');

-- Deleting a campaign deletes its counters; a truncate zeroes them.
DELETE FROM dialer.campaigns WHERE id = 'c2c2c2c2-0000-0000-0000-0000000000c2';
SELECT is((SELECT count(*) FROM dialer.campaign_call_buckets WHERE campaign_id = 'c2c2c2c2-0000-0000-0000-0000000000c2'),
          0::bigint, 'a deleted campaign leaves no counters');
SET LOCAL client_min_messages = warning;
TRUNCATE dialer.calls CASCADE;
SELECT is(pg_temp.exact(), 'exact', 'truncate: exact');

SELECT * FROM finish();
ROLLBACK;
