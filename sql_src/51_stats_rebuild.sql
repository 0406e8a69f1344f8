-- Campaign statistics, part 2: reading the kept counters (summed over shards), recounting
-- them from the base tables, checking the two agree, rebuilding, and switching the
-- statistics triggers off and on.
--
-- The recount below derives every counter a second, independent way (one aggregate
-- pass over the campaign's rows instead of per-statement deltas). The two must agree:
-- dialer.verify_campaign_stats() lists every counter where they do not, and the tests
-- run it after scripted and random activity.

-- ---- kept counters, summed over shards --------------------------------------------

-- Why SETOF, no SET clause and fully qualified names: so the planner inlines it into
-- the caller's query, whose plan PL/pgSQL keeps (a called SQL function is planned anew
-- on every call).
CREATE FUNCTION dialer._stats_call_totals(p_tenant_id uuid, p_campaign_id uuid)
RETURNS SETOF dialer.campaign_call_stats
LANGUAGE sql STABLE
AS $$
  SELECT p_tenant_id AS tenant_id, p_campaign_id AS campaign_id, 0::smallint AS shard,
         coalesce(sum(s.calls), 0)::bigint AS calls,
         coalesce(sum(s.attempts), 0)::bigint AS attempts,
         coalesce(sum(s.finished), 0)::bigint AS finished,
         coalesce(sum(s.in_flight), 0)::bigint AS in_flight,
         coalesce(sum(s.answered), 0)::bigint AS answered,
         coalesce(sum(s.human), 0)::bigint AS human,
         coalesce(sum(s.machine), 0)::bigint AS machine,
         coalesce(sum(s.contacts), 0)::bigint AS contacts,
         coalesce(sum(s.conversions), 0)::bigint AS conversions,
         coalesce(sum(s.abandoned), 0)::bigint AS abandoned,
         coalesce(sum(s.pre_dial_rejections), 0)::bigint AS pre_dial_rejections,
         coalesce(sum(s.unknown_results), 0)::bigint AS unknown_results,
         coalesce(sum(s.talk_calls), 0)::bigint AS talk_calls,
         coalesce(sum(s.talk_seconds), 0)::bigint AS talk_seconds,
         coalesce(sum(s.completed_timed_calls), 0)::bigint AS completed_timed_calls,
         coalesce(sum(s.completed_seconds), 0)::bigint AS completed_seconds,
         coalesce(sum(s.cost), 0) AS cost,
         coalesce(sum(s.cost_calls), 0)::bigint AS cost_calls,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.by_status)), '{}') AS by_status,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.by_class)), '{}') AS by_class,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.talk_histogram)), '{}') AS talk_histogram,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.finished_by_attempt)), '{}') AS finished_by_attempt,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.contacts_by_attempt)), '{}') AS contacts_by_attempt,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.conversions_by_attempt)), '{}') AS conversions_by_attempt,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.finished_by_local_hour)), '{}') AS finished_by_local_hour,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.answered_by_local_hour)), '{}') AS answered_by_local_hour,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.contacts_by_local_hour)), '{}') AS contacts_by_local_hour,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.conversions_by_local_hour)), '{}') AS conversions_by_local_hour
    FROM dialer.campaign_call_stats s
   WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id
$$;
COMMENT ON FUNCTION dialer._stats_call_totals(uuid, uuid) IS
  'A campaign''s kept call counters summed over its shards, as one row (shard 0 stands for '
  'the sum; vectors without trailing zeros).';
REVOKE EXECUTE ON FUNCTION dialer._stats_call_totals(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_lead_totals(p_tenant_id uuid, p_campaign_id uuid)
RETURNS SETOF dialer.campaign_lead_stats
LANGUAGE sql STABLE
AS $$
  SELECT p_tenant_id AS tenant_id, p_campaign_id AS campaign_id, 0::smallint AS shard,
         coalesce(sum(s.leads), 0)::bigint AS leads,
         coalesce(sum(s.attempts), 0)::bigint AS attempts,
         coalesce(sum(s.contacted_leads), 0)::bigint AS contacted_leads,
         coalesce(sum(s.first_contact_attempts), 0)::bigint AS first_contact_attempts,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.by_status)), '{}') AS by_status,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.by_attempts)), '{}') AS by_attempts,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.by_first_contact)), '{}') AS by_first_contact
    FROM dialer.campaign_lead_stats s
   WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id
