-- Campaign statistics, part 3: the reports. dialer.campaign_stats() reads only kept
-- counters (a bounded number of rows whatever the campaign's size) plus one index
-- range count; dialer.campaign_timeseries() and dialer.campaign_local_hours() read
-- the buckets and vectors; dialer.campaign_dialability() is the one report that scans
-- leads, and says so. Definitions of every figure: docs/stats.md.

-- Leads waiting for a retry that is not due yet: counted by an index range scan (the
-- one part of dialer.campaign_stats that is not a counter read; see docs/stats.md).
CREATE INDEX leads_waiting_idx ON dialer.leads (tenant_id, campaign_id, next_attempt_at)
  WHERE status IN ('pending', 'scheduled');

CREATE FUNCTION dialer._stats_visible_campaign(p_campaign_id uuid)
RETURNS uuid
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
DECLARE
  v_tenant uuid;
BEGIN
  SELECT c.tenant_id INTO v_tenant FROM dialer.campaigns c WHERE c.id = p_campaign_id;
  -- Why the same error for "missing" and "not yours": the answer must not reveal that
  -- another tenant's campaign exists.
  IF v_tenant IS NULL OR NOT dialer.has_tenant_role(v_tenant, 'viewer') THEN
    RAISE EXCEPTION 'campaign % not found', p_campaign_id
      USING ERRCODE = 'PT404',
            DETAIL = 'No campaign with this id is visible to the caller.',
            HINT = 'Check the id, and that you are a member of the campaign''s tenant.';
  END IF;
  RETURN v_tenant;
END
$$;
COMMENT ON FUNCTION dialer._stats_visible_campaign(uuid) IS
  'The tenant of a campaign the caller may read (a member of its tenant, or a role that '
  'bypasses RLS); PT404 otherwise, whether or not the campaign exists.';
REVOKE EXECUTE ON FUNCTION dialer._stats_visible_campaign(uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_ratio(p_part numeric, p_whole numeric, p_digits integer DEFAULT 4)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN p_whole > 0 THEN round(p_part / p_whole, p_digits) END $$;
COMMENT ON FUNCTION dialer._stats_ratio(numeric, numeric, integer) IS
  'p_part / p_whole rounded to p_digits decimals; NULL when the whole is zero.';
REVOKE EXECUTE ON FUNCTION dialer._stats_ratio(numeric, numeric, integer) FROM PUBLIC;

CREATE FUNCTION dialer._stats_distribution(p_vector bigint[], p_first integer, p_last_label text)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
BEGIN
  RETURN (SELECT coalesce(jsonb_object_agg(CASE WHEN v.i = 16 - p_first + 1 THEN p_last_label
                                                ELSE (v.i + p_first - 1)::text END, v.n), '{}')
            FROM unnest(p_vector) WITH ORDINALITY AS v (n, i)
           WHERE v.n <> 0);
END
$$;
COMMENT ON FUNCTION dialer._stats_distribution(bigint[], integer, text) IS
  'A 16-or-more capped count vector as a JSON object {"value": count}: element i counts value '
  'i + p_first - 1, and the element for 16 is labelled p_last_label; zero counts left out.';
REVOKE EXECUTE ON FUNCTION dialer._stats_distribution(bigint[], integer, text) FROM PUBLIC;

CREATE FUNCTION dialer.campaign_stats(p_campaign_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_tenant uuid := dialer._stats_visible_campaign(p_campaign_id);
  c dialer.campaign_call_stats;
  l dialer.campaign_lead_stats;
  v_lead_status jsonb;
  v_call_status jsonb;
  v_classes jsonb;
  v_waiting bigint;
  v_not_due bigint;
  v_final bigint;
  v_penetrated bigint;
  v_us_from timestamptz := date_trunc('day', p_now, 'UTC') - interval '29 days';
  v_us_abandoned bigint;
  v_us_live bigint;
  v_uk_from timestamptz := date_trunc('hour', p_now, 'UTC') - interval '23 hours';
  v_uk_abandoned bigint;
  v_uk_human bigint;
  v_uk_machine bigint;
  v_uk_machine_drops numeric;
BEGIN
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  SELECT * INTO c FROM dialer._stats_call_totals(v_tenant, p_campaign_id);
  SELECT * INTO l FROM dialer._stats_lead_totals(v_tenant, p_campaign_id);

  SELECT jsonb_object_agg(e.s, coalesce(l.by_status[e.i], 0)),
         coalesce(sum(l.by_status[e.i]) FILTER (WHERE e.s IN ('pending', 'scheduled')), 0),
         coalesce(sum(l.by_status[e.i]) FILTER (WHERE e.s IN ('completed', 'converted', 'refused',
                                                              'do_not_call', 'invalid', 'failed')), 0),
         coalesce(sum(l.by_status[e.i]) FILTER (WHERE e.s IN ('completed', 'converted', 'refused',
                                                              'do_not_call', 'invalid', 'failed',
                                                              'cancelled')), 0)
    INTO v_lead_status, v_waiting, v_penetrated, v_final
    FROM unnest(enum_range(NULL::dialer.lead_status)) WITH ORDINALITY AS e (s, i);
  SELECT jsonb_object_agg(e.s, coalesce(c.by_status[e.i], 0)) INTO v_call_status
    FROM unnest(enum_range(NULL::dialer.call_status)) WITH ORDINALITY AS e (s, i);
  SELECT coalesce(jsonb_object_agg(k.name, k.n), '{}') INTO v_classes
    FROM (SELECT oc.outcome_class AS name, coalesce(c.by_class[s.slot], 0) AS n
            FROM dialer.outcome_classes oc JOIN dialer.stats_outcome_slots s USING (outcome_class)
          UNION ALL
          SELECT x.name, c.by_class[x.slot]
            FROM (VALUES ('no_class', 1), ('unlisted_class', 2)) AS x (name, slot)
           WHERE c.by_class[x.slot] <> 0
          UNION ALL
          -- Classes since removed from dialer.outcome_classes keep their slot and count.
          SELECT s.outcome_class, c.by_class[s.slot]
            FROM dialer.stats_outcome_slots s
           WHERE c.by_class[s.slot] <> 0
             AND NOT EXISTS (SELECT 1 FROM dialer.outcome_classes oc
                              WHERE oc.outcome_class = s.outcome_class)) AS k;

  -- Index range count, not a counter: see docs/stats.md ("constant time").
  SELECT count(*) INTO v_not_due
    FROM dialer.leads ld
   WHERE ld.tenant_id = v_tenant AND ld.campaign_id = p_campaign_id
     AND ld.status IN ('pending', 'scheduled') AND ld.next_attempt_at > p_now;

  SELECT coalesce(sum(b.abandoned), 0), coalesce(sum(b.human), 0) INTO v_us_abandoned, v_us_live
    FROM dialer.campaign_call_buckets b
   WHERE b.tenant_id = v_tenant AND b.campaign_id = p_campaign_id AND b.granularity = 'day'
     AND b.bucket_start >= v_us_from AND b.bucket_start <= p_now;
  SELECT coalesce(sum(b.abandoned), 0), coalesce(sum(b.human), 0), coalesce(sum(b.machine), 0)
    INTO v_uk_abandoned, v_uk_human, v_uk_machine
    FROM dialer.campaign_call_buckets b
   WHERE b.tenant_id = v_tenant AND b.campaign_id = p_campaign_id AND b.granularity = 'hour'
     AND b.bucket_start >= v_uk_from AND b.bucket_start <= p_now;
  -- Ofcom's answering-machine adjustment: the share of connected calls that reached a
  -- machine, applied to the drops, estimates the drops that hit machines.
  v_uk_machine_drops := CASE WHEN v_uk_machine + v_uk_human - v_uk_abandoned > 0
    THEN v_uk_abandoned::numeric * v_uk_machine / (v_uk_machine + v_uk_human - v_uk_abandoned)
    ELSE 0 END;

  RETURN jsonb_build_object(
    'campaign_id', p_campaign_id,
    'as_of', p_now,
    'statistics_enabled', dialer.campaign_stats_enabled(),
    'leads', jsonb_build_object(
      'total', l.leads,
      'by_status', v_lead_status,
      'waiting', v_waiting,
      'due_now', v_waiting - v_not_due,
      'not_yet_due', v_not_due,
      'attempted', l.leads - coalesce(l.by_attempts[1], 0),
      'contacted', l.contacted_leads),
    'calls', jsonb_build_object(
      'total', c.calls,
      'attempts', c.attempts,
      'finished_attempts', c.finished,
      'in_flight', c.in_flight,
      'pre_dial_rejections', c.pre_dial_rejections,
      'unknown_results', c.unknown_results,
      'avg_completed_duration', dialer._stats_ratio(c.completed_seconds, c.completed_timed_calls, 2),
      'by_status', v_call_status,
      'by_outcome_class', v_classes),
    'outcomes', jsonb_build_object(
      'answered', c.answered, 'human', c.human, 'machine', c.machine, 'contacts', c.contacts,
      'conversions', c.conversions, 'abandoned', c.abandoned),
    'rates', jsonb_build_object(
      'answer_rate', dialer._stats_ratio(c.answered, c.finished),
      'human_contact_rate', dialer._stats_ratio(c.human, c.finished),
      'voicemail_rate', dialer._stats_ratio(c.machine, c.answered),
      'contact_rate', dialer._stats_ratio(c.contacts, c.finished),
      'conversion_per_contact', dialer._stats_ratio(c.conversions, c.contacts),
      'conversion_per_lead', dialer._stats_ratio(c.conversions, l.leads)),
    'abandon_rate', jsonb_build_object(
      'us_30d', jsonb_build_object(
        'rate', dialer._stats_ratio(v_us_abandoned, v_us_live),
        'abandoned', v_us_abandoned, 'live_answered', v_us_live,
        'window_start', v_us_from, 'window_end', v_us_from + interval '30 days'),
      'uk_24h', jsonb_build_object(
        'rate', dialer._stats_ratio(v_uk_abandoned - v_uk_machine_drops,
                                    v_uk_human - v_uk_machine_drops),
        'abandoned', v_uk_abandoned, 'estimated_machine_drops', round(v_uk_machine_drops, 2),
        'live', v_uk_human, 'machine', v_uk_machine,
        'window_start', v_uk_from, 'window_end', v_uk_from + interval '24 hours')),
    'attempts_per_lead', jsonb_build_object(
      'mean', dialer._stats_ratio(l.attempts, l.leads, 2),
      'mean_attempted', dialer._stats_ratio(l.attempts, l.leads - coalesce(l.by_attempts[1], 0), 2),
      'distribution', dialer._stats_distribution(l.by_attempts, 0, '16+')),
    'attempts_to_first_contact', jsonb_build_object(
      'contacted_leads', l.contacted_leads,
      'mean', dialer._stats_ratio(l.first_contact_attempts, l.contacted_leads, 2),
      'distribution', dialer._stats_distribution(l.by_first_contact, 1, '16+')),
    'talk_time', jsonb_build_object(
      'calls', c.talk_calls,
      'total_seconds', c.talk_seconds,
      'mean', dialer._stats_ratio(c.talk_seconds, c.talk_calls, 1),
      'p50', round(dialer.talk_time_quantile(c.talk_histogram, 0.5)::numeric, 1),
      'p90', round(dialer.talk_time_quantile(c.talk_histogram, 0.9)::numeric, 1),
      'p99', round(dialer.talk_time_quantile(c.talk_histogram, 0.99)::numeric, 1)),
    'cost', jsonb_build_object(
      'total', c.cost,
      'per_call', dialer._stats_ratio(c.cost, c.finished, 6),
      'per_connected_minute', dialer._stats_ratio(c.cost * 60, c.talk_seconds, 6),
      'per_contact', dialer._stats_ratio(c.cost, c.contacts, 6),
      'per_conversion', dialer._stats_ratio(c.cost, c.conversions, 6)),
    'penetration', dialer._stats_ratio(v_penetrated, l.leads),
    'completion', dialer._stats_ratio(v_final, l.leads),
    'by_attempt_number', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
               'attempt', CASE WHEN a.i = 16 THEN '16+' ELSE a.i::text END,
               'finished', a.n,
               'contacts', coalesce(c.contacts_by_attempt[a.i], 0),
               'conversions', coalesce(c.conversions_by_attempt[a.i], 0),
               'contact_rate', dialer._stats_ratio(coalesce(c.contacts_by_attempt[a.i], 0), a.n))
             ORDER BY a.i), '[]')
        FROM unnest(c.finished_by_attempt) WITH ORDINALITY AS a (n, i)
       WHERE a.n <> 0));
