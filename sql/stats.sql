-- Campaign statistics: the talk-time histogram layout and percentiles, counter-vector
-- arithmetic and its hostile inputs, a complete campaign_stats report, the time series,
-- the local-hour breakdown, dialability, and the error texts. The test tenant is
-- deleted at the end (with everything it owns).
SET client_min_messages = warning;

-- The talk-time histogram layout (the resolution of every percentile).
SELECT bucket, lower_seconds, upper_seconds,
       round((upper_seconds::numeric / nullif(lower_seconds, 0) - 1) * 100, 1) AS width_pct
  FROM dialer.talk_time_buckets();
SELECT dialer.talk_time_bucket(0), dialer.talk_time_bucket(15), dialer.talk_time_bucket(16),
       dialer.talk_time_bucket(3600), dialer.talk_time_bucket(16384), dialer.talk_time_bucket(9999999);
SELECT dialer.talk_time_bucket(-1);
SELECT dialer.talk_time_bucket_lower(57);

-- Percentiles interpolate inside a bucket; one-second buckets are exact.
SELECT dialer.talk_time_quantile('{0,0,0,5}', 0.5) AS exact_3s,
       dialer.talk_time_quantile(array_fill(0::bigint, ARRAY[28]) || 10::bigint, 0.5) AS mid_of_bucket_28,
       dialer.talk_time_quantile('{}', 0.5) AS empty,
       dialer.talk_time_quantile(array_fill(0::bigint, ARRAY[56]) || 1::bigint, 0.99) AS open_bucket;
SELECT dialer.talk_time_quantile('{1,-1}', 0.5);
SELECT dialer.talk_time_quantile('{1}', 1.5);
SELECT dialer.talk_time_quantile('{{1},{2}}', 0.5);
SELECT dialer.talk_time_quantile(array_fill(1::bigint, ARRAY[58]), 0.5);

-- Counter vectors: element-wise sums of any lengths, and what is refused.
SELECT dialer._stats_vector_add('{1,2,3}', '{10}'), dialer._stats_vector_add('{}', '{4,5}'),
       dialer._stats_vector_trim('{1,0,2,0,0}'), dialer._stats_vector_trim('{0,0}');
SELECT dialer._stats_vector_sum(v) FROM (VALUES ('{1,1}'::bigint[]), ('{0,0,7}'), (NULL)) AS t (v);
SELECT dialer._stats_vector(s, n) FROM (VALUES (3, 1::bigint), (1, 2), (3, 4), (NULL, 9)) AS t (s, n);
SELECT dialer._stats_vector_add('[0:1]={1,2}', '{1}');
SELECT dialer._stats_vector_add('{1,NULL}', '{1}');
SELECT dialer._stats_vector_add('{9223372036854775807}', '{1}');
SELECT dialer._stats_vector(0, 1);

-- A campaign worked through one morning in New York.
INSERT INTO dialer.tenants (id, name, default_region) VALUES ('71717171-0000-0000-0000-000000000001', 'Regress', 'US');
INSERT INTO dialer.campaigns (tenant_id, id, name, time_zone, uses_ai_voice, status, retry_policy, calling_windows)
VALUES ('71717171-0000-0000-0000-000000000001', '7c7c7c7c-0000-0000-0000-000000000001', 'Morning', 'America/New_York', false, 'running',
        '{"max_attempts": 3, "classes": {"no_answer": {"delays": [3600]}, "busy": {"delays": [600]}, "voicemail": {"delays": [7200]}, "human_incomplete": {"delays": [3600]}, "callback": {"delays": [1800]}, "abandoned": {"delays": [3600]}, "failed": {"delays": [3600]}, "transport_error": {"delays": [300]}}}',
        '{"days": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]]}}');
INSERT INTO dialer.contacts (tenant_id, phone, time_zone)
SELECT '71717171-0000-0000-0000-000000000001', '+1646555' || lpad(g::text, 4, '0'),
       CASE WHEN g % 5 = 0 THEN 'America/Los_Angeles' END
  FROM generate_series(1, 20) g;
INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
SELECT '71717171-0000-0000-0000-000000000001', '7c7c7c7c-0000-0000-0000-000000000001', phone
  FROM dialer.contacts WHERE tenant_id = '71717171-0000-0000-0000-000000000001';
-- Sixteen first attempts between 13:00 and 16:00 UTC, with a fixed outcome mix.
INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, outcome_class, attempt_number,
                          claimed_at, duration_seconds, cost)
SELECT l.tenant_id, l.campaign_id, l.id, l.phone,
       CASE WHEN o.class IN ('failed', 'transport_error') THEN 'failed' ELSE 'completed' END::dialer.call_status,
       o.class, 1, timestamptz '2026-03-02T13:00:00Z' + (l.n * interval '11 minutes'), o.seconds, o.cost
  FROM (SELECT l.*, row_number() OVER (ORDER BY l.phone) AS n FROM dialer.leads l
         WHERE l.campaign_id = '7c7c7c7c-0000-0000-0000-000000000001') l
  JOIN (VALUES (1, 'no_answer', 0, 0.010), (2, 'voicemail', 24, 0.020), (3, 'completed', 185, 0.150),
               (4, 'converted', 412, 0.330), (5, 'busy', 0, 0.005), (6, 'human_incomplete', 9, 0.010),
               (7, 'refused', 47, 0.040), (8, 'abandoned', 2, 0.010), (9, 'voicemail', 31, 0.020),
               (10, 'completed', 95, 0.080), (11, 'transport_error', NULL, NULL), (12, 'converted', 611, 0.500),
               (13, 'no_answer', 0, 0.010), (14, 'callback', 38, 0.030), (15, 'failed', NULL, NULL),
               (16, 'do_not_call', 12, 0.010)) AS o (n, class, seconds, cost) ON o.n = l.n;