$$;
COMMENT ON FUNCTION dialer._stats_lead_totals(uuid, uuid) IS
  'A campaign''s kept lead counters summed over its shards, as one row (vectors without '
  'trailing zeros).';
REVOKE EXECUTE ON FUNCTION dialer._stats_lead_totals(uuid, uuid) FROM PUBLIC;

-- ---- recount from the base tables ------------------------------------------------

-- Per call: the flags and slots every counter is defined on (the same definitions the
-- triggers apply to their deltas).
CREATE VIEW dialer._stats_call_facts AS
SELECT c.tenant_id, c.campaign_id, c.lead_id, c.attempt_number, c.duration_seconds, c.cost,
       c.status,
       pg_catalog.array_position(pg_catalog.enum_range(NULL::dialer.call_status), c.status) AS status_slot,
       CASE WHEN c.outcome_class IS NULL THEN 1 ELSE coalesce(sl.slot, 2) END AS class_slot,
       least(c.attempt_number, 16) AS attempt_slot,
       dialer.talk_time_bucket(c.duration_seconds) + 1 AS talk_slot,
       dialer._stats_local_hour(dialer._stats_call_time(c.claimed_at, c.started_at, c.created_at),
                                c.recipient_time_zone) + 1 AS local_hour_slot,
       pg_catalog.date_trunc('hour', dialer._stats_call_time(c.claimed_at, c.started_at, c.created_at),
                             'UTC') AS hour,
       coalesce(oc.answered, false) AS is_answered, coalesce(oc.human, false) AS is_human,
       coalesce(oc.machine, false) AS is_machine, coalesce(oc.contact, false) AS is_contact,
       coalesce(oc.conversion, false) AS is_conversion, coalesce(oc.abandoned, false) AS is_abandoned,
       coalesce(oc.unknown_result, false) AS is_unknown,
       coalesce(oc.transport_error, false) AS is_transport_error,
       dialer.call_in_flight(c.status) AS is_in_flight,
       c.status <> 'cancelled' AND NOT coalesce(oc.transport_error, false) AS is_attempt,
       c.status IN ('completed', 'failed', 'expired') AND NOT coalesce(oc.transport_error, false)
         AS is_finished,
       coalesce(oc.answered, false) AND c.duration_seconds IS NOT NULL AS is_talk
  FROM dialer.calls c
  LEFT JOIN dialer.outcome_classes oc ON oc.outcome_class = c.outcome_class
  LEFT JOIN dialer.stats_outcome_slots sl ON sl.outcome_class = c.outcome_class
 WHERE c.campaign_id IS NOT NULL;
COMMENT ON VIEW dialer._stats_call_facts IS
  'Every campaign call with the flags and vector slots the statistics count it under '
  '(used by the recount; the triggers apply the same definitions to their deltas).';
REVOKE ALL ON dialer._stats_call_facts FROM PUBLIC;