END
$$;
COMMENT ON FUNCTION dialer.campaign_stats(uuid, timestamptz) IS
  'A campaign''s statistics as JSON: leads by status and due now, calls by status and outcome '
  'class, answer / human contact / voicemail / contact rates, conversion per contact and per lead, '
  'abandon rates (US 30 days, UK 24 h answering-machine adjusted), attempts per lead and to first '
  'contact, talk time mean and p50/p90/p99, cost per call / connected minute / contact / '
  'conversion, penetration, completion, results by attempt number. Reads kept counters (constant '
  'time) plus one index count of leads not yet due. PT404 unless the caller is a member of the '
  'campaign''s tenant. Definitions: docs/stats.md.';
REVOKE EXECUTE ON FUNCTION dialer.campaign_stats(uuid, timestamptz) FROM PUBLIC;

CREATE FUNCTION dialer.campaign_timeseries(
  p_campaign_id uuid,
  p_bucket interval DEFAULT '1 hour',
  p_from timestamptz DEFAULT NULL,
  p_to timestamptz DEFAULT NULL)
RETURNS TABLE (
  bucket_start timestamptz, attempts bigint, finished bigint, answered bigint, human bigint,
  machine bigint, contacts bigint, conversions bigint, abandoned bigint, talk_seconds bigint,
  cost numeric, answer_rate numeric, contact_rate numeric, abandon_rate numeric)
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_tenant uuid := dialer._stats_visible_campaign(p_campaign_id);
  v_granularity text;
  v_to timestamptz := coalesce(p_to, now());
  v_from timestamptz;
  v_bucket_seconds numeric := extract(epoch FROM p_bucket);
  v_buckets numeric;
