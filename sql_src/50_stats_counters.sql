-- Campaign statistics, part 1: the kept counters and the triggers that keep them.
--
-- Every number dialer.campaign_stats() reports is read from counters kept in the same
-- transaction as the rows they describe, never recounted on read:
--   * dialer.campaign_call_stats    per campaign: call counters, the talk-time
--                                   histogram, breakdowns by outcome class, call
--                                   status, attempt number and recipient-local hour;
--   * dialer.campaign_call_buckets  per campaign and UTC hour / UTC day: the counters
--                                   time series and rolling windows (abandon rates) need;
--   * dialer.campaign_lead_stats    per campaign: leads by status, attempts per lead,
--                                   attempts to first contact;
--   * dialer.lead_first_contacts    per contacted lead: the attempt number of its first
--                                   contact (what the attempts-to-first-contact
--                                   histogram counts).
-- The counters are derived from the rows of dialer.calls and dialer.leads by
-- statement-level triggers with transition tables, so they are exact whoever writes
-- the rows (the queue functions, service_role editing a row, a rollback, a status
-- that changes twice) and a bulk statement costs one counter update per campaign and
-- bucket, not one per row.
--
-- Sharding: each counter row exists once per (campaign, shard); a writer adds its
-- deltas to shard pg_backend_pid() % 16, so concurrent workers completing calls of one
-- campaign update different rows and never queue on one row lock; readers sum the
-- shards. One shard row on its own means nothing (it may even hold negative counts);
-- only the sum over the shards does.
--
-- Plans: the trigger and report functions are PL/pgSQL (which keeps statement plans
-- for the session, where a called SQL function is planned anew on every call) with
-- plan_cache_mode = force_generic_plan (their statements are costly to plan and their
-- plans do not depend on the values, so the five custom plans PostgreSQL would make
-- first are pure cost).
--
-- Vectors (breakdowns and histograms) are bigint[] starting at index 1, summed element
-- by element by dialer._stats_vector_add / _stats_vector_sum; dialer._stats_vector
-- builds one from (slot, value) pairs. Slots are listed in docs/stats.md.

-- ---- vector and histogram primitives (C) ------------------------------------

CREATE FUNCTION dialer._stats_vector_add(a bigint[], b bigint[])
RETURNS bigint[]
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_stats_vector_add';
COMMENT ON FUNCTION dialer._stats_vector_add(bigint[], bigint[]) IS
  'Element-wise sum of two counter vectors (bigint[] from index 1), as long as the longer one.';
REVOKE EXECUTE ON FUNCTION dialer._stats_vector_add(bigint[], bigint[]) FROM PUBLIC;

CREATE FUNCTION dialer._stats_vector_put(state bigint[], slot integer, value bigint)
RETURNS bigint[]
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_stats_vector_put';
COMMENT ON FUNCTION dialer._stats_vector_put(bigint[], integer, bigint) IS
  'Counter vector state with value added at 1-based slot (grown with zeros as needed); a NULL '
  'slot or value changes nothing. Transition function of dialer._stats_vector.';
REVOKE EXECUTE ON FUNCTION dialer._stats_vector_put(bigint[], integer, bigint) FROM PUBLIC;

CREATE FUNCTION dialer._stats_vector_trim(p_vector bigint[])
RETURNS bigint[]
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_stats_vector_trim';
COMMENT ON FUNCTION dialer._stats_vector_trim(bigint[]) IS
  'A counter vector without its trailing zeros (vectors that differ only there count the same).';
REVOKE EXECUTE ON FUNCTION dialer._stats_vector_trim(bigint[]) FROM PUBLIC;

