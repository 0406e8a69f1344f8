-- The seed-compatible RPC public.get_campaign_stats through the PostgREST request
-- helper: a member of the campaign's tenant gets the original keys and the rich
-- figures; a member of another tenant, an unknown campaign and anon get no numbers.
\set QUIET on
BEGIN;
\i test/helpers/stats_fixture.sql
SELECT plan(13);

SELECT pg_temp.claim('+1212555020' || g, '2026-03-02T14:00:00Z') FROM generate_series(1, 3) g;
UPDATE dialer.calls SET status = 'completed', outcome_class = 'completed', duration_seconds = 60 WHERE phone = '+12125550201';
UPDATE dialer.calls SET status = 'completed', outcome_class = 'voicemail', duration_seconds = 31 WHERE phone = '+12125550202';
UPDATE dialer.calls SET status = 'failed', outcome_class = 'failed' WHERE phone = '+12125550203';
UPDATE dialer.leads SET status = 'scheduled' WHERE phone IN ('+12125550202', '+12125550203');

CREATE TEMP TABLE requests AS
SELECT who, test_helpers.postgrest_request('POST', 'get_campaign_stats',
                                           '{"campaign_id": "c1c1c1c1-0000-0000-0000-0000000000c1"}',
                                           role, claims) AS response
  FROM (VALUES ('member', 'authenticated', '{"sub": "00000000-0000-0000-0000-0000000000d0"}'::jsonb),
               ('other tenant', 'authenticated', '{"sub": "00000000-0000-0000-0000-0000000000e0"}'),
               ('no membership', 'authenticated', '{"sub": "00000000-0000-0000-0000-0000000000ff"}'),
               ('anon', 'anon', NULL),
               ('service', 'service_role', NULL)) AS r (who, role, claims);

SELECT is((SELECT response -> 'status' FROM requests WHERE who = 'member'), '200', 'a member of the tenant gets 200');
SELECT is((SELECT (response -> 'body') - ARRAY(SELECT jsonb_object_keys(dialer.campaign_stats('c1c1c1c1-0000-0000-0000-0000000000c1')))
             FROM requests WHERE who = 'member'),
          '{"total_calls": 3, "avg_duration": 45.50, "failed_calls": 1, "pending_calls": 4, "completed_calls": 2}',
          'the original keys: 3 calls, 2 completed (mean 45.5 s), 1 failed, 4 leads still to call');
SELECT is((SELECT response #> '{body,rates,answer_rate}' FROM requests WHERE who = 'member'), '0.6667',
          'plus the rich figures (answer rate 2 of 3)');
SELECT is((SELECT response #> '{body,talk_time,p50}' FROM requests WHERE who = 'member'), '32.0',
          'and talk-time percentiles (the median 31 s lies in the bucket [27 s, 32 s))');
SELECT is((SELECT response FROM requests WHERE who = 'other tenant'),
          '{"status": 404, "body": {"code": "PT404", "message": "campaign c1c1c1c1-0000-0000-0000-0000000000c1 not found", "details": "No campaign with this id is visible to the caller.", "hint": "Check the id, and that you are a member of the campaign''s tenant."}}',
          'a member of another tenant gets 404 and no numbers');
SELECT is((SELECT response -> 'status' FROM requests WHERE who = 'no membership'), '404', 'a user without membership gets 404');
SELECT is((SELECT response -> 'status' FROM requests WHERE who = 'anon'), '401', 'anon may not call it (401)');
SELECT is((SELECT response #> '{body,total_calls}' FROM requests WHERE who = 'service'), '3', 'service_role gets the numbers');
SELECT is(test_helpers.postgrest_request('GET', 'get_campaign_stats', '{"campaign_id": "99999999-0000-0000-0000-000000000000"}',
                                         'authenticated', '{"sub": "00000000-0000-0000-0000-0000000000d0"}') -> 'status',
          '404', 'an unknown campaign is 404 like an invisible one');
SELECT is(test_helpers.postgrest_request('GET', 'get_campaign_stats', '{"campaign_id": "c1c1c1c1-0000-0000-0000-0000000000c1"}',
                                         'authenticated', '{"sub": "00000000-0000-0000-0000-0000000000d0"}') -> 'status',
          '200', 'GET works too (a read-only transaction)');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.campaign_timeseries',
            '{"p_campaign_id": "c1c1c1c1-0000-0000-0000-0000000000c1", "p_bucket": "1 hour", "p_from": "2026-03-02T14:00:00Z", "p_to": "2026-03-02T15:00:00Z"}',
            'authenticated', '{"sub": "00000000-0000-0000-0000-0000000000d0"}') #> '{body,0,attempts}',
          '3', 'campaign_timeseries over RPC');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.campaign_timeseries',
            '{"p_campaign_id": "c1c1c1c1-0000-0000-0000-0000000000c1", "p_bucket": "1 hour"}',
            'authenticated', '{"sub": "00000000-0000-0000-0000-0000000000e0"}') -> 'status',
          '404', 'and not for another tenant');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.campaign_timeseries',
            '{"p_campaign_id": "c1c1c1c1-0000-0000-0000-0000000000c1", "p_bucket": "90 minutes"}',
            'authenticated', '{"sub": "00000000-0000-0000-0000-0000000000d0"}') #>> '{body,code}',
          '22023', 'a bucket that is not whole hours is 400 (22023)');
SELECT * FROM finish();
ROLLBACK;