BEGIN
  IF p_bucket IS NULL OR p_bucket < interval '1 hour' OR v_bucket_seconds % 3600 <> 0
     OR date_part('month', p_bucket) <> 0 OR date_part('year', p_bucket) <> 0 THEN
    RAISE EXCEPTION 'bucket % is not a whole number of hours or days', coalesce(p_bucket::text, 'NULL')
      USING ERRCODE = '22023',
            DETAIL = 'Statistics are kept per UTC hour and per UTC day, so a chart bucket is a '
                     'multiple of one hour (months vary in length and are not supported).',
            HINT = 'Pass e.g. ''1 hour'', ''6 hours'', ''1 day'' or ''7 days''.';
  END IF;
  IF NOT isfinite(v_to) OR NOT coalesce(isfinite(p_from), true) THEN
    PERFORM dialer._invalid_arg(CASE WHEN isfinite(v_to) THEN 'p_from' ELSE 'p_to' END,
                                CASE WHEN isfinite(v_to) THEN p_from ELSE v_to END::text, 'a finite timestamp');
  END IF;
  -- Why in epoch seconds (numeric): timestamptz - timestamptz overflows an interval for
  -- ranges hundreds of thousands of years wide, and the overflow passed the bound.
  v_buckets := CASE WHEN p_from IS NULL THEN 24
                    ELSE ceil((extract(epoch FROM v_to) - extract(epoch FROM p_from)) / v_bucket_seconds) END;
  IF v_buckets > dialer._limit('max_timeseries_buckets') THEN
    PERFORM dialer._over_limit(format('the number of buckets of %s from %s to %s', p_bucket, p_from, v_to),
                               v_buckets, 'max_timeseries_buckets');
  END IF;
  -- Day rows when the bucket is whole days: 24 times fewer rows to add up.
  v_granularity := CASE WHEN v_bucket_seconds % 86400 = 0 THEN 'day' ELSE 'hour' END;
  v_from := coalesce(p_from, v_to - 24 * p_bucket);
  IF v_from >= v_to THEN
    RAISE EXCEPTION 'time range [%, %) is empty', v_from, v_to
      USING ERRCODE = '22023', DETAIL = 'p_from must be earlier than p_to.',
            HINT = 'Swap them, or leave p_from NULL for the 24 buckets before p_to.';
  END IF;
  RETURN QUERY
  WITH series AS (
    SELECT g AS start
      FROM generate_series(date_bin(p_bucket, v_from, timestamptz '2000-01-03 00:00:00+00'),
                           v_to - interval '1 microsecond', p_bucket) AS g),
  sums AS (
    SELECT date_bin(p_bucket, b.bucket_start, timestamptz '2000-01-03 00:00:00+00') AS start,
           sum(b.attempts)::bigint AS attempts, sum(b.finished)::bigint AS finished,
           sum(b.answered)::bigint AS answered, sum(b.human)::bigint AS human,
           sum(b.machine)::bigint AS machine, sum(b.contacts)::bigint AS contacts,
           sum(b.conversions)::bigint AS conversions, sum(b.abandoned)::bigint AS abandoned,
           sum(b.talk_seconds)::bigint AS talk_seconds, sum(b.cost) AS cost
      FROM dialer.campaign_call_buckets b
     WHERE b.tenant_id = v_tenant AND b.campaign_id = p_campaign_id AND b.granularity = v_granularity
       AND b.bucket_start >= (SELECT min(s.start) FROM series s) AND b.bucket_start < v_to
     GROUP BY 1)
  SELECT s.start, coalesce(x.attempts, 0), coalesce(x.finished, 0), coalesce(x.answered, 0),
         coalesce(x.human, 0), coalesce(x.machine, 0), coalesce(x.contacts, 0),
         coalesce(x.conversions, 0), coalesce(x.abandoned, 0), coalesce(x.talk_seconds, 0),
         coalesce(x.cost, 0),
         dialer._stats_ratio(x.answered, x.finished), dialer._stats_ratio(x.contacts, x.finished),
         dialer._stats_ratio(x.abandoned, x.human)
    FROM series s LEFT JOIN sums x ON x.start = s.start
   ORDER BY s.start;