CREATE AGGREGATE dialer._stats_vector_sum(bigint[]) (
  SFUNC = dialer._stats_vector_add,
  STYPE = bigint[],
  COMBINEFUNC = dialer._stats_vector_add,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE dialer._stats_vector_sum(bigint[]) IS
  'Element-wise sum of counter vectors (NULL when there are none).';
REVOKE EXECUTE ON ROUTINE dialer._stats_vector_sum(bigint[]) FROM PUBLIC;

CREATE AGGREGATE dialer._stats_vector(slot integer, value bigint) (
  SFUNC = dialer._stats_vector_put,
  STYPE = bigint[],
  COMBINEFUNC = dialer._stats_vector_add,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE dialer._stats_vector(integer, bigint) IS
  'The counter vector whose element slot is the sum of the values given for it '
  '(NULL when no row has a slot).';
REVOKE EXECUTE ON ROUTINE dialer._stats_vector(integer, bigint) FROM PUBLIC;

CREATE FUNCTION dialer.talk_time_bucket(seconds bigint)
RETURNS integer
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_talk_time_bucket';
COMMENT ON FUNCTION dialer.talk_time_bucket(bigint) IS
  'The talk-time histogram bucket (0..56) a call of this many seconds is counted in: one '
  'bucket per second below 16 s, quarter-octaves from 16 s to 16384 s, then one open bucket.';
REVOKE EXECUTE ON FUNCTION dialer.talk_time_bucket(bigint) FROM PUBLIC;

CREATE FUNCTION dialer.talk_time_bucket_lower(bucket integer)
RETURNS bigint
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_talk_time_bucket_lower';
COMMENT ON FUNCTION dialer.talk_time_bucket_lower(integer) IS
  'The smallest number of seconds counted in a talk-time bucket (22023 for a bucket outside 0..56).';
REVOKE EXECUTE ON FUNCTION dialer.talk_time_bucket_lower(integer) FROM PUBLIC;

CREATE FUNCTION dialer.talk_time_quantile(histogram bigint[], q double precision)
RETURNS double precision
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_talk_time_quantile';
COMMENT ON FUNCTION dialer.talk_time_quantile(bigint[], double precision) IS
  'The q-quantile (0..1) in seconds of a talk-time histogram (element i counts bucket i-1), '
  'interpolated linearly inside its bucket: exact below 16 s, above within one bucket width '
  '(19%, up to 22% below 64 s); the lower bound 16384 for the open bucket; NULL for an empty '
  'histogram.';
REVOKE EXECUTE ON FUNCTION dialer.talk_time_quantile(bigint[], double precision) FROM PUBLIC;

CREATE FUNCTION dialer.talk_time_buckets()
RETURNS TABLE (bucket integer, lower_seconds bigint, upper_seconds bigint)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
  SELECT b, dialer.talk_time_bucket_lower(b),
         CASE WHEN b < 56 THEN dialer.talk_time_bucket_lower(b + 1) END
    FROM pg_catalog.generate_series(0, 56) AS b
$$;
COMMENT ON FUNCTION dialer.talk_time_buckets() IS
  'The talk-time histogram layout: each bucket with its seconds range [lower, upper) '
  '(upper NULL for the open last bucket).';
REVOKE EXECUTE ON FUNCTION dialer.talk_time_buckets() FROM PUBLIC;

-- ---- slots ------------------------------------------------------------------

CREATE FUNCTION dialer._stats_shard()
RETURNS smallint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT (pg_catalog.pg_backend_pid() % 16)::smallint $$;
COMMENT ON FUNCTION dialer._stats_shard() IS
  'The counter shard (0..15) this connection writes its deltas to: its backend pid modulo 16, '
  'so up to 16 concurrent writers of one campaign never wait for each other''s counter rows.';
REVOKE EXECUTE ON FUNCTION dialer._stats_shard() FROM PUBLIC;

CREATE TABLE dialer.stats_outcome_slots (
  outcome_class text PRIMARY KEY,
  slot          integer NOT NULL UNIQUE CHECK (slot >= 3)
);
COMMENT ON TABLE dialer.stats_outcome_slots IS
  'Which element of the by-class counter vectors counts each outcome class. Slot 1 counts calls '
  'without a class yet, slot 2 calls whose class is not in dialer.outcome_classes. Slots are '
  'never reused, so kept vectors stay valid when classes are added (reference data).';

INSERT INTO dialer.stats_outcome_slots (outcome_class, slot)
SELECT outcome_class, 2 + row_number() OVER (ORDER BY outcome_class)
  FROM dialer.outcome_classes;

-- ---- the recipient's time zone of a call -------------------------------------

ALTER TABLE dialer.calls ADD COLUMN recipient_time_zone text;
COMMENT ON COLUMN dialer.calls.recipient_time_zone IS
  'The IANA zone the call was placed under (the called person''s local time): set by the '
  'dialler, else filled on insert by dialer.recipient_time_zone(). Statistics break calls down '
  'by the hour in this zone.';

CREATE FUNCTION dialer.recipient_time_zone(
  p_tenant_id uuid, p_campaign_id uuid, p_lead_id uuid, p_phone text)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
DECLARE
  v_phone text := coalesce((SELECT l.phone FROM dialer.leads l
                             WHERE l.tenant_id = p_tenant_id AND l.id = p_lead_id), p_phone);
  v_zone text;
  v_candidates text[];
BEGIN
  SELECT ct.time_zone INTO v_zone FROM dialer.contacts ct WHERE ct.tenant_id = p_tenant_id AND ct.phone = v_phone;
  IF v_zone IS NOT NULL THEN
    RETURN v_zone;
  END IF;
  -- Seam to the phone core: one candidate zone only, since a number spanning several
  -- zones has no single local hour.
  IF dialer.try_e164(v_phone, NULL) IS NOT NULL THEN
    v_candidates := dialer.phone_timezones(v_phone, NULL);
    IF cardinality(v_candidates) = 1 THEN
      RETURN v_candidates[1];
    END IF;
  END IF;
  RETURN coalesce((SELECT cp.time_zone FROM dialer.campaigns cp
                    WHERE cp.tenant_id = p_tenant_id AND cp.id = p_campaign_id),
                  (SELECT t.default_time_zone FROM dialer.tenants t WHERE t.id = p_tenant_id));
END
$$;
COMMENT ON FUNCTION dialer.recipient_time_zone(uuid, uuid, uuid, text) IS
  'The time zone of the person a call reaches (the lead''s number, else p_phone): the contact''s '
  'own zone, else the number''s zone when the phone core gives exactly one candidate, else the '
  'campaign''s zone, else the tenant''s default.';
REVOKE EXECUTE ON FUNCTION dialer.recipient_time_zone(uuid, uuid, uuid, text) FROM PUBLIC;

CREATE FUNCTION dialer._stats_fill_recipient_zone()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  NEW.recipient_time_zone :=
    dialer.recipient_time_zone(NEW.tenant_id, NEW.campaign_id, NEW.lead_id, NEW.phone);
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._stats_fill_recipient_zone() IS
  'BEFORE INSERT trigger on calls: fills a missing recipient_time_zone from '
  'dialer.recipient_time_zone().';
REVOKE EXECUTE ON FUNCTION dialer._stats_fill_recipient_zone() FROM PUBLIC;

CREATE TRIGGER dialer_stats_fill_recipient_zone BEFORE INSERT ON dialer.calls
  FOR EACH ROW WHEN (NEW.recipient_time_zone IS NULL)
  EXECUTE FUNCTION dialer._stats_fill_recipient_zone();

-- ---- counter tables --------------------------------------------------------

-- Why fillfactor 50: counter rows are updated many times a second; free space on
-- their page keeps the updates HOT (no index maintenance, no page hopping). Why
-- storage PLAIN on the vectors: a compressed or out-of-line vector would be
-- decompressed and recompressed on every update; the rows stay well under a page.
CREATE TABLE dialer.campaign_call_stats (
  tenant_id                uuid NOT NULL,
  campaign_id              uuid NOT NULL,
  shard                    smallint NOT NULL,
  calls                    bigint NOT NULL DEFAULT 0,
  attempts                 bigint NOT NULL DEFAULT 0,
  finished                 bigint NOT NULL DEFAULT 0,
  in_flight                bigint NOT NULL DEFAULT 0,
  answered                 bigint NOT NULL DEFAULT 0,
  human                    bigint NOT NULL DEFAULT 0,
  machine                  bigint NOT NULL DEFAULT 0,
  contacts                 bigint NOT NULL DEFAULT 0,
  conversions              bigint NOT NULL DEFAULT 0,
  abandoned                bigint NOT NULL DEFAULT 0,
  pre_dial_rejections      bigint NOT NULL DEFAULT 0,
  unknown_results          bigint NOT NULL DEFAULT 0,
  talk_calls               bigint NOT NULL DEFAULT 0,
  talk_seconds             bigint NOT NULL DEFAULT 0,
  completed_timed_calls    bigint NOT NULL DEFAULT 0,
  completed_seconds        bigint NOT NULL DEFAULT 0,
  cost                     numeric NOT NULL DEFAULT 0,
  cost_calls               bigint NOT NULL DEFAULT 0,
  by_status                bigint[] NOT NULL DEFAULT '{}',
  by_class                 bigint[] NOT NULL DEFAULT '{}',
  talk_histogram           bigint[] NOT NULL DEFAULT '{}',
  finished_by_attempt      bigint[] NOT NULL DEFAULT '{}',
  contacts_by_attempt      bigint[] NOT NULL DEFAULT '{}',
  conversions_by_attempt   bigint[] NOT NULL DEFAULT '{}',
  finished_by_local_hour   bigint[] NOT NULL DEFAULT '{}',
  answered_by_local_hour   bigint[] NOT NULL DEFAULT '{}',
  contacts_by_local_hour   bigint[] NOT NULL DEFAULT '{}',
  conversions_by_local_hour bigint[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, campaign_id, shard),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE
) WITH (fillfactor = 50);
ALTER TABLE dialer.campaign_call_stats
  ALTER COLUMN by_status SET STORAGE PLAIN, ALTER COLUMN by_class SET STORAGE PLAIN,
  ALTER COLUMN talk_histogram SET STORAGE PLAIN, ALTER COLUMN finished_by_attempt SET STORAGE PLAIN,
  ALTER COLUMN contacts_by_attempt SET STORAGE PLAIN,
  ALTER COLUMN conversions_by_attempt SET STORAGE PLAIN,
  ALTER COLUMN finished_by_local_hour SET STORAGE PLAIN,
  ALTER COLUMN answered_by_local_hour SET STORAGE PLAIN,
  ALTER COLUMN contacts_by_local_hour SET STORAGE PLAIN,
  ALTER COLUMN conversions_by_local_hour SET STORAGE PLAIN;
COMMENT ON TABLE dialer.campaign_call_stats IS
  'Kept call counters of a campaign, one row per shard (sum the shards): counts by outcome flag, '
  'talk time, cost, and vectors by call status, outcome class, attempt number, recipient-local '
  'hour and talk-time bucket. Maintained by triggers on dialer.calls; see docs/stats.md.';

CREATE TABLE dialer.campaign_call_buckets (
  tenant_id    uuid NOT NULL,
  campaign_id  uuid NOT NULL,
  granularity  text NOT NULL CHECK (granularity IN ('hour', 'day')),
  bucket_start timestamptz NOT NULL,
  shard        smallint NOT NULL,
  attempts     bigint NOT NULL DEFAULT 0,
  finished     bigint NOT NULL DEFAULT 0,
  answered     bigint NOT NULL DEFAULT 0,
  human        bigint NOT NULL DEFAULT 0,
  machine      bigint NOT NULL DEFAULT 0,
  contacts     bigint NOT NULL DEFAULT 0,
  conversions  bigint NOT NULL DEFAULT 0,
  abandoned    bigint NOT NULL DEFAULT 0,
  talk_calls   bigint NOT NULL DEFAULT 0,
  talk_seconds bigint NOT NULL DEFAULT 0,
  cost         numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, campaign_id, granularity, bucket_start, shard),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE
) WITH (fillfactor = 70);
COMMENT ON TABLE dialer.campaign_call_buckets IS
  'Kept call counters of a campaign per UTC hour and per UTC day of the attempt time '
  '(coalesce(claimed_at, started_at, created_at)), one row per shard: the time series and the '
  'rolling abandon-rate windows read these. Maintained by triggers on dialer.calls.';

CREATE TABLE dialer.campaign_lead_stats (
  tenant_id              uuid NOT NULL,
  campaign_id            uuid NOT NULL,
  shard                  smallint NOT NULL,
  leads                  bigint NOT NULL DEFAULT 0,
  attempts               bigint NOT NULL DEFAULT 0,
  contacted_leads        bigint NOT NULL DEFAULT 0,
  first_contact_attempts bigint NOT NULL DEFAULT 0,
  by_status              bigint[] NOT NULL DEFAULT '{}',
  by_attempts            bigint[] NOT NULL DEFAULT '{}',
  by_first_contact       bigint[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, campaign_id, shard),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE
) WITH (fillfactor = 50);
ALTER TABLE dialer.campaign_lead_stats
  ALTER COLUMN by_status SET STORAGE PLAIN, ALTER COLUMN by_attempts SET STORAGE PLAIN,
  ALTER COLUMN by_first_contact SET STORAGE PLAIN;
COMMENT ON TABLE dialer.campaign_lead_stats IS
  'Kept lead counters of a campaign, one row per shard (sum the shards): leads by status, '
  'attempts per lead, attempts to first contact. Maintained by triggers on dialer.leads and '
  'dialer.calls.';

CREATE TABLE dialer.lead_first_contacts (
  tenant_id      uuid NOT NULL,
  campaign_id    uuid NOT NULL,
  lead_id        uuid NOT NULL,
  attempt_number integer NOT NULL,
  PRIMARY KEY (tenant_id, campaign_id, lead_id),
  -- Why no foreign key to leads: a deleted lead's calls are deleted by a cascade whose
  -- trigger must still find this row to take it out of the histogram.
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE dialer.lead_first_contacts IS
  'For each lead with at least one contact call (an outcome class with the contact flag): the '
  'attempt number of its first one (0 while a writer is recomputing it). Maintained by triggers '
  'on dialer.calls; its rows are what campaign_lead_stats.by_first_contact counts.';

DO $$
DECLARE
  t regclass;
BEGIN
  FOREACH t IN ARRAY ARRAY['dialer.campaign_call_stats', 'dialer.campaign_call_buckets',
                           'dialer.campaign_lead_stats', 'dialer.lead_first_contacts']::regclass[]
  LOOP
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
    -- Members read their tenants' counters; only the triggers (and rebuilds) write them.
    PERFORM dialer._create_policy(t, replace(t::text, 'dialer.', '') || '_select', 'SELECT',
                                  'tenant_id = ANY ((SELECT dialer.user_tenant_ids())::uuid[])');
  END LOOP;
END
$$;

-- ---- deltas ------------------------------------------------------------------

CREATE TYPE dialer._stats_call_delta AS (
  tenant_id     uuid,
  campaign_id   uuid,
  status        dialer.call_status,
  outcome_class text,
  attempt_slot  integer,
  talk_bucket   integer,
  local_hour    integer,
  hour          timestamptz,
  calls         bigint,
  seconds       bigint,
  cost          numeric,
  cost_calls    bigint
);
COMMENT ON TYPE dialer._stats_call_delta IS
  'Net change of the calls sharing one signature (campaign, status, class, attempt slot, '
  'talk bucket, local hour, UTC hour) made by one statement: calls, summed durations and costs.';

CREATE TYPE dialer._stats_lead_delta AS (
  tenant_id     uuid,
  campaign_id   uuid,
  status        dialer.lead_status,
  attempts_slot integer,
  leads         bigint,
  attempts      bigint
);
COMMENT ON TYPE dialer._stats_lead_delta IS
  'Net change of the leads sharing one signature (campaign, status, attempts slot) made by one '
  'statement: leads and summed attempts.';

CREATE TYPE dialer._stats_lead_key AS (tenant_id uuid, campaign_id uuid, lead_id uuid);
COMMENT ON TYPE dialer._stats_lead_key IS 'A lead whose contact calls changed (campaign of the calls).';

CREATE FUNCTION dialer._stats_call_time(p_claimed_at timestamptz, p_started_at timestamptz,
                                        p_created_at timestamptz)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(p_claimed_at, p_started_at, p_created_at) $$;
COMMENT ON FUNCTION dialer._stats_call_time(timestamptz, timestamptz, timestamptz) IS
  'When an attempt counts as made, for time buckets and the local hour: claimed, else started, '
  'else created.';
REVOKE EXECUTE ON FUNCTION dialer._stats_call_time(timestamptz, timestamptz, timestamptz) FROM PUBLIC;

CREATE FUNCTION dialer._stats_local_hour(p_at timestamptz, p_zone text)
RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.date_part('hour', pg_catalog.timezone(p_zone, p_at))::integer $$;
COMMENT ON FUNCTION dialer._stats_local_hour(timestamptz, text) IS
  'The hour of day (0..23) of p_at in zone p_zone; NULL without a zone.';
REVOKE EXECUTE ON FUNCTION dialer._stats_local_hour(timestamptz, text) FROM PUBLIC;

-- Applies call deltas to the campaign totals and to the hourly and daily buckets, all
-- in one statement (one plan, one executor run per trigger call).
CREATE FUNCTION dialer._stats_apply_call_deltas(p_deltas dialer._stats_call_delta[])
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  WITH d AS (
    SELECT d.*,
           pg_catalog.array_position(pg_catalog.enum_range(NULL::dialer.call_status), d.status) AS status_slot,
           CASE WHEN d.outcome_class IS NULL THEN 1 ELSE coalesce(sl.slot, 2) END AS class_slot,
           coalesce(oc.answered, false) AS is_answered, coalesce(oc.human, false) AS is_human,
           coalesce(oc.machine, false) AS is_machine, coalesce(oc.contact, false) AS is_contact,
           coalesce(oc.conversion, false) AS is_conversion, coalesce(oc.abandoned, false) AS is_abandoned,
           coalesce(oc.unknown_result, false) AS is_unknown,
           coalesce(oc.transport_error, false) AS is_transport_error,
           d.status IN ('claimed', 'dialing', 'ringing', 'in_progress') AS is_in_flight,
           d.status <> 'cancelled' AND NOT coalesce(oc.transport_error, false) AS is_attempt,
           d.status IN ('completed', 'failed', 'expired') AND NOT coalesce(oc.transport_error, false)
             AS is_finished,
           coalesce(oc.answered, false) AND d.talk_bucket IS NOT NULL AS is_talk
      FROM pg_catalog.unnest(p_deltas) AS d
      LEFT JOIN dialer.outcome_classes oc ON oc.outcome_class = d.outcome_class
      LEFT JOIN dialer.stats_outcome_slots sl ON sl.outcome_class = d.outcome_class
     -- Why: deleting a campaign cascades to its calls, whose counters went with it.
     WHERE EXISTS (SELECT 1 FROM dialer.campaigns c WHERE c.tenant_id = d.tenant_id AND c.id = d.campaign_id)),
  totals AS (
    SELECT d.tenant_id, d.campaign_id,
           sum(d.calls)::bigint AS calls,
           coalesce(sum(d.calls) FILTER (WHERE d.is_attempt), 0)::bigint AS attempts,
           coalesce(sum(d.calls) FILTER (WHERE d.is_finished), 0)::bigint AS finished,
           coalesce(sum(d.calls) FILTER (WHERE d.is_in_flight), 0)::bigint AS in_flight,
           coalesce(sum(d.calls) FILTER (WHERE d.is_answered), 0)::bigint AS answered,
           coalesce(sum(d.calls) FILTER (WHERE d.is_human), 0)::bigint AS human,
           coalesce(sum(d.calls) FILTER (WHERE d.is_machine), 0)::bigint AS machine,
           coalesce(sum(d.calls) FILTER (WHERE d.is_contact), 0)::bigint AS contacts,
           coalesce(sum(d.calls) FILTER (WHERE d.is_conversion), 0)::bigint AS conversions,
           coalesce(sum(d.calls) FILTER (WHERE d.is_abandoned), 0)::bigint AS abandoned,
           coalesce(sum(d.calls) FILTER (WHERE d.is_transport_error), 0)::bigint AS pre_dial_rejections,
           coalesce(sum(d.calls) FILTER (WHERE d.is_unknown), 0)::bigint AS unknown_results,
           coalesce(sum(d.calls) FILTER (WHERE d.is_talk), 0)::bigint AS talk_calls,
           coalesce(sum(d.seconds) FILTER (WHERE d.is_talk), 0)::bigint AS talk_seconds,
           coalesce(sum(d.calls) FILTER (WHERE d.status = 'completed' AND d.talk_bucket IS NOT NULL), 0)::bigint
             AS completed_timed_calls,
           coalesce(sum(d.seconds) FILTER (WHERE d.status = 'completed'), 0)::bigint AS completed_seconds,
           coalesce(sum(d.cost), 0) AS cost,
           coalesce(sum(d.cost_calls), 0)::bigint AS cost_calls,
           coalesce(dialer._stats_vector(d.status_slot, d.calls), '{}') AS by_status,
           coalesce(dialer._stats_vector(d.class_slot, d.calls), '{}') AS by_class,
           coalesce(dialer._stats_vector(d.talk_bucket + 1, d.calls) FILTER (WHERE d.is_talk), '{}')
             AS talk_histogram,
           coalesce(dialer._stats_vector(d.attempt_slot, d.calls) FILTER (WHERE d.is_finished), '{}')
             AS finished_by_attempt,
           coalesce(dialer._stats_vector(d.attempt_slot, d.calls) FILTER (WHERE d.is_contact), '{}')
             AS contacts_by_attempt,
           coalesce(dialer._stats_vector(d.attempt_slot, d.calls) FILTER (WHERE d.is_conversion), '{}')
             AS conversions_by_attempt,
           coalesce(dialer._stats_vector(d.local_hour + 1, d.calls) FILTER (WHERE d.is_finished), '{}')
             AS finished_by_local_hour,
           coalesce(dialer._stats_vector(d.local_hour + 1, d.calls) FILTER (WHERE d.is_answered), '{}')
             AS answered_by_local_hour,
           coalesce(dialer._stats_vector(d.local_hour + 1, d.calls) FILTER (WHERE d.is_contact), '{}')
             AS contacts_by_local_hour,
           coalesce(dialer._stats_vector(d.local_hour + 1, d.calls) FILTER (WHERE d.is_conversion), '{}')
             AS conversions_by_local_hour
      FROM d
     GROUP BY d.tenant_id, d.campaign_id),
  put_totals AS (
    INSERT INTO dialer.campaign_call_stats AS s
      (tenant_id, campaign_id, shard, calls, attempts, finished, in_flight, answered, human, machine,
       contacts, conversions, abandoned, pre_dial_rejections, unknown_results, talk_calls,
       talk_seconds, completed_timed_calls, completed_seconds, cost, cost_calls, by_status,
       by_class, talk_histogram, finished_by_attempt, contacts_by_attempt, conversions_by_attempt,
       finished_by_local_hour, answered_by_local_hour, contacts_by_local_hour,
       conversions_by_local_hour)
    SELECT t.tenant_id, t.campaign_id, dialer._stats_shard(), t.calls, t.attempts, t.finished,
           t.in_flight, t.answered, t.human, t.machine, t.contacts, t.conversions, t.abandoned,
           t.pre_dial_rejections, t.unknown_results, t.talk_calls, t.talk_seconds,
           t.completed_timed_calls, t.completed_seconds, t.cost, t.cost_calls, t.by_status,
           t.by_class, t.talk_histogram, t.finished_by_attempt, t.contacts_by_attempt,
           t.conversions_by_attempt, t.finished_by_local_hour, t.answered_by_local_hour,
           t.contacts_by_local_hour, t.conversions_by_local_hour
      FROM totals t
     -- Why ordered: two writers sharing a shard lock the rows in the same order.
     ORDER BY t.tenant_id, t.campaign_id
    ON CONFLICT (tenant_id, campaign_id, shard) DO UPDATE SET
      calls = s.calls + excluded.calls,
      attempts = s.attempts + excluded.attempts,
      finished = s.finished + excluded.finished,
      in_flight = s.in_flight + excluded.in_flight,
      answered = s.answered + excluded.answered,
      human = s.human + excluded.human,
      machine = s.machine + excluded.machine,
      contacts = s.contacts + excluded.contacts,
      conversions = s.conversions + excluded.conversions,
      abandoned = s.abandoned + excluded.abandoned,
      pre_dial_rejections = s.pre_dial_rejections + excluded.pre_dial_rejections,
      unknown_results = s.unknown_results + excluded.unknown_results,
      talk_calls = s.talk_calls + excluded.talk_calls,
      talk_seconds = s.talk_seconds + excluded.talk_seconds,
      completed_timed_calls = s.completed_timed_calls + excluded.completed_timed_calls,
      completed_seconds = s.completed_seconds + excluded.completed_seconds,
      cost = s.cost + excluded.cost,
      cost_calls = s.cost_calls + excluded.cost_calls,
      by_status = dialer._stats_vector_add(s.by_status, excluded.by_status),
      by_class = dialer._stats_vector_add(s.by_class, excluded.by_class),
      talk_histogram = dialer._stats_vector_add(s.talk_histogram, excluded.talk_histogram),
      finished_by_attempt = dialer._stats_vector_add(s.finished_by_attempt, excluded.finished_by_attempt),
      contacts_by_attempt = dialer._stats_vector_add(s.contacts_by_attempt, excluded.contacts_by_attempt),
      conversions_by_attempt = dialer._stats_vector_add(s.conversions_by_attempt, excluded.conversions_by_attempt),
      finished_by_local_hour = dialer._stats_vector_add(s.finished_by_local_hour, excluded.finished_by_local_hour),
      answered_by_local_hour = dialer._stats_vector_add(s.answered_by_local_hour, excluded.answered_by_local_hour),
      contacts_by_local_hour = dialer._stats_vector_add(s.contacts_by_local_hour, excluded.contacts_by_local_hour),
      conversions_by_local_hour = dialer._stats_vector_add(s.conversions_by_local_hour, excluded.conversions_by_local_hour)
    RETURNING 1),
  buckets AS (
    SELECT d.tenant_id, d.campaign_id, g.granularity,
           CASE g.granularity WHEN 'hour' THEN d.hour
                ELSE pg_catalog.date_trunc('day', d.hour, 'UTC') END AS bucket_start,
           coalesce(sum(d.calls) FILTER (WHERE d.is_attempt), 0)::bigint AS attempts,
           coalesce(sum(d.calls) FILTER (WHERE d.is_finished), 0)::bigint AS finished,
           coalesce(sum(d.calls) FILTER (WHERE d.is_answered), 0)::bigint AS answered,
           coalesce(sum(d.calls) FILTER (WHERE d.is_human), 0)::bigint AS human,
           coalesce(sum(d.calls) FILTER (WHERE d.is_machine), 0)::bigint AS machine,
           coalesce(sum(d.calls) FILTER (WHERE d.is_contact), 0)::bigint AS contacts,
           coalesce(sum(d.calls) FILTER (WHERE d.is_conversion), 0)::bigint AS conversions,
           coalesce(sum(d.calls) FILTER (WHERE d.is_abandoned), 0)::bigint AS abandoned,
           coalesce(sum(d.calls) FILTER (WHERE d.is_talk), 0)::bigint AS talk_calls,
           coalesce(sum(d.seconds) FILTER (WHERE d.is_talk), 0)::bigint AS talk_seconds,
           coalesce(sum(d.cost), 0) AS cost
      FROM d CROSS JOIN (VALUES ('hour'), ('day')) AS g (granularity)
     GROUP BY 1, 2, 3, 4)
  -- The data-modifying CTE above runs to completion although nothing reads it.
  INSERT INTO dialer.campaign_call_buckets AS s
      (tenant_id, campaign_id, granularity, bucket_start, shard, attempts, finished, answered,
       human, machine, contacts, conversions, abandoned, talk_calls, talk_seconds, cost)
    SELECT b.tenant_id, b.campaign_id, b.granularity, b.bucket_start, dialer._stats_shard(),
           b.attempts, b.finished, b.answered, b.human, b.machine, b.contacts, b.conversions,
           b.abandoned, b.talk_calls, b.talk_seconds, b.cost
      FROM buckets b
     -- Why skipped: a status change that moves no bucket counter (claimed -> dialing)
     -- must not write bucket rows.
     WHERE (b.attempts, b.finished, b.answered, b.human, b.machine, b.contacts, b.conversions,
            b.abandoned, b.talk_calls, b.talk_seconds, b.cost)
           IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
     ORDER BY b.tenant_id, b.campaign_id, b.granularity, b.bucket_start
    ON CONFLICT (tenant_id, campaign_id, granularity, bucket_start, shard) DO UPDATE SET
      attempts = s.attempts + excluded.attempts,
      finished = s.finished + excluded.finished,
      answered = s.answered + excluded.answered,
      human = s.human + excluded.human,
      machine = s.machine + excluded.machine,
      contacts = s.contacts + excluded.contacts,
      conversions = s.conversions + excluded.conversions,
      abandoned = s.abandoned + excluded.abandoned,
      talk_calls = s.talk_calls + excluded.talk_calls,
      talk_seconds = s.talk_seconds + excluded.talk_seconds,
      cost = s.cost + excluded.cost;
END
$$;
COMMENT ON FUNCTION dialer._stats_apply_call_deltas(dialer._stats_call_delta[]) IS
  'Adds call deltas to this connection''s shard of the campaign totals and of the hourly and '
  'daily buckets (outcome flags read from dialer.outcome_classes).';
REVOKE EXECUTE ON FUNCTION dialer._stats_apply_call_deltas(dialer._stats_call_delta[]) FROM PUBLIC;

CREATE FUNCTION dialer._stats_apply_lead_deltas(p_deltas dialer._stats_lead_delta[])
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  INSERT INTO dialer.campaign_lead_stats AS s
    (tenant_id, campaign_id, shard, leads, attempts, by_status, by_attempts)
  SELECT d.tenant_id, d.campaign_id, dialer._stats_shard(), sum(d.leads)::bigint,
         sum(d.attempts)::bigint,
         dialer._stats_vector(pg_catalog.array_position(pg_catalog.enum_range(NULL::dialer.lead_status),
                                                        d.status), d.leads),
         dialer._stats_vector(d.attempts_slot, d.leads)
    FROM pg_catalog.unnest(p_deltas) AS d
   -- Why: deleting a campaign cascades to its leads, whose counters went with it.
   WHERE EXISTS (SELECT 1 FROM dialer.campaigns c WHERE c.tenant_id = d.tenant_id AND c.id = d.campaign_id)
   GROUP BY d.tenant_id, d.campaign_id
   ORDER BY d.tenant_id, d.campaign_id
  ON CONFLICT (tenant_id, campaign_id, shard) DO UPDATE SET
    leads = s.leads + excluded.leads,
    attempts = s.attempts + excluded.attempts,
    by_status = dialer._stats_vector_add(s.by_status, excluded.by_status),
    by_attempts = dialer._stats_vector_add(s.by_attempts, excluded.by_attempts);
END
$$;
COMMENT ON FUNCTION dialer._stats_apply_lead_deltas(dialer._stats_lead_delta[]) IS
  'Adds lead deltas to this connection''s shard of the campaigns'' lead counters.';
REVOKE EXECUTE ON FUNCTION dialer._stats_apply_lead_deltas(dialer._stats_lead_delta[]) FROM PUBLIC;

-- Recomputes the first contact of leads whose contact calls changed and moves them in
-- the attempts-to-first-contact histogram.
--
-- Why three statements and a row lock: the first contact is a minimum over several
-- call rows, so two transactions changing contact calls of one lead must not both
-- work from the same old value. Each first locks the lead's lead_first_contacts row
-- (creating it if missing); the second waits, and under READ COMMITTED its next
-- statement takes a new snapshot that sees the first one's calls. Under REPEATABLE
-- READ the lock attempt fails with a serialization error (40001) instead, since the
-- row was changed after the snapshot, and the client retries.
CREATE FUNCTION dialer._stats_update_first_contacts(p_leads dialer._stats_lead_key[])
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_keys dialer._stats_lead_key[];
  v_before jsonb;
BEGIN
  SELECT array_agg(k ORDER BY k.tenant_id, k.campaign_id, k.lead_id) INTO v_keys
    FROM (SELECT DISTINCT k.tenant_id, k.campaign_id, k.lead_id
            FROM unnest(p_leads) AS k
           WHERE EXISTS (SELECT 1 FROM dialer.campaigns c
                          WHERE c.tenant_id = k.tenant_id AND c.id = k.campaign_id)) AS k;
  IF v_keys IS NULL THEN
    RETURN;
  END IF;
  -- 0 marks a row created here that no histogram counts yet.
  INSERT INTO dialer.lead_first_contacts (tenant_id, campaign_id, lead_id, attempt_number)
  SELECT k.tenant_id, k.campaign_id, k.lead_id, 0 FROM unnest(v_keys) AS k
  ON CONFLICT DO NOTHING;
  SELECT jsonb_object_agg(f.lead_id::text || '/' || f.campaign_id::text, f.attempt_number) INTO v_before
    FROM (SELECT f.lead_id, f.campaign_id, f.attempt_number
            FROM dialer.lead_first_contacts f
            JOIN unnest(v_keys) AS k
              ON (f.tenant_id, f.campaign_id, f.lead_id) = (k.tenant_id, k.campaign_id, k.lead_id)
           ORDER BY f.tenant_id, f.campaign_id, f.lead_id
             FOR UPDATE OF f) AS f;
  WITH now_first AS (
    SELECT k.tenant_id, k.campaign_id, k.lead_id,
           (v_before ->> (k.lead_id::text || '/' || k.campaign_id::text))::integer AS before,
           (SELECT min(c.attempt_number)
              FROM dialer.calls c
              JOIN dialer.outcome_classes oc ON oc.outcome_class = c.outcome_class AND oc.contact
             WHERE c.tenant_id = k.tenant_id AND c.lead_id = k.lead_id
               AND c.campaign_id = k.campaign_id) AS after
      FROM unnest(v_keys) AS k),
  kept AS (
    UPDATE dialer.lead_first_contacts f SET attempt_number = n.after
      FROM now_first n
     WHERE (f.tenant_id, f.campaign_id, f.lead_id) = (n.tenant_id, n.campaign_id, n.lead_id)
       AND n.after IS NOT NULL AND n.after IS DISTINCT FROM n.before
    RETURNING 1),
  dropped AS (
    DELETE FROM dialer.lead_first_contacts f
     USING now_first n
     WHERE (f.tenant_id, f.campaign_id, f.lead_id) = (n.tenant_id, n.campaign_id, n.lead_id)
       AND n.after IS NULL
    RETURNING 1),
  moves AS (
    SELECT n.tenant_id, n.campaign_id, -1 AS w, n.before AS attempt_number
      FROM now_first n WHERE n.before > 0 AND n.after IS DISTINCT FROM n.before
    UNION ALL
    SELECT n.tenant_id, n.campaign_id, 1, n.after
      FROM now_first n WHERE n.after IS NOT NULL AND n.after IS DISTINCT FROM n.before)
  INSERT INTO dialer.campaign_lead_stats AS s
    (tenant_id, campaign_id, shard, contacted_leads, first_contact_attempts, by_first_contact)
  SELECT m.tenant_id, m.campaign_id, dialer._stats_shard(), sum(m.w)::bigint,
         sum(m.w * m.attempt_number)::bigint,
         dialer._stats_vector(least(m.attempt_number, 16), m.w)
    FROM moves m
   GROUP BY m.tenant_id, m.campaign_id
   ORDER BY m.tenant_id, m.campaign_id
  ON CONFLICT (tenant_id, campaign_id, shard) DO UPDATE SET
    contacted_leads = s.contacted_leads + excluded.contacted_leads,
    first_contact_attempts = s.first_contact_attempts + excluded.first_contact_attempts,
    by_first_contact = dialer._stats_vector_add(s.by_first_contact, excluded.by_first_contact);
END
$$;
COMMENT ON FUNCTION dialer._stats_update_first_contacts(dialer._stats_lead_key[]) IS
  'Recomputes dialer.lead_first_contacts for leads whose contact calls changed (under a row lock '
  'per lead) and moves them between the attempts-to-first-contact histogram slots.';
REVOKE EXECUTE ON FUNCTION dialer._stats_update_first_contacts(dialer._stats_lead_key[]) FROM PUBLIC;

-- ---- triggers ----------------------------------------------------------------

-- One function serves the INSERT, UPDATE and DELETE triggers on calls. Each branch
-- reduces its transition tables to net deltas per signature (an UPDATE that moves no
-- counter, such as a transcript or lease change, reduces to nothing) and to the leads
-- whose contact calls changed; the shared functions above apply them.
CREATE FUNCTION dialer._stats_calls_changed()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_deltas dialer._stats_call_delta[];
  v_leads dialer._stats_lead_key[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    WITH r AS (SELECT 1 AS w, n.* FROM new_calls n WHERE n.campaign_id IS NOT NULL)
    SELECT (SELECT array_agg(x) FROM (
              SELECT r.tenant_id, r.campaign_id, r.status, r.outcome_class,
                     least(r.attempt_number, 16), dialer.talk_time_bucket(r.duration_seconds),
                     dialer._stats_local_hour(dialer._stats_call_time(r.claimed_at, r.started_at, r.created_at), r.recipient_time_zone),
                     date_trunc('hour', dialer._stats_call_time(r.claimed_at, r.started_at, r.created_at), 'UTC'),
                     sum(r.w), sum(r.w * r.duration_seconds), sum(r.w * r.cost), sum(r.w) FILTER (WHERE r.cost IS NOT NULL)
                FROM r GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) AS x),
           (SELECT array_agg(DISTINCT (r.tenant_id, r.campaign_id, r.lead_id)::dialer._stats_lead_key)
              FROM r JOIN dialer.outcome_classes oc ON oc.outcome_class = r.outcome_class AND oc.contact
             WHERE r.lead_id IS NOT NULL)
      INTO v_deltas, v_leads;
  ELSIF TG_OP = 'UPDATE' THEN
    WITH r AS (SELECT -1 AS w, o.* FROM old_calls o WHERE o.campaign_id IS NOT NULL
               UNION ALL
               SELECT 1, n.* FROM new_calls n WHERE n.campaign_id IS NOT NULL)
    SELECT (SELECT array_agg(x) FROM (
              SELECT r.tenant_id, r.campaign_id, r.status, r.outcome_class,
                     least(r.attempt_number, 16), dialer.talk_time_bucket(r.duration_seconds),
                     dialer._stats_local_hour(dialer._stats_call_time(r.claimed_at, r.started_at, r.created_at), r.recipient_time_zone),
                     date_trunc('hour', dialer._stats_call_time(r.claimed_at, r.started_at, r.created_at), 'UTC'),
                     sum(r.w) AS calls, sum(r.w * r.duration_seconds) AS seconds,
                     sum(r.w * r.cost) AS cost, sum(r.w) FILTER (WHERE r.cost IS NOT NULL) AS cost_calls
                FROM r GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
              HAVING (sum(r.w), coalesce(sum(r.w * r.duration_seconds), 0), coalesce(sum(r.w * r.cost), 0),
                      coalesce(sum(r.w) FILTER (WHERE r.cost IS NOT NULL), 0)) <> (0, 0, 0, 0)) AS x),
           (SELECT array_agg(DISTINCT (c.tenant_id, c.campaign_id, c.lead_id)::dialer._stats_lead_key)
              FROM (SELECT r.tenant_id, r.campaign_id, r.lead_id
                      FROM r JOIN dialer.outcome_classes oc ON oc.outcome_class = r.outcome_class AND oc.contact
                     WHERE r.lead_id IS NOT NULL
                     GROUP BY r.tenant_id, r.campaign_id, r.lead_id, r.attempt_number
                    HAVING sum(r.w) <> 0) AS c)
      INTO v_deltas, v_leads;
  ELSE
    WITH r AS (SELECT -1 AS w, o.* FROM old_calls o WHERE o.campaign_id IS NOT NULL)
    SELECT (SELECT array_agg(x) FROM (
              SELECT r.tenant_id, r.campaign_id, r.status, r.outcome_class,
                     least(r.attempt_number, 16), dialer.talk_time_bucket(r.duration_seconds),
                     dialer._stats_local_hour(dialer._stats_call_time(r.claimed_at, r.started_at, r.created_at), r.recipient_time_zone),
                     date_trunc('hour', dialer._stats_call_time(r.claimed_at, r.started_at, r.created_at), 'UTC'),
                     sum(r.w), sum(r.w * r.duration_seconds), sum(r.w * r.cost), sum(r.w) FILTER (WHERE r.cost IS NOT NULL)
                FROM r GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) AS x),
           (SELECT array_agg(DISTINCT (r.tenant_id, r.campaign_id, r.lead_id)::dialer._stats_lead_key)
              FROM r JOIN dialer.outcome_classes oc ON oc.outcome_class = r.outcome_class AND oc.contact
             WHERE r.lead_id IS NOT NULL)
      INTO v_deltas, v_leads;
  END IF;
  IF v_deltas IS NOT NULL THEN
    PERFORM dialer._stats_apply_call_deltas(v_deltas);
  END IF;
  IF v_leads IS NOT NULL THEN
    PERFORM dialer._stats_update_first_contacts(v_leads);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._stats_calls_changed() IS
  'AFTER INSERT/UPDATE/DELETE statement trigger on calls (transition tables old_calls, '
  'new_calls): keeps the campaign call counters, buckets and first contacts.';
REVOKE EXECUTE ON FUNCTION dialer._stats_calls_changed() FROM PUBLIC;

CREATE FUNCTION dialer._stats_leads_changed()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_deltas dialer._stats_lead_delta[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(x) INTO v_deltas FROM (
      SELECT n.tenant_id, n.campaign_id, n.status, least(n.attempts, 16) + 1,
             count(*), sum(n.attempts)
        FROM new_leads n GROUP BY 1, 2, 3, 4) AS x;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(x) INTO v_deltas FROM (
      SELECT r.tenant_id, r.campaign_id, r.status, least(r.attempts, 16) + 1,
             sum(r.w) AS leads, sum(r.w * r.attempts) AS attempts
        FROM (SELECT -1 AS w, o.tenant_id, o.campaign_id, o.status, o.attempts FROM old_leads o
              UNION ALL
              SELECT 1, n.tenant_id, n.campaign_id, n.status, n.attempts FROM new_leads n) AS r
       GROUP BY 1, 2, 3, 4
      HAVING (sum(r.w), sum(r.w * r.attempts)) <> (0, 0)) AS x;
  ELSE
    SELECT array_agg(x) INTO v_deltas FROM (
      SELECT o.tenant_id, o.campaign_id, o.status, least(o.attempts, 16) + 1,
             -count(*), -sum(o.attempts)
        FROM old_leads o GROUP BY 1, 2, 3, 4) AS x;
  END IF;
  IF v_deltas IS NOT NULL THEN
    PERFORM dialer._stats_apply_lead_deltas(v_deltas);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._stats_leads_changed() IS
  'AFTER INSERT/UPDATE/DELETE statement trigger on leads (transition tables old_leads, '
  'new_leads): keeps the campaign lead counters.';
REVOKE EXECUTE ON FUNCTION dialer._stats_leads_changed() FROM PUBLIC;

CREATE FUNCTION dialer._stats_truncated()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF TG_TABLE_NAME = 'calls' THEN
    DELETE FROM dialer.campaign_call_stats;
    DELETE FROM dialer.campaign_call_buckets;
    DELETE FROM dialer.lead_first_contacts;
    UPDATE dialer.campaign_lead_stats
       SET contacted_leads = 0, first_contact_attempts = 0, by_first_contact = '{}';
  ELSE
    UPDATE dialer.campaign_lead_stats SET leads = 0, attempts = 0, by_status = '{}', by_attempts = '{}';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._stats_truncated() IS
  'AFTER TRUNCATE trigger on calls and leads: zeroes the counters derived from the emptied table.';
REVOKE EXECUTE ON FUNCTION dialer._stats_truncated() FROM PUBLIC;

CREATE TRIGGER dialer_stats_calls_inserted AFTER INSERT ON dialer.calls
  REFERENCING NEW TABLE AS new_calls
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_calls_changed();
CREATE TRIGGER dialer_stats_calls_updated AFTER UPDATE ON dialer.calls
  REFERENCING OLD TABLE AS old_calls NEW TABLE AS new_calls
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_calls_changed();
CREATE TRIGGER dialer_stats_calls_deleted AFTER DELETE ON dialer.calls
  REFERENCING OLD TABLE AS old_calls
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_calls_changed();
CREATE TRIGGER dialer_stats_calls_truncated AFTER TRUNCATE ON dialer.calls
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_truncated();
CREATE TRIGGER dialer_stats_leads_inserted AFTER INSERT ON dialer.leads
  REFERENCING NEW TABLE AS new_leads
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_leads_changed();
CREATE TRIGGER dialer_stats_leads_updated AFTER UPDATE ON dialer.leads
  REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_leads_changed();
CREATE TRIGGER dialer_stats_leads_deleted AFTER DELETE ON dialer.leads
  REFERENCING OLD TABLE AS old_leads
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_leads_changed();
CREATE TRIGGER dialer_stats_leads_truncated AFTER TRUNCATE ON dialer.leads
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_truncated();
