-- Bulk lead import: normalise every phone to E.164 (national numbers read in the
-- campaign tenant's default region, or p_region), de-duplicate within the batch and
-- against the campaign, reuse the tenant's existing contacts, skip suppressed numbers,
-- and report every row that was not imported with its reason. One transaction: all
-- or nothing. import_leads takes a JSON array (API calls); import_leads_from takes a
-- staging table (very large loads, e.g. after COPY).

-- Staged rows of the import in progress (one per input row), dropped at commit.
CREATE FUNCTION dialer._import_stage_create()
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  -- Why a temp table: the same set-based passes serve both entry points, and ON COMMIT
  -- DROP leaves no session state behind (safe through a transaction-mode pooler).
  IF to_regclass('pg_temp.dialer_import_stage') IS NOT NULL THEN
    DROP TABLE pg_temp.dialer_import_stage;
  END IF;
  CREATE TEMP TABLE dialer_import_stage (
    line bigint NOT NULL, input text, first_name text, last_name text, email text,
    custom_fields jsonb, priority integer, time_zone text, consent_ai_voice_at timestamptz,
    consent_source text, reject text, e164 text) ON COMMIT DROP;
END
$$;
COMMENT ON FUNCTION dialer._import_stage_create() IS 'Internal: creates the import''s temporary staging table.';
REVOKE EXECUTE ON FUNCTION dialer._import_stage_create() FROM PUBLIC;

-- Classifies and imports the staged rows into campaign p_c; returns the report.
CREATE FUNCTION dialer._import_staged(p_c dialer.campaigns, p_region text, p_max_rejects integer)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  v_received bigint;
  v_contacts bigint;
  v_inserted bigint;
  v_counts jsonb;
  v_rejects jsonb;
BEGIN
  SELECT count(*) INTO v_received FROM pg_temp.dialer_import_stage;
  UPDATE pg_temp.dialer_import_stage SET e164 = dialer.try_e164(input, p_region)
   WHERE reject IS NULL AND input IS NOT NULL;
  UPDATE pg_temp.dialer_import_stage
     SET reject = CASE WHEN input IS NULL OR btrim(input) = '' THEN 'missing_phone'
                       ELSE 'invalid_phone: ' || coalesce(dialer.phone_info(input, p_region) ->> 'reason', 'invalid') END
   WHERE reject IS NULL AND e164 IS NULL;
  -- Within the batch the first row of a number wins.
  UPDATE pg_temp.dialer_import_stage s SET reject = 'duplicate_in_batch'
    FROM (SELECT line, row_number() OVER (PARTITION BY e164 ORDER BY line) AS n
            FROM pg_temp.dialer_import_stage WHERE reject IS NULL) d
   WHERE d.line = s.line AND d.n > 1;
  UPDATE pg_temp.dialer_import_stage s SET reject = 'duplicate_in_campaign'
   WHERE s.reject IS NULL
     AND EXISTS (SELECT 1 FROM dialer.leads l
                  WHERE l.tenant_id = p_c.tenant_id AND l.campaign_id = p_c.id AND l.phone = s.e164);
  UPDATE pg_temp.dialer_import_stage s SET reject = 'suppressed'
   WHERE s.reject IS NULL
     AND (EXISTS (SELECT 1 FROM dialer.suppressions x
                   WHERE x.tenant_id = p_c.tenant_id AND x.phone = s.e164
                     AND (x.expires_at IS NULL OR x.expires_at > now()))
          OR EXISTS (SELECT 1 FROM dialer.global_suppressions g
                      WHERE g.phone = s.e164 AND (g.expires_at IS NULL OR g.expires_at > now())));
  -- The tenant's existing contact is reused as it is (its data is not overwritten).
  INSERT INTO dialer.contacts (tenant_id, phone, first_name, last_name, email, time_zone,
                               consent_ai_voice_at, consent_source)
  SELECT p_c.tenant_id, s.e164, s.first_name, s.last_name, s.email, s.time_zone,
         s.consent_ai_voice_at, s.consent_source
    FROM pg_temp.dialer_import_stage s WHERE s.reject IS NULL
  ON CONFLICT (tenant_id, phone) DO NOTHING;
  GET DIAGNOSTICS v_contacts = ROW_COUNT;
  INSERT INTO dialer.leads (tenant_id, campaign_id, phone, priority, custom_fields)
  SELECT p_c.tenant_id, p_c.id, s.e164, coalesce(s.priority, 0), coalesce(s.custom_fields, '{}')
    FROM pg_temp.dialer_import_stage s WHERE s.reject IS NULL;
  GET DIAGNOSTICS v_inserted = ROW_COUNT;
  SELECT coalesce(jsonb_object_agg(reason, n), '{}') INTO v_counts
    FROM (SELECT split_part(reject, ':', 1) AS reason, count(*) AS n
            FROM pg_temp.dialer_import_stage WHERE reject IS NOT NULL GROUP BY 1) r;
  SELECT coalesce(jsonb_agg(jsonb_build_object('row', line, 'input', input, 'reason', reject) ORDER BY line), '[]')
    INTO v_rejects
    FROM (SELECT * FROM pg_temp.dialer_import_stage WHERE reject IS NOT NULL ORDER BY line LIMIT p_max_rejects) r;
  DROP TABLE pg_temp.dialer_import_stage;
  RETURN jsonb_build_object(
    'campaign_id', p_c.id, 'received', v_received, 'inserted', v_inserted,
    'contacts_created', v_contacts, 'contacts_reused', v_inserted - v_contacts,
    'duplicates', coalesce((v_counts ->> 'duplicate_in_batch')::bigint, 0)
                  + coalesce((v_counts ->> 'duplicate_in_campaign')::bigint, 0),
    'suppressed', coalesce((v_counts ->> 'suppressed')::bigint, 0),
    'invalid', coalesce((v_counts ->> 'invalid_phone')::bigint, 0)
               + coalesce((v_counts ->> 'missing_phone')::bigint, 0)
               + coalesce((v_counts ->> 'invalid_field')::bigint, 0),
    'rejected_by_reason', v_counts,
    'rejects', v_rejects,
    'rejects_truncated', v_received - v_inserted > p_max_rejects);
END
$$;
COMMENT ON FUNCTION dialer._import_staged(dialer.campaigns, text, integer) IS
  'Internal: classifies staged import rows (invalid, duplicate, suppressed), inserts contacts and leads, builds the report.';
REVOKE EXECUTE ON FUNCTION dialer._import_staged(dialer.campaigns, text, integer) FROM PUBLIC;

-- The campaign for an import (admin role, not finished) and the region to read national numbers in.
CREATE FUNCTION dialer._import_target(p_campaign_id uuid, p_region text, OUT campaign dialer.campaigns, OUT region text)
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  campaign := dialer._campaign_for(p_campaign_id, 'admin');
  IF campaign.status IN ('completed', 'cancelled') THEN
    RAISE EXCEPTION 'cannot import leads into campaign %: it is %', p_campaign_id, campaign.status
      USING ERRCODE = 'PT409', DETAIL = 'A finished campaign takes no new leads.',
            HINT = 'Create a new campaign for these leads.';
  END IF;
  region := coalesce(upper(p_region), (SELECT t.default_region FROM dialer.tenants t WHERE t.id = campaign.tenant_id));
  -- An unknown region is the caller's mistake: dialer.try_e164 raises 22023 naming it.
  PERFORM dialer.try_e164('+1', region);
END
$$;
COMMENT ON FUNCTION dialer._import_target(uuid, text) IS 'Internal: checks the import''s campaign and region.';
REVOKE EXECUTE ON FUNCTION dialer._import_target(uuid, text) FROM PUBLIC;

CREATE FUNCTION dialer.import_leads(p_campaign_id uuid, p_leads jsonb, p_region text DEFAULT NULL,
                                    p_max_rejects integer DEFAULT 1000)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_target record;
BEGIN
  IF jsonb_typeof(p_leads) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'p_leads must be a JSON array, not %', coalesce(jsonb_typeof(p_leads), 'NULL')
      USING ERRCODE = '22023', DETAIL = 'import_leads takes an array of lead objects.',
            HINT = 'Pass [{"phone": "+14155552671", "first_name": "Ada"}, ...].';
  END IF;
  IF NOT coalesce(p_max_rejects BETWEEN 0 AND 1000000, false) THEN
    PERFORM dialer._invalid_arg('p_max_rejects', p_max_rejects::text, 'between 0 and 1000000');
  END IF;
  -- Bounded before any work: a million-row request grew a backend to ~1 GB.
  IF jsonb_array_length(p_leads) > dialer._limit('max_import_rows') THEN
    PERFORM dialer._over_limit('the number of leads to import', jsonb_array_length(p_leads), 'max_import_rows');
  END IF;
  SELECT * INTO v_target FROM dialer._import_target(p_campaign_id, p_region);
  PERFORM dialer._import_stage_create();
  INSERT INTO pg_temp.dialer_import_stage (line, input, first_name, last_name, email, custom_fields,
                                           priority, time_zone, consent_ai_voice_at, consent_source, reject)
  SELECT e.n, e.v ->> 'phone', e.v ->> 'first_name', e.v ->> 'last_name', lower(e.v ->> 'email'),
         CASE WHEN jsonb_typeof(e.v -> 'custom_fields') = 'object' THEN e.v -> 'custom_fields' END,
         CASE WHEN (e.v ->> 'priority') ~ '^-?[0-9]{1,9}$' THEN (e.v ->> 'priority')::integer END,
         CASE WHEN dialer._is_time_zone(e.v ->> 'time_zone') THEN e.v ->> 'time_zone' END,
         CASE WHEN (e.v ->> 'consent_ai_voice_at') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
              THEN (e.v ->> 'consent_ai_voice_at')::timestamptz END,
         e.v ->> 'consent_source',
         CASE WHEN jsonb_typeof(e.v) <> 'object' THEN 'invalid_field: not an object'
              WHEN e.v ? 'custom_fields' AND jsonb_typeof(e.v -> 'custom_fields') <> 'object' THEN 'invalid_field: custom_fields must be an object'
              WHEN e.v ? 'priority' AND NOT (e.v ->> 'priority') ~ '^-?[0-9]{1,9}$' THEN 'invalid_field: priority must be an integer'
              WHEN e.v ? 'time_zone' AND NOT coalesce(dialer._is_time_zone(e.v ->> 'time_zone'), false) THEN 'invalid_field: unknown time_zone'
              WHEN e.v ? 'consent_ai_voice_at' AND NOT (e.v ->> 'consent_ai_voice_at') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN 'invalid_field: consent_ai_voice_at must be a timestamp'
         END
    FROM jsonb_array_elements(p_leads) WITH ORDINALITY AS e(v, n);
  RETURN dialer._import_staged(v_target.campaign, v_target.region, p_max_rejects);
END
$$;
COMMENT ON FUNCTION dialer.import_leads(uuid, jsonb, text, integer) IS
  'Imports a JSON array of leads ({phone, first_name, last_name, email, custom_fields, priority, '
  'time_zone, consent_ai_voice_at, consent_source}) into a campaign in one transaction. Phones '
  'are normalised to E.164 (national numbers read in p_region, default the tenant''s '
  'default_region); duplicates in the batch or the campaign, suppressed numbers and invalid rows '
  'are not imported and are reported: {received, inserted, contacts_created, contacts_reused, '
  'duplicates, suppressed, invalid, rejected_by_reason, rejects: [{row, input, reason}] (first '
  'p_max_rejects), rejects_truncated}. At most dialer.max_import_rows leads per call (22023 '
  'above). Admin role.';

-- SECURITY INVOKER on purpose: the staging table is read with the caller's own rights
-- (privileges, column privileges and row-level security), so nothing the caller could
-- not SELECT themselves becomes a lead or appears in the report. The rows then go
-- through dialer.import_leads, which checks the campaign and writes as its owner.
-- Why not read it as the owner after a privilege check: 0.3.0 did, and a signed-in user
-- imported every tenant's contacts by naming dialer.contacts (RLS does not apply to the
-- owner); reading a caller-owned table as the owner would also run the caller's casts
-- and functions with the owner's rights.
CREATE FUNCTION dialer.import_leads_from(p_campaign_id uuid, p_source regclass, p_region text DEFAULT NULL,
                                         p_max_rejects integer DEFAULT 1000)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