END
$$;
COMMENT ON FUNCTION dialer.campaign_timeseries(uuid, interval, timestamptz, timestamptz) IS
  'A campaign''s calls over time for charts: one row per bucket of p_bucket (whole hours or days, '
  'aligned to UTC midnight and, for multi-day buckets, to Mondays) from p_from (default: 24 buckets '
  'back) to p_to (default now), with attempts, outcomes, talk time, cost and rates, by attempt '
  'time. Reads the kept hourly or daily counters. PT404 unless the caller is a member of the '
  'campaign''s tenant.';
REVOKE EXECUTE ON FUNCTION dialer.campaign_timeseries(uuid, interval, timestamptz, timestamptz) FROM PUBLIC;

CREATE FUNCTION dialer.campaign_local_hours(p_campaign_id uuid)
RETURNS TABLE (
  local_hour integer, finished bigint, answered bigint, contacts bigint, conversions bigint,
  answer_rate numeric, contact_rate numeric, conversion_rate numeric)
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_tenant uuid := dialer._stats_visible_campaign(p_campaign_id);
  c dialer.campaign_call_stats;
BEGIN
  SELECT * INTO c FROM dialer._stats_call_totals(v_tenant, p_campaign_id);
  RETURN QUERY
  SELECT h, coalesce(c.finished_by_local_hour[h + 1], 0), coalesce(c.answered_by_local_hour[h + 1], 0),
         coalesce(c.contacts_by_local_hour[h + 1], 0), coalesce(c.conversions_by_local_hour[h + 1], 0),
         dialer._stats_ratio(c.answered_by_local_hour[h + 1], c.finished_by_local_hour[h + 1]),
         dialer._stats_ratio(c.contacts_by_local_hour[h + 1], c.finished_by_local_hour[h + 1]),
         dialer._stats_ratio(c.conversions_by_local_hour[h + 1], c.contacts_by_local_hour[h + 1])
    FROM generate_series(0, 23) AS h
   ORDER BY h;
