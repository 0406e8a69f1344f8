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
-- statement-level triggers with transition tables (written in C, see below), so they
-- are exact whoever writes the rows (the queue functions, service_role editing a row, a
-- rollback, a status that changes twice) and a bulk statement costs one counter update
-- per campaign and bucket, not one per row.
--
-- Sharding: each counter row exists once per (campaign, shard), shard 0..31 (more
-- when over 32 writers of one campaign are active at once); a writing transaction
-- reserves a shard of the campaign nobody else is writing to (a transaction-level
-- advisory lock on the campaign and shard, only ever tried, never waited for, starting
-- at the backend's id modulo 32), so concurrent workers completing calls of
-- one campaign update different rows and never queue on a counter row lock; readers
-- sum the shards. One shard row on its own means nothing (it may even hold negative
-- counts); only the sum over the shards does.
--
-- Plans: the SQL-level helpers and reports are PL/pgSQL (which keeps statement plans
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
SET plan_cache_mode = force_generic_plan
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
    -- The scheduler's candidates: the area code's zones unless the campaign opts into the exchange's.
    v_candidates := dialer._number_zones(v_phone, (SELECT cp.zone_precision FROM dialer.campaigns cp
                                                    WHERE cp.tenant_id = p_tenant_id AND cp.id = p_campaign_id));
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
SET plan_cache_mode = force_generic_plan
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

-- ---- definitions the recount shares ----------------------------------------

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

CREATE TYPE dialer._stats_lead_key AS (tenant_id uuid, campaign_id uuid, lead_id uuid);
COMMENT ON TYPE dialer._stats_lead_key IS 'A lead whose contact calls changed (campaign of the calls).';

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
CREATE FUNCTION dialer._stats_update_first_contacts(
  p_tenants uuid[], p_campaigns uuid[], p_leads uuid[], p_shards smallint[])
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_keys dialer._stats_lead_key[];
  v_before jsonb;
  v_shards jsonb;
BEGIN
  -- The shard the calls trigger reserved for each campaign (same for all its leads).
  SELECT jsonb_object_agg(k.campaign_id::text, k.shard) INTO v_shards
    FROM unnest(p_campaigns, p_shards) AS k (campaign_id, shard);
  SELECT array_agg(k ORDER BY k.tenant_id, k.campaign_id, k.lead_id) INTO v_keys
    FROM (SELECT DISTINCT k.tenant_id, k.campaign_id, k.lead_id
            FROM unnest(p_tenants, p_campaigns, p_leads) AS k (tenant_id, campaign_id, lead_id)
           WHERE EXISTS (SELECT 1 FROM dialer.campaigns c
                          WHERE c.tenant_id = k.tenant_id AND c.id = k.campaign_id)) AS k;
  IF v_keys IS NULL THEN
    RETURN;
  END IF;
  -- Why: under REPEATABLE READ / SERIALIZABLE this transaction reads the leads' calls
  -- from its snapshot; a concurrent transaction changing calls of the same lead would
  -- go unseen (write skew) and the first contact be counted twice or not at all.
  -- Writing each lead row makes the later of two such transactions fail with 40001
  -- (the client retries). READ COMMITTED (PostgREST, the queue) reads fresh rows per
  -- statement and skips this.
  IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    UPDATE dialer.leads l SET updated_at = l.updated_at
      FROM unnest(v_keys) AS k WHERE l.tenant_id = k.tenant_id AND l.id = k.lead_id;
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
  -- Why: under REPEATABLE READ / SERIALIZABLE a row another transaction inserted after
  -- our snapshot makes the INSERT above do nothing yet stays invisible here; counting
  -- from our snapshot would then count that lead's first contact twice. Fail the
  -- transaction as a serialization failure (40001) so the client retries it.
  IF (SELECT count(*) FROM jsonb_object_keys(coalesce(v_before, '{}'))) < cardinality(v_keys) THEN
    RAISE EXCEPTION 'could not serialize access to the first-contact statistics of campaign leads'
      USING ERRCODE = '40001',
            DETAIL = 'A concurrent transaction recorded a first contact that this transaction''s snapshot cannot see.',
            HINT = 'Retry the transaction.';
  END IF;
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
  SELECT m.tenant_id, m.campaign_id, (v_shards ->> m.campaign_id::text)::smallint, sum(m.w)::bigint,
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
COMMENT ON FUNCTION dialer._stats_update_first_contacts(uuid[], uuid[], uuid[], smallint[]) IS
  'Recomputes dialer.lead_first_contacts for leads (tenant, campaign of the calls, lead, and the '
  'counter shard the caller reserved for that campaign: parallel arrays) whose contact calls '
  'changed, under a row lock per lead, and moves them between the attempts-to-first-contact '
  'histogram slots. Called by the calls trigger.';
REVOKE EXECUTE ON FUNCTION dialer._stats_update_first_contacts(uuid[], uuid[], uuid[], smallint[]) FROM PUBLIC;

-- ---- triggers ----------------------------------------------------------------

-- The counters are kept by two C functions (src/pg/stats_calls_trigger.cpp and
-- src/pg/stats_leads_trigger.cpp) serving the INSERT, UPDATE and DELETE statement
-- triggers of calls and leads: each reads the
-- statement's transition tables, adds up the net change per campaign (and per UTC hour
-- and day for calls), and applies it with one upsert per counter row; an UPDATE that
-- moves no counter (a transcript, a lease) writes nothing. Leads whose contact calls
-- changed go to dialer._stats_update_first_contacts.
CREATE FUNCTION dialer._stats_calls_changed()
RETURNS trigger
LANGUAGE c
SECURITY DEFINER
SET search_path = ''
AS 'MODULE_PATHNAME', 'dialer_stats_calls_changed';
COMMENT ON FUNCTION dialer._stats_calls_changed() IS
  'AFTER INSERT/UPDATE/DELETE statement trigger on calls (transition tables old_calls, '
  'new_calls): keeps the campaign call counters, buckets and first contacts.';
REVOKE EXECUTE ON FUNCTION dialer._stats_calls_changed() FROM PUBLIC;

CREATE FUNCTION dialer._stats_leads_changed()
RETURNS trigger
LANGUAGE c
SECURITY DEFINER
SET search_path = ''
AS 'MODULE_PATHNAME', 'dialer_stats_leads_changed';
COMMENT ON FUNCTION dialer._stats_leads_changed() IS
  'AFTER INSERT/UPDATE/DELETE statement trigger on leads (transition tables old_leads, '
  'new_leads): keeps the campaign lead counters.';
REVOKE EXECUTE ON FUNCTION dialer._stats_leads_changed() FROM PUBLIC;

CREATE FUNCTION dialer._stats_forget_outcome_classes()
RETURNS void
LANGUAGE c VOLATILE
AS 'MODULE_PATHNAME', 'dialer_stats_forget_outcome_classes';
COMMENT ON FUNCTION dialer._stats_forget_outcome_classes() IS
  'Makes every connection reload the outcome classes the statistics triggers cache (from the '
  'commit on); called when dialer.outcome_classes changes.';
REVOKE EXECUTE ON FUNCTION dialer._stats_forget_outcome_classes() FROM PUBLIC;

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