-- Why two steps: the campaign's calls are first grouped by everything a counter
-- depends on (a few thousand groups for millions of calls), then the groups are
-- weighted into the counters; aggregating every call into a dozen vectors directly is
-- several times slower on a large campaign.
CREATE FUNCTION dialer._stats_recount_calls(p_tenant_id uuid, p_campaign_id uuid)
RETURNS dialer.campaign_call_stats
LANGUAGE sql STABLE
SET search_path = ''
AS $$
  WITH g AS (
    SELECT f.status, f.status_slot, f.class_slot, f.attempt_slot, f.talk_slot, f.local_hour_slot,
           f.is_answered, f.is_human, f.is_machine, f.is_contact, f.is_conversion, f.is_abandoned,
           f.is_unknown, f.is_transport_error, f.is_in_flight, f.is_attempt, f.is_finished, f.is_talk,
           count(*) AS n, count(f.duration_seconds) AS timed, coalesce(sum(f.duration_seconds), 0) AS seconds,
           coalesce(sum(f.cost), 0) AS cost, count(f.cost) AS costed
      FROM dialer._stats_call_facts f
     WHERE f.tenant_id = p_tenant_id AND f.campaign_id = p_campaign_id
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18)
  SELECT p_tenant_id AS tenant_id, p_campaign_id AS campaign_id, 0::smallint AS shard,
         coalesce(sum(g.n), 0)::bigint AS calls,
         coalesce(sum(g.n) FILTER (WHERE g.is_attempt), 0)::bigint AS attempts,
         coalesce(sum(g.n) FILTER (WHERE g.is_finished), 0)::bigint AS finished,
         coalesce(sum(g.n) FILTER (WHERE g.is_in_flight), 0)::bigint AS in_flight,
         coalesce(sum(g.n) FILTER (WHERE g.is_answered), 0)::bigint AS answered,
         coalesce(sum(g.n) FILTER (WHERE g.is_human), 0)::bigint AS human,
         coalesce(sum(g.n) FILTER (WHERE g.is_machine), 0)::bigint AS machine,
         coalesce(sum(g.n) FILTER (WHERE g.is_contact), 0)::bigint AS contacts,
         coalesce(sum(g.n) FILTER (WHERE g.is_conversion), 0)::bigint AS conversions,
         coalesce(sum(g.n) FILTER (WHERE g.is_abandoned), 0)::bigint AS abandoned,
         coalesce(sum(g.n) FILTER (WHERE g.is_transport_error), 0)::bigint AS pre_dial_rejections,
         coalesce(sum(g.n) FILTER (WHERE g.is_unknown), 0)::bigint AS unknown_results,
         coalesce(sum(g.n) FILTER (WHERE g.is_talk), 0)::bigint AS talk_calls,
         coalesce(sum(g.seconds) FILTER (WHERE g.is_talk), 0)::bigint AS talk_seconds,
         coalesce(sum(g.timed) FILTER (WHERE g.status = 'completed'), 0)::bigint AS completed_timed_calls,
         coalesce(sum(g.seconds) FILTER (WHERE g.status = 'completed'), 0)::bigint AS completed_seconds,
         coalesce(sum(g.cost), 0) AS cost,
         coalesce(sum(g.costed), 0)::bigint AS cost_calls,
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.status_slot, g.n), '{}')) AS by_status,
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.class_slot, g.n), '{}')) AS by_class,
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.talk_slot, g.n) FILTER (WHERE g.is_talk), '{}')) AS talk_histogram,
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.attempt_slot, g.n) FILTER (WHERE g.is_finished), '{}')) AS finished_by_attempt,
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.attempt_slot, g.n) FILTER (WHERE g.is_contact), '{}')) AS contacts_by_attempt,
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.attempt_slot, g.n) FILTER (WHERE g.is_conversion), '{}')) AS conversions_by_attempt,
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.local_hour_slot, g.n) FILTER (WHERE g.is_finished), '{}')) AS finished_by_local_hour,
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.local_hour_slot, g.n) FILTER (WHERE g.is_answered), '{}')) AS answered_by_local_hour,
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.local_hour_slot, g.n) FILTER (WHERE g.is_contact), '{}')) AS contacts_by_local_hour,
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.local_hour_slot, g.n) FILTER (WHERE g.is_conversion), '{}')) AS conversions_by_local_hour
    FROM g
$$;
COMMENT ON FUNCTION dialer._stats_recount_calls(uuid, uuid) IS
  'A campaign''s call counters recounted from dialer.calls (as shard 0).';