END
$$;
COMMENT ON FUNCTION dialer.campaign_local_hours(uuid) IS
  'A campaign''s finished attempts by the hour of day (0-23) in the called person''s time zone '
  '(calls.recipient_time_zone) when the attempt was made, with answers, contacts, conversions and '
  'their rates: when are people reachable. Reads kept counters. PT404 unless the caller is a '
  'member of the campaign''s tenant.';
REVOKE EXECUTE ON FUNCTION dialer.campaign_local_hours(uuid) FROM PUBLIC;

-- The scheduler's reasons grouped into the categories a dashboard shows.
CREATE FUNCTION dialer._stats_block_category(p_reason text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN p_reason IN ('window', 'no_open_window', 'no_time_zone') THEN 'window'
    WHEN p_reason IN ('cap', 'max_attempts', 'class_max_attempts') THEN 'cap'
    WHEN p_reason IN ('retry_delay', 'min_gap', 'after_abandoned', 'after_refusal') THEN 'cool_down'
    WHEN p_reason = 'suppressed' THEN 'suppression'
    WHEN p_reason = 'no_consent' THEN 'consent'
    WHEN p_reason IN ('campaign_start', 'campaign_ended') THEN 'schedule'
    ELSE 'other' END
$$;
COMMENT ON FUNCTION dialer._stats_block_category(text) IS
  'The category of a scheduler reason: window, cap, cool_down, suppression, consent, schedule '
  '(campaign start/end) or other (terminal outcome, unknown result, no retry rule, a lead in a '
  'state the scheduler refuses).';
REVOKE EXECUTE ON FUNCTION dialer._stats_block_category(text) FROM PUBLIC;

CREATE FUNCTION dialer.campaign_dialability(
  p_campaign_id uuid,
  p_now timestamptz DEFAULT now(),
  p_limit integer DEFAULT 10000)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_tenant uuid := dialer._stats_visible_campaign(p_campaign_id);
  v_status dialer.campaign_status;
  v_waiting bigint;
  v_lead uuid;
  v_explain jsonb;
  v_reason text;
  v_scanned bigint := 0;
  v_dialable bigint := 0;
  v_by_rule jsonb := '{}';
BEGIN
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 1000000 THEN
    RAISE EXCEPTION 'invalid p_limit: %', coalesce(p_limit::text, 'NULL')
      USING ERRCODE = '22023', DETAIL = 'p_limit must be between 1 and 1000000.',
            HINT = 'Pass p_limit between 1 and 1000000 (the most waiting leads to decide on).';
  END IF;
  SELECT c.status INTO v_status FROM dialer.campaigns c WHERE c.tenant_id = v_tenant AND c.id = p_campaign_id;
  SELECT count(*) INTO v_waiting FROM dialer.leads l
   WHERE l.tenant_id = v_tenant AND l.campaign_id = p_campaign_id AND l.status IN ('pending', 'scheduled');
  -- One scheduler decision per waiting lead, the ones due soonest first: this is the
  -- report that costs O(leads), bounded by p_limit.
  FOR v_lead IN
    SELECT l.id FROM dialer.leads l
     WHERE l.tenant_id = v_tenant AND l.campaign_id = p_campaign_id AND l.status IN ('pending', 'scheduled')
     ORDER BY l.next_attempt_at NULLS FIRST, l.id
     LIMIT p_limit
  LOOP
    v_scanned := v_scanned + 1;
    BEGIN
      v_explain := dialer._explain_lead(v_tenant, v_lead, p_now);
      v_reason := CASE WHEN v_explain ->> 'status' <> 'never'
                        AND (v_explain ->> 'next_attempt_at')::timestamptz <= p_now THEN NULL
                       ELSE coalesce(v_explain ->> 'reason', 'other') END;
    EXCEPTION WHEN data_exception THEN
      -- Why caught: one lead edited into a state the scheduler refuses (an attempt
      -- count without its outcome, say) must not hide the rest of the report.
      v_reason := 'invalid_lead_state';
    END;
    IF v_reason IS NULL THEN
      v_dialable := v_dialable + 1;
    ELSE
      v_by_rule := v_by_rule || jsonb_build_object(v_reason, coalesce((v_by_rule ->> v_reason)::bigint, 0) + 1);
    END IF;
  END LOOP;
  RETURN jsonb_build_object(
    'campaign_id', p_campaign_id, 'as_of', p_now, 'campaign_status', v_status,
    'campaign_blocks_all', v_status <> 'running', 'waiting', v_waiting,
    'scanned', v_scanned, 'complete', v_scanned = v_waiting, 'dialable_now', v_dialable,
    'blocked', (SELECT coalesce(jsonb_object_agg(k.category, k.n), '{}')
                  FROM (SELECT dialer._stats_block_category(r.key) AS category, sum(r.value::bigint) AS n
                          FROM jsonb_each_text(v_by_rule) AS r GROUP BY 1) AS k),
    'blocked_by_rule', v_by_rule);
END
$$;
COMMENT ON FUNCTION dialer.campaign_dialability(uuid, timestamptz, integer) IS
  'Which waiting leads (pending or scheduled) of a campaign the scheduler would let be called at '
  'p_now, and why the others may not: counts by category (window, cap, cool_down, suppression, '
  'consent, schedule, other) and by scheduler rule. Not constant time: one scheduler decision '
  'per waiting lead, due soonest first, at most p_limit (complete says whether all were seen). '
  'campaign_blocks_all is true when the campaign itself is not running. PT404 unless the caller '
  'is a member of the campaign''s tenant.';
REVOKE EXECUTE ON FUNCTION dialer.campaign_dialability(uuid, timestamptz, integer) FROM PUBLIC;

INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.campaign_stats(uuid, timestamptz)',
                    'dialer.campaign_timeseries(uuid, interval, timestamptz, timestamptz)',
                    'dialer.campaign_local_hours(uuid)',
                    'dialer.campaign_dialability(uuid, timestamptz, integer)',
                    'dialer.talk_time_buckets()',
                    -- what talk_time_buckets() is made of, and how clients read a histogram
                    'dialer.talk_time_bucket(bigint)',
                    'dialer.talk_time_bucket_lower(integer)',
                    'dialer.talk_time_quantile(bigint[], double precision)']) AS f,
       unnest(ARRAY['authenticated', 'service_role']) AS g
UNION ALL
SELECT f::regprocedure, 'service_role'
  FROM unnest(ARRAY['dialer.verify_campaign_stats(uuid)',
                    'dialer.rebuild_campaign_stats(uuid)',
                    'dialer.campaign_stats_enabled()']) AS f;