SET search_path = ''
AS $$
DECLARE
  v_cols text[];
  v_pick text;
  v_rows jsonb;
  v_lines bigint[];
  v_report jsonb;
  v_limit bigint;
BEGIN
  IF p_source IS NULL THEN
    RAISE EXCEPTION 'invalid p_source: NULL'
      USING ERRCODE = '22023', DETAIL = 'p_source must name a table with a "phone" column.',
            HINT = 'Pass the staging table, e.g. ''my_staging''.';
  END IF;
  SELECT array_agg(a.attname::text) INTO v_cols FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = p_source AND a.attnum > 0 AND NOT a.attisdropped;
  IF NOT coalesce('phone' = ANY (v_cols), false) THEN
    RAISE EXCEPTION 'staging table % has no column "phone"', p_source
      USING ERRCODE = '42703', DETAIL = format('Its columns are: %s.', coalesce(array_to_string(v_cols, ', '), 'none')),
            HINT = 'Name the phone column "phone"; optional: first_name, last_name, email, custom_fields, priority, time_zone, consent_ai_voice_at, consent_source, line.';
  END IF;
  -- One JSON object per row with the columns the table has (NULLs left out, as absent).
  SELECT string_agg(format('%L, %s', c, CASE WHEN c = 'phone' THEN 'phone::text' ELSE format('%I::%s', c, t) END), ', ' ORDER BY o)
    INTO v_pick
    FROM unnest(ARRAY['phone', 'first_name', 'last_name', 'email', 'custom_fields', 'priority', 'time_zone',
                      'consent_ai_voice_at', 'consent_source'],
                ARRAY['text', 'text', 'text', 'text', 'jsonb', 'integer', 'text', 'timestamptz', 'text']) WITH ORDINALITY AS x(c, t, o)
   WHERE c = ANY (v_cols);
  -- Why LIMIT limit + 1: the size bound holds before the table is read in full.
  v_limit := dialer._limit('max_import_rows');
  EXECUTE format(
    'SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(%s)) ORDER BY s.dialer_line), '
    'array_agg(s.dialer_line ORDER BY s.dialer_line) FROM (SELECT *, %s AS dialer_line FROM %s LIMIT %s) s',
    v_pick, CASE WHEN 'line' = ANY (v_cols) THEN 'line::bigint' ELSE 'row_number() OVER ()' END,
    p_source, v_limit + 1)
    INTO v_rows, v_lines;
  -- Over the limit, dialer.import_leads refuses the rows before it does any work.
  v_report := dialer.import_leads(p_campaign_id, coalesce(v_rows, '[]'), p_region, p_max_rejects);
  -- A reject's row is the staging table's line (import_leads counts array positions).
  RETURN jsonb_set(v_report, '{rejects}', coalesce(
    (SELECT jsonb_agg(r.v || jsonb_build_object('row', v_lines[(r.v ->> 'row')::integer]) ORDER BY r.n)
       FROM jsonb_array_elements(v_report -> 'rejects') WITH ORDINALITY AS r(v, n)), '[]'));
END
$$;
COMMENT ON FUNCTION dialer.import_leads_from(uuid, regclass, text, integer) IS
  'Imports leads from a staging table (column phone, optional first_name, last_name, email, '
  'custom_fields, priority, time_zone, consent_ai_voice_at, consent_source, line) with the same '
  'normalisation, de-duplication, suppression checks and report as dialer.import_leads (a '
  'reject''s row is its line). The table is read with the caller''s rights (row-level security '
  'and column privileges apply); at most dialer.max_import_rows rows. For large loads: COPY into '
  'a staging table, then call this. Admin role.';

REVOKE EXECUTE ON FUNCTION dialer.import_leads(uuid, jsonb, text, integer),
  dialer.import_leads_from(uuid, regclass, text, integer) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.import_leads(uuid, jsonb, text, integer)',
                    'dialer.import_leads_from(uuid, regclass, text, integer)']) f,
       unnest(ARRAY['authenticated', 'service_role']) g;