REVOKE EXECUTE ON FUNCTION dialer._stats_recount_calls(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_recount_buckets(p_tenant_id uuid, p_campaign_id uuid)
RETURNS SETOF dialer.campaign_call_buckets
LANGUAGE sql STABLE
SET search_path = ''
AS $$
  WITH g AS (
    SELECT f.hour, f.is_attempt, f.is_finished, f.is_answered, f.is_human, f.is_machine, f.is_contact,
           f.is_conversion, f.is_abandoned, f.is_talk,
           count(*) AS n, coalesce(sum(f.duration_seconds), 0) AS seconds, coalesce(sum(f.cost), 0) AS cost
      FROM dialer._stats_call_facts f
     WHERE f.tenant_id = p_tenant_id AND f.campaign_id = p_campaign_id
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
  b AS (
    SELECT x.granularity,
           CASE x.granularity WHEN 'hour' THEN g.hour ELSE pg_catalog.date_trunc('day', g.hour, 'UTC') END AS start,
           coalesce(sum(g.n) FILTER (WHERE g.is_attempt), 0)::bigint AS attempts,
           coalesce(sum(g.n) FILTER (WHERE g.is_finished), 0)::bigint AS finished,
           coalesce(sum(g.n) FILTER (WHERE g.is_answered), 0)::bigint AS answered,
           coalesce(sum(g.n) FILTER (WHERE g.is_human), 0)::bigint AS human,
           coalesce(sum(g.n) FILTER (WHERE g.is_machine), 0)::bigint AS machine,
           coalesce(sum(g.n) FILTER (WHERE g.is_contact), 0)::bigint AS contacts,
           coalesce(sum(g.n) FILTER (WHERE g.is_conversion), 0)::bigint AS conversions,
           coalesce(sum(g.n) FILTER (WHERE g.is_abandoned), 0)::bigint AS abandoned,
           coalesce(sum(g.n) FILTER (WHERE g.is_talk), 0)::bigint AS talk_calls,
           coalesce(sum(g.seconds) FILTER (WHERE g.is_talk), 0)::bigint AS talk_seconds,
           coalesce(sum(g.cost), 0) AS cost
      FROM g CROSS JOIN (VALUES ('hour'), ('day')) AS x (granularity)
     GROUP BY 1, 2)
  SELECT p_tenant_id AS tenant_id, p_campaign_id AS campaign_id, b.granularity AS granularity,
         b.start AS bucket_start, 0::smallint AS shard, b.attempts AS attempts,
         b.finished AS finished, b.answered AS answered, b.human AS human, b.machine AS machine,
         b.contacts AS contacts, b.conversions AS conversions, b.abandoned AS abandoned,
         b.talk_calls AS talk_calls, b.talk_seconds AS talk_seconds, b.cost AS cost
    FROM b
   -- Buckets whose counters are all zero are left out, as the triggers leave them.
   WHERE (b.attempts, b.finished, b.answered, b.human, b.machine, b.contacts, b.conversions,
          b.abandoned, b.talk_calls, b.talk_seconds, b.cost)
         IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
$$;
COMMENT ON FUNCTION dialer._stats_recount_buckets(uuid, uuid) IS
  'A campaign''s hourly and daily call counters recounted from dialer.calls (as shard 0; '
  'buckets where every counter is zero are left out).';
REVOKE EXECUTE ON FUNCTION dialer._stats_recount_buckets(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_recount_first_contacts(p_tenant_id uuid, p_campaign_id uuid)
RETURNS SETOF dialer.lead_first_contacts
LANGUAGE sql STABLE
SET search_path = ''
AS $$
  SELECT p_tenant_id, p_campaign_id, f.lead_id, min(f.attempt_number)
    FROM dialer._stats_call_facts f
   WHERE f.tenant_id = p_tenant_id AND f.campaign_id = p_campaign_id AND f.is_contact
     AND f.lead_id IS NOT NULL
   GROUP BY f.lead_id
$$;
COMMENT ON FUNCTION dialer._stats_recount_first_contacts(uuid, uuid) IS
  'For each lead of the campaign with a contact call, the attempt number of its first one.';
REVOKE EXECUTE ON FUNCTION dialer._stats_recount_first_contacts(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_recount_leads(p_tenant_id uuid, p_campaign_id uuid)
RETURNS dialer.campaign_lead_stats
LANGUAGE sql STABLE
SET search_path = ''
AS $$
  SELECT p_tenant_id AS tenant_id, p_campaign_id AS campaign_id, 0::smallint AS shard,
         l.leads AS leads, l.attempts AS attempts, fc.contacted AS contacted_leads,
         fc.attempts_sum AS first_contact_attempts, l.by_status AS by_status,
         l.by_attempts AS by_attempts, fc.by_first_contact AS by_first_contact
    FROM (SELECT count(*) AS leads, coalesce(sum(l.attempts), 0) AS attempts,
                 dialer._stats_vector_trim(coalesce(dialer._stats_vector(
                   pg_catalog.array_position(pg_catalog.enum_range(NULL::dialer.lead_status), l.status), 1), '{}'))
                   AS by_status,
                 dialer._stats_vector_trim(coalesce(dialer._stats_vector(least(l.attempts, 16) + 1, 1), '{}'))
                   AS by_attempts
            FROM dialer.leads l
           WHERE l.tenant_id = p_tenant_id AND l.campaign_id = p_campaign_id) AS l,
         (SELECT count(*) AS contacted, coalesce(sum(f.attempt_number), 0) AS attempts_sum,
                 dialer._stats_vector_trim(coalesce(dialer._stats_vector(least(f.attempt_number, 16), 1), '{}'))
                   AS by_first_contact
            FROM dialer._stats_recount_first_contacts(p_tenant_id, p_campaign_id) AS f) AS fc
$$;
COMMENT ON FUNCTION dialer._stats_recount_leads(uuid, uuid) IS
  'A campaign''s lead counters recounted from dialer.leads and dialer.calls (as shard 0).';
REVOKE EXECUTE ON FUNCTION dialer._stats_recount_leads(uuid, uuid) FROM PUBLIC;

-- ---- verify and rebuild ------------------------------------------------------------

CREATE FUNCTION dialer.verify_campaign_stats(p_campaign_id uuid)
RETURNS TABLE (counter text, kept text, recounted text)
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_tenant uuid;
BEGIN
  SELECT c.tenant_id INTO v_tenant FROM dialer.campaigns c WHERE c.id = p_campaign_id;
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'campaign % not found', p_campaign_id
      USING ERRCODE = 'PT404', DETAIL = 'No campaign with this id exists.',
            HINT = 'Check the id.';
  END IF;
  RETURN QUERY
  WITH kept AS (
    SELECT 'calls.' || k.key AS counter, k.value
      FROM dialer._stats_call_totals(v_tenant, p_campaign_id) AS t, jsonb_each(to_jsonb(t)) AS k
    UNION ALL
    SELECT 'leads.' || k.key, k.value
      FROM dialer._stats_lead_totals(v_tenant, p_campaign_id) AS t, jsonb_each(to_jsonb(t)) AS k
    UNION ALL
    SELECT format('buckets.%s.%s.%s', b.granularity, b.bucket_start, k.key), k.value
      FROM (SELECT s.granularity, s.bucket_start, sum(s.attempts) AS attempts,
                   sum(s.finished) AS finished, sum(s.answered) AS answered, sum(s.human) AS human,
                   sum(s.machine) AS machine, sum(s.contacts) AS contacts,
                   sum(s.conversions) AS conversions, sum(s.abandoned) AS abandoned,
                   sum(s.talk_calls) AS talk_calls, sum(s.talk_seconds) AS talk_seconds,
                   sum(s.cost) AS cost
              FROM dialer.campaign_call_buckets s
             WHERE s.tenant_id = v_tenant AND s.campaign_id = p_campaign_id
             GROUP BY s.granularity, s.bucket_start) AS b,
           jsonb_each(to_jsonb(b) - 'granularity' - 'bucket_start') AS k
     -- A bucket whose counters all went back to zero equals a missing bucket.
     WHERE k.value <> '0'
    UNION ALL
    SELECT 'first_contact.' || f.lead_id, to_jsonb(f.attempt_number)
      FROM dialer.lead_first_contacts f
     WHERE f.tenant_id = v_tenant AND f.campaign_id = p_campaign_id),
  recounted AS (
    SELECT 'calls.' || k.key AS counter, k.value
      FROM jsonb_each(to_jsonb(dialer._stats_recount_calls(v_tenant, p_campaign_id))) AS k
    UNION ALL
    SELECT 'leads.' || k.key, k.value
      FROM jsonb_each(to_jsonb(dialer._stats_recount_leads(v_tenant, p_campaign_id))) AS k
    UNION ALL
    SELECT format('buckets.%s.%s.%s', b.granularity, b.bucket_start, k.key), k.value
      FROM dialer._stats_recount_buckets(v_tenant, p_campaign_id) AS b,
           jsonb_each(to_jsonb(b) - 'tenant_id' - 'campaign_id' - 'granularity' - 'bucket_start'
                      - 'shard') AS k
     WHERE k.value <> '0'
    UNION ALL
    SELECT 'first_contact.' || f.lead_id, to_jsonb(f.attempt_number)
      FROM dialer._stats_recount_first_contacts(v_tenant, p_campaign_id) AS f)
  SELECT coalesce(k.counter, r.counter), k.value::text, r.value::text
    FROM kept k FULL JOIN recounted r ON r.counter = k.counter
   WHERE k.value IS DISTINCT FROM r.value
   ORDER BY 1;
END
$$;
COMMENT ON FUNCTION dialer.verify_campaign_stats(uuid) IS
  'Every kept statistics counter of the campaign that differs from a full recount of its calls '
  'and leads (no rows: the statistics are exact). Reads the whole campaign: a check, not a report.';
REVOKE EXECUTE ON FUNCTION dialer.verify_campaign_stats(uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_reset_campaign(p_tenant_id uuid, p_campaign_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = ''
AS $$
BEGIN
  DELETE FROM dialer.campaign_call_stats s WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id;
  DELETE FROM dialer.campaign_call_buckets s WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id;
  DELETE FROM dialer.campaign_lead_stats s WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id;
  DELETE FROM dialer.lead_first_contacts s WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id;
  INSERT INTO dialer.campaign_call_stats SELECT * FROM dialer._stats_recount_calls(p_tenant_id, p_campaign_id);
  INSERT INTO dialer.campaign_call_buckets SELECT * FROM dialer._stats_recount_buckets(p_tenant_id, p_campaign_id);
  INSERT INTO dialer.lead_first_contacts SELECT * FROM dialer._stats_recount_first_contacts(p_tenant_id, p_campaign_id);
  INSERT INTO dialer.campaign_lead_stats SELECT * FROM dialer._stats_recount_leads(p_tenant_id, p_campaign_id);
END
$$;
COMMENT ON FUNCTION dialer._stats_reset_campaign(uuid, uuid) IS
  'Replaces a campaign''s kept counters with a recount (callers hold the write locks).';
REVOKE EXECUTE ON FUNCTION dialer._stats_reset_campaign(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION dialer.rebuild_campaign_stats(p_campaign_id uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_campaign record;
  v_count integer := 0;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'rebuilding statistics needs READ COMMITTED, not %',
                    upper(current_setting('transaction_isolation'))
      USING ERRCODE = '25001',
            DETAIL = 'The recount must see every write committed before its lock was granted; '
                     'an older transaction snapshot would miss some.',
            HINT = 'Run it in its own READ COMMITTED transaction.';
  END IF;
  IF p_campaign_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM dialer.campaigns c WHERE c.id = p_campaign_id) THEN
    RAISE EXCEPTION 'campaign % not found', p_campaign_id
      USING ERRCODE = 'PT404', DETAIL = 'No campaign with this id exists.', HINT = 'Check the id.';
  END IF;
  -- Why SHARE ROW EXCLUSIVE: it waits for every open writer of leads and calls to finish
  -- and holds new ones off until commit, while reads go on; two rebuilds exclude each other.
  LOCK TABLE dialer.leads, dialer.calls IN SHARE ROW EXCLUSIVE MODE;
  FOR v_campaign IN
    SELECT c.tenant_id, c.id FROM dialer.campaigns c
     WHERE p_campaign_id IS NULL OR c.id = p_campaign_id
     ORDER BY c.tenant_id, c.id
  LOOP
    PERFORM dialer._stats_reset_campaign(v_campaign.tenant_id, v_campaign.id);
    v_count := v_count + 1;
  END LOOP;
  RETURN v_count;
END
$$;
COMMENT ON FUNCTION dialer.rebuild_campaign_stats(uuid) IS
  'Recounts the statistics of one campaign (NULL: every campaign) from its calls and leads and '
  'replaces the kept counters; returns the number of campaigns rebuilt. Blocks writes to leads '
  'and calls until the transaction ends (reads go on). Needs READ COMMITTED (else 25001).';
REVOKE EXECUTE ON FUNCTION dialer.rebuild_campaign_stats(uuid) FROM PUBLIC;

-- ---- switching the statistics off and on ------------------------------------

CREATE FUNCTION dialer.campaign_stats_enabled()
RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
  RETURN (SELECT bool_and(t.tgenabled <> 'D')
            FROM pg_catalog.pg_trigger t
           WHERE t.tgrelid IN ('dialer.calls'::regclass, 'dialer.leads'::regclass)
             AND t.tgname LIKE 'dialer\_stats\_%');
END
$$;
COMMENT ON FUNCTION dialer.campaign_stats_enabled() IS
  'Whether the statistics triggers on calls and leads are enabled (kept counters are exact).';
REVOKE EXECUTE ON FUNCTION dialer.campaign_stats_enabled() FROM PUBLIC;

CREATE FUNCTION dialer.set_campaign_stats_enabled(p_enabled boolean)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_was boolean := dialer.campaign_stats_enabled();
  v_trigger record;
BEGIN
  IF p_enabled IS NULL THEN
    RAISE EXCEPTION 'p_enabled must be true or false, not NULL'
      USING ERRCODE = '22004', DETAIL = 'It says whether the statistics triggers run.',
            HINT = 'Pass true to switch statistics on, false to switch them off.';
  END IF;
  FOR v_trigger IN
    SELECT t.tgrelid::regclass AS tbl, t.tgname
      FROM pg_catalog.pg_trigger t
     WHERE t.tgrelid IN ('dialer.calls'::regclass, 'dialer.leads'::regclass)
       AND t.tgname LIKE 'dialer\_stats\_%'
     ORDER BY t.tgrelid, t.tgname
  LOOP
    EXECUTE format('ALTER TABLE %s %s TRIGGER %I', v_trigger.tbl,
                   CASE WHEN p_enabled THEN 'ENABLE' ELSE 'DISABLE' END, v_trigger.tgname);
  END LOOP;
  -- ALTER TABLE holds off every writer of leads and calls until commit, so the recount
  -- sees a table nobody else changes.
  IF p_enabled AND NOT v_was THEN
    PERFORM dialer.rebuild_campaign_stats();
  END IF;
  RETURN v_was;
END
$$;
COMMENT ON FUNCTION dialer.set_campaign_stats_enabled(boolean) IS
  'Switches the statistics triggers on calls and leads (counters and the recipient_time_zone '
  'fill) off or on for every campaign; switching on rebuilds every campaign''s counters. Returns '
  'the previous setting. Blocks writes to leads and calls until the transaction ends.';
REVOKE EXECUTE ON FUNCTION dialer.set_campaign_stats_enabled(boolean) FROM PUBLIC;

-- ---- outcome classes are what the counters are defined on ------------------------

CREATE FUNCTION dialer._stats_outcome_classes_changed()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  INSERT INTO dialer.stats_outcome_slots (outcome_class, slot)
  SELECT oc.outcome_class,
         coalesce((SELECT max(s.slot) FROM dialer.stats_outcome_slots s), 2)
           + row_number() OVER (ORDER BY oc.outcome_class)
    FROM dialer.outcome_classes oc
   WHERE NOT EXISTS (SELECT 1 FROM dialer.stats_outcome_slots s WHERE s.outcome_class = oc.outcome_class);
  PERFORM dialer._stats_forget_outcome_classes();
  -- Why a full rebuild: every counter is defined on the class flags, so calls already
  -- counted under the old flags must be counted again. Classes change rarely.
  IF dialer.campaign_stats_enabled() THEN
    PERFORM dialer.rebuild_campaign_stats();
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._stats_outcome_classes_changed() IS
  'AFTER statement trigger on outcome_classes: gives new classes a vector slot and rebuilds '
  'every campaign''s statistics under the changed flags.';
REVOKE EXECUTE ON FUNCTION dialer._stats_outcome_classes_changed() FROM PUBLIC;

CREATE TRIGGER dialer_stats_outcome_classes_changed
  AFTER INSERT OR UPDATE OR DELETE ON dialer.outcome_classes
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_outcome_classes_changed();
