-- Demo step 2: 24,000 messy numbers from nine countries land in a staging table (as
-- after a CSV upload), then one call imports them: E.164 normalisation, duplicates,
-- suppressions and invalid rows reported, consent carried onto the contacts.
\set QUIET on
\set ON_ERROR_STOP on
CREATE TEMP TABLE upload (line integer, phone text, first_name text, consent_ai_voice_at timestamptz);
-- Why random(): a realistic mix of formats; setseed in step 1 makes it repeatable.
INSERT INTO upload
SELECT g,
  CASE kind
    WHEN 0 THEN '(' || ac || ') ' || ex || '-' || sub4                                  -- US national
    WHEN 1 THEN '+1 ' || ac || '.' || ex || '.' || sub4 || CASE WHEN g % 9 = 0 THEN ' ext. 12' ELSE '' END
    WHEN 2 THEN '+44 20 7' || lpad((random() * 999)::int::text, 3, '0') || ' ' || sub4   -- London
    WHEN 3 THEN '011 33 6 ' || substr(sub8, 1, 2) || ' ' || substr(sub8, 3, 2) || ' ' || substr(sub8, 5, 2) || ' ' || substr(sub8, 7, 2)
    WHEN 4 THEN '+49 (0)30 ' || substr(sub8, 1, 4) || '-' || substr(sub8, 5, 4)          -- Berlin
    WHEN 5 THEN '+91 98' || substr(sub8, 1, 4) || ' ' || substr(sub8, 5, 4)              -- India mobile
    WHEN 6 THEN '+61 2 9' || substr(sub8, 1, 3) || ' ' || substr(sub8, 4, 4)             -- Sydney
    WHEN 7 THEN '+55 11 9' || substr(sub8, 1, 4) || '-' || substr(sub8, 5, 4)            -- São Paulo mobile
    ELSE        'tel:+52-55-' || substr(sub8, 1, 4) || '-' || substr(sub8, 5, 4)         -- Mexico City
  END,
  'Patient ' || g,
  CASE WHEN random() < 0.96 THEN timestamptz '2026-10-01 12:00+00' END
FROM (
  SELECT g, CASE WHEN g % 3 = 0 THEN (g / 3) % 9 ELSE (g % 2) END AS kind,
         (ARRAY['212', '646', '312', '303', '602', '213', '415', '208', '808', '907', '305', '206'])[1 + g % 12] AS ac,
         (200 + (random() * 799)::int)::text AS ex,
         lpad((random() * 9999)::int::text, 4, '0') AS sub4,
         lpad((random() * 99999999)::int::text, 8, '0') AS sub8
    FROM generate_series(1, 23400) g) s;
-- Some rows are garbage, some people appear twice in another format.
INSERT INTO upload SELECT 23400 + g, (ARRAY['n/a', '12345', '+1 (555) 010', 'call me', '', '+999 123 4567'])[1 + g % 6], 'Broken ' || g, NULL
  FROM generate_series(1, 240) g;
INSERT INTO upload SELECT 23640 + row_number() OVER (), regexp_replace(phone, '[^0-9+]', '', 'g'), first_name || ' (again)', consent_ai_voice_at
  FROM upload WHERE line % 67 = 0 AND line <= 23400;
-- A do-not-call list the tenant already had.
INSERT INTO dialer.suppressions (tenant_id, phone, reason, source)
SELECT 'd0000000-0000-0000-0000-000000000001', e, 'do_not_call', 'customer request'
  FROM (SELECT DISTINCT dialer.try_e164(phone, 'US') AS e FROM upload WHERE line % 97 = 0 AND line <= 23400) x
 WHERE e IS NOT NULL;
\echo
\echo '=== 2. Import of ~24,000 messy rows from nine countries (dialer.import_leads_from) ==='
SELECT count(*) AS rows_uploaded FROM upload \gset
SELECT dialer.import_leads_from('d0000000-0000-0000-0000-0000000000c1', 'upload', 'US', 8) AS report \gset
SELECT :rows_uploaded AS uploaded, (:'report'::jsonb ->> 'inserted') AS imported,
       (:'report'::jsonb ->> 'duplicates') AS duplicates, (:'report'::jsonb ->> 'suppressed') AS suppressed,
       (:'report'::jsonb ->> 'invalid') AS invalid, (:'report'::jsonb ->> 'contacts_created') AS new_contacts;
\echo 'rejected rows by reason:'
SELECT key AS reason, value AS rows FROM jsonb_each(:'report'::jsonb -> 'rejected_by_reason') ORDER BY value::int DESC;
\echo 'first rejected rows, as reported:'
SELECT r ->> 'row' AS "row", r ->> 'input' AS input, r ->> 'reason' AS reason
  FROM jsonb_array_elements(:'report'::jsonb -> 'rejects') r;
\echo 'imported leads by country and the time zones their numbers map to:'
SELECT coalesce(dialer.phone_info(phone, NULL) ->> 'number_region', '?') AS country, count(*) AS leads,
       count(DISTINCT dialer.phone_timezones(phone, NULL)) AS zone_sets,
       left(string_agg(DISTINCT array_to_string(dialer.phone_timezones(phone, NULL), ' or '), ', '), 80) AS examples
  FROM dialer.leads WHERE campaign_id = 'd0000000-0000-0000-0000-0000000000c1'
 GROUP BY 1 ORDER BY 2 DESC;
-- Consent lands on contacts from the upload's consent column.
SELECT dialer.start_campaign('d0000000-0000-0000-0000-0000000000c1', '2026-11-23 13:00+00') \g /dev/null