UPDATE dialer.leads l
   SET attempts = 1, last_outcome_class = k.outcome_class, last_attempt_at = k.claimed_at,
       status = CASE WHEN oc.lead_status = 'retry' THEN 'scheduled' ELSE oc.lead_status END::dialer.lead_status,
       next_attempt_at = CASE WHEN oc.lead_status = 'retry' THEN timestamptz '2026-03-02T18:00:00Z' END
  FROM dialer.calls k JOIN dialer.outcome_classes oc USING (outcome_class)
 WHERE k.lead_id = l.id;
-- Two retries, one in flight.
INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, outcome_class, attempt_number, claimed_at, duration_seconds, cost)
SELECT tenant_id, campaign_id, lead_id, phone, 'completed', 'converted', 2, '2026-03-02T16:30:00Z', 300, 0.25
  FROM dialer.calls WHERE outcome_class = 'voicemail' AND duration_seconds = 24;
INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number, claimed_at)
SELECT tenant_id, campaign_id, lead_id, phone, 'claimed', 2, '2026-03-02T16:40:00Z'
  FROM dialer.calls WHERE outcome_class = 'busy';
UPDATE dialer.leads SET status = 'converted', attempts = 2
 WHERE id = (SELECT lead_id FROM dialer.calls WHERE attempt_number = 2 AND status = 'completed');
UPDATE dialer.leads SET status = 'in_progress', attempts = 2
 WHERE id = (SELECT lead_id FROM dialer.calls WHERE status = 'claimed');

SELECT count(*) AS differing_counters FROM dialer.verify_campaign_stats('7c7c7c7c-0000-0000-0000-000000000001');
SELECT jsonb_pretty(dialer.campaign_stats('7c7c7c7c-0000-0000-0000-000000000001', '2026-03-02T17:00:00Z'));
SELECT * FROM dialer.campaign_timeseries('7c7c7c7c-0000-0000-0000-000000000001', '1 hour',
                                         '2026-03-02T12:00:00Z', '2026-03-02T18:00:00Z');
SELECT bucket_start, attempts, finished, answered, abandon_rate
  FROM dialer.campaign_timeseries('7c7c7c7c-0000-0000-0000-000000000001', '1 day', p_to => '2026-03-04T00:00:00Z')
 WHERE attempts > 0;
SELECT * FROM dialer.campaign_local_hours('7c7c7c7c-0000-0000-0000-000000000001') WHERE finished > 0;
-- A lead edited by hand into a state the scheduler refuses (attempts without an outcome).
UPDATE dialer.leads SET attempts = 1
 WHERE id = (SELECT id FROM dialer.leads WHERE campaign_id = '7c7c7c7c-0000-0000-0000-000000000001'
                AND status = 'pending' ORDER BY phone LIMIT 1);
INSERT INTO dialer.suppressions (tenant_id, phone) VALUES ('71717171-0000-0000-0000-000000000001', '+16465550020');
SELECT jsonb_pretty(dialer.campaign_dialability('7c7c7c7c-0000-0000-0000-000000000001', '2026-03-02T19:00:00Z'));
-- At 23:30 UTC it is 18:30 in New York: the window is closed for the New York leads.
SELECT dialer.campaign_dialability('7c7c7c7c-0000-0000-0000-000000000001', '2026-03-02T23:30:00Z') -> 'blocked_by_rule';
SELECT public.get_campaign_stats('7c7c7c7c-0000-0000-0000-000000000001')
          - ARRAY(SELECT jsonb_object_keys(dialer.campaign_stats('7c7c7c7c-0000-0000-0000-000000000001'))) AS seed_keys;

-- Errors.
SELECT dialer.campaign_stats('7c7c7c7c-0000-0000-0000-00000000ffff');
SELECT dialer.campaign_timeseries('7c7c7c7c-0000-0000-0000-000000000001', '30 minutes');
SELECT dialer.campaign_timeseries('7c7c7c7c-0000-0000-0000-000000000001', '1 mon');
SELECT dialer.campaign_timeseries('7c7c7c7c-0000-0000-0000-000000000001', '1 hour', '2026-03-02', '2026-03-01');
SELECT dialer.campaign_timeseries('7c7c7c7c-0000-0000-0000-000000000001', '1 hour', '2020-01-01', '2026-03-01');
SELECT dialer.campaign_dialability('7c7c7c7c-0000-0000-0000-000000000001', p_limit => 0);
SELECT dialer.set_campaign_stats_enabled(NULL);
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT dialer.rebuild_campaign_stats();
ROLLBACK;
SELECT dialer.rebuild_campaign_stats('7c7c7c7c-0000-0000-0000-00000000ffff');
SELECT dialer.rebuild_campaign_stats('7c7c7c7c-0000-0000-0000-000000000001') AS rebuilt,
       (SELECT count(*) FROM dialer.verify_campaign_stats('7c7c7c7c-0000-0000-0000-000000000001')) AS differing_counters;

DELETE FROM dialer.tenants WHERE id = '71717171-0000-0000-0000-000000000001';
SELECT count(*) AS counter_rows_left FROM dialer.campaign_call_stats WHERE tenant_id = '71717171-0000-0000-0000-000000000001';
