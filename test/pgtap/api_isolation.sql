-- Tenant isolation of the whole RPC surface: every function in schemas dialer and
-- public that a Supabase `authenticated` user may EXECUTE (read from pg_proc, pgTAP's
-- own functions left out) is called the way PostgREST calls it
-- (test_helpers.postgrest_request) by personas who must not reach tenant B's data:
-- admin_a / viewer_a / agent_a of tenant A passing B's ids (or A's ids where their role
-- is too low), a signed-in user of no tenant (outsider), and anon. Each request is one
-- row of the case table `cases` (function, persona, JSON body, allowed HTTP statuses),
-- and for each one the suite proves:
--   * the HTTP status is one the case allows;
--   * the response holds none of B's values (b_markers: B's ids, phones, names, emails,
--     slugs, texts), except values the request itself sent (an echoed id is no leak);
--   * for VOLATILE functions: B's rows in every dialer table are unchanged (a
--     fingerprint of B's rows before and after the request), and no row outside B
--     gained a copy of a B value (e.g. an import into A's campaign reading B's rows);
--   * where a case gives expect_body, the response body equals it (has_tenant_role,
--     user_tenant_ids and map_outcome must answer as if B were not there).
-- Every request's effects are rolled back once measured, so each case meets the same
-- fixture and no case's outcome depends on another's.
-- The suite is closed: the set of exposed functions must equal the set of functions
-- with cases, so a newly exposed function without a case fails it; and anon may execute
-- no function of dialer or public at all.
--
-- Editing expectations: one row of `cases` per request; `expect` is the set of allowed
-- statuses (PT404 -> 404, 42501 -> 403 signed in / 401 anon, PT403 -> 403, 22023 -> 400,
-- PT409 / 23505 -> 409). Cases of persona admin_b are controls (B's own admin, proving
-- B's ids are live): their status is checked, their response is not leak-checked.
BEGIN;
SET LOCAL client_min_messages = warning;

-- ---- fixture: tenant A (small) and tenant B (rich, every value a marker) ------------
-- Users: a1 admin of A, a2 viewer of A, a3 agent of A, b1 owner of B, f1 member of
-- nothing (the outsider).
-- Ids: tenants aaaaaaaa-... / bbbbbbbb-...; campaigns ca000000-...-a1 (A, running),
-- -b1 (B, running), -b2 (B, draft), -b3 (B, paused); leads 1ead0000-...-a1 (A, call in
-- flight), -a2 (A, pending), -a3 (A, held), -b1 (B, call in flight), -b2 (B, completed),
-- -b3 (B, held), -b4 (B, pending, due), -b5 (B's draft, same person as b4); calls ca110000-...-a1 (A, claimed), -b1 (B,
-- claimed), -b2 (B, completed). Every B lead is in the state in which the function under
-- test would act on it if it skipped its tenant check.
INSERT INTO dialer.tenants (id, name, slug, default_region) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'Tenant A', 'tenant-a', 'US'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'Tenant Bsecret', 'bsecret-slug', 'US');
INSERT INTO dialer.tenant_members (tenant_id, user_id, role) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-0000000000a1', 'admin'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-0000000000a2', 'viewer'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-0000000000a3', 'agent'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-0000000000b1', 'owner');
INSERT INTO dialer.tenant_identifiers (tenant_id, id, kind, value, channel) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', '1d000000-0000-4000-8000-0000000000a1', 'phone', '+14155550190', 'whatsapp'),
  ('bbbbbbbb-0000-4000-8000-000000000000', '1d000000-0000-4000-8000-0000000000b1', 'phone', '+14155550290', 'whatsapp'),
  ('bbbbbbbb-0000-4000-8000-000000000000', '1d000000-0000-4000-8000-0000000000b2', 'email', 'desk@bsecret.example', NULL);
INSERT INTO dialer.contacts (tenant_id, id, phone, first_name, last_name, email, custom_fields) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-0000000000a1', '+14155550101', 'Alice', 'Anders', 'alice@a.example', '{}'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-0000000000a2', '+14155550102', 'Arthur', 'Anders', 'arthur@a.example', '{}'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-0000000000a3', '+14155550103', 'Ann', 'Anders', 'ann@a.example', '{}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-0000000000b1', '+14155550201', 'Bobsecret', 'Bsecretson', 'b-secret@b.example', '{"note": "bsecret-contact-note"}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-0000000000b2', '+14155550202', 'Bettysecret', 'Bsecretson', 'betty-secret@b.example', '{}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-0000000000b3', '+14155550203', 'Bensecret', 'Bsecretson', 'ben-secret@b.example', '{}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-0000000000b4', '+14155550204', 'Biancasecret', 'Bsecretson', 'bianca-secret@b.example', '{}');
-- US numbers are under the law's calling hours (us_federal by default): give every contact
-- a zone where it is midday now, so "dialable now" holds whenever the suite runs.
\ir ../helpers/contacts_midday.sql
INSERT INTO dialer.suppressions (tenant_id, id, phone, reason, source) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', '5e000000-0000-4000-8000-0000000000a1', '+14155550109', 'do_not_call', 'fixture'),
  ('bbbbbbbb-0000-4000-8000-000000000000', '5e000000-0000-4000-8000-0000000000b1', '+14155550209', 'bsecret-reason', 'bsecret-source');
-- B classifies Retell's user_hangup as converted (the global map says human_incomplete),
-- and has a raw outcome of its own.
INSERT INTO dialer.tenant_outcome_mappings (tenant_id, provider, raw_outcome, outcome_class) VALUES
  ('bbbbbbbb-0000-4000-8000-000000000000', 'retell', 'user_hangup', 'converted'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'bprov', 'bsecret_raw', 'converted');
INSERT INTO dialer.campaigns (tenant_id, id, name, description, max_concurrent_calls, uses_ai_voice,
                              time_zone, caller_id, metadata) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000a1', 'Campaign A', NULL, 3, false,
   'America/New_York', '+14155550199', '{}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000b1', 'Campaign Bsecret running',
   'bsecret description', 3, false, 'America/New_York', '+14155550299', '{"note": "bsecret-campaign-meta"}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000b2', 'Campaign Bsecret draft',
   NULL, 3, false, 'America/New_York', NULL, '{}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000b3', 'Campaign Bsecret paused',
   NULL, 3, false, 'America/New_York', NULL, '{}');
INSERT INTO dialer.leads (tenant_id, id, campaign_id, phone, priority, custom_fields) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', '1ead0000-0000-4000-8000-0000000000a1', 'ca000000-0000-4000-8000-0000000000a1', '+14155550101', 10, '{}'),
  ('aaaaaaaa-0000-4000-8000-000000000000', '1ead0000-0000-4000-8000-0000000000a2', 'ca000000-0000-4000-8000-0000000000a1', '+14155550102', 0, '{}'),
  ('aaaaaaaa-0000-4000-8000-000000000000', '1ead0000-0000-4000-8000-0000000000a3', 'ca000000-0000-4000-8000-0000000000a1', '+14155550103', 0, '{}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', '1ead0000-0000-4000-8000-0000000000b1', 'ca000000-0000-4000-8000-0000000000b1', '+14155550201', 10, '{}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', '1ead0000-0000-4000-8000-0000000000b2', 'ca000000-0000-4000-8000-0000000000b1', '+14155550202', 9, '{}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', '1ead0000-0000-4000-8000-0000000000b3', 'ca000000-0000-4000-8000-0000000000b1', '+14155550203', 0, '{}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', '1ead0000-0000-4000-8000-0000000000b4', 'ca000000-0000-4000-8000-0000000000b1', '+14155550204', 0, '{"note": "bsecret-lead-note"}'),
  ('bbbbbbbb-0000-4000-8000-000000000000', '1ead0000-0000-4000-8000-0000000000b5', 'ca000000-0000-4000-8000-0000000000b2', '+14155550204', 0, '{}');
-- The lifecycle and the calls through the API itself, as the superuser (who acts as an
-- owner of every tenant): A and B1 running, B3 paused; calls claimed (A's a1 and B's b1
-- stay in flight), B's b2 completed; held leads as after an unknown result.
DO $$
BEGIN
  PERFORM dialer.start_campaign(c) FROM unnest('{ca000000-0000-4000-8000-0000000000a1,
    ca000000-0000-4000-8000-0000000000b1, ca000000-0000-4000-8000-0000000000b3}'::uuid[]) AS c;
  PERFORM dialer.pause_campaign('ca000000-0000-4000-8000-0000000000b3');
END
$$;
INSERT INTO dialer.calls (tenant_id, id, campaign_id, lead_id, phone, caller_id, status, attempt_number,
                          worker_id, claimed_at, lease_expires_at, slot, recipient_time_zone) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'ca110000-0000-4000-8000-0000000000a1', 'ca000000-0000-4000-8000-0000000000a1',
   '1ead0000-0000-4000-8000-0000000000a1', '+14155550101', '+14155550199', 'claimed', 1, 'worker-a', now(),
   now() + interval '5 minutes', 1, 'America/Los_Angeles'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'ca110000-0000-4000-8000-0000000000b1', 'ca000000-0000-4000-8000-0000000000b1',
   '1ead0000-0000-4000-8000-0000000000b1', '+14155550201', '+14155550299', 'claimed', 1, 'bsecret-worker', now(),
   now() + interval '5 minutes', 1, 'America/Los_Angeles'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'ca110000-0000-4000-8000-0000000000b2', 'ca000000-0000-4000-8000-0000000000b1',
   '1ead0000-0000-4000-8000-0000000000b2', '+14155550202', '+14155550299', 'claimed', 1, 'bsecret-worker', now(),
   now() + interval '5 minutes', 2, 'America/Los_Angeles');
UPDATE dialer.campaign_slots s SET call_id = k.id, claimed_at = k.claimed_at
  FROM dialer.calls k
 WHERE s.tenant_id = k.tenant_id AND s.campaign_id = k.campaign_id AND s.slot = k.slot;
UPDATE dialer.leads l SET status = 'in_progress', attempts = 1, last_attempt_at = now()
 WHERE l.id IN (SELECT k.lead_id FROM dialer.calls k);
UPDATE dialer.leads l SET status = 'held', attempts = 1, last_attempt_at = now() - interval '1 hour',
                          last_outcome_class = 'unknown'
 WHERE l.id IN ('1ead0000-0000-4000-8000-0000000000a3', '1ead0000-0000-4000-8000-0000000000b3');
DO $$
BEGIN
  PERFORM dialer.complete_call('ca110000-0000-4000-8000-0000000000b2', 'completed', 'dialer',
    p_provider_call_id => 'bsecret-provider-call', p_duration_seconds => 42, p_cost => 0.05,
    p_recording_url => 'https://b.example/bsecret-recording.mp3', p_summary => 'bsecret call summary',
    p_transcript => '[{"role": "user", "content": "bsecret transcript"}]');
END
$$;
INSERT INTO dialer.conversations (tenant_id, id, user_id, contact_id, session_id, channel, summary) VALUES
  ('bbbbbbbb-0000-4000-8000-000000000000', 'c0de0000-0000-4000-8000-0000000000b1', NULL,
   'c0000000-0000-4000-8000-0000000000b1', 'bsecret-session', 'whatsapp', 'bsecret conversation summary');
INSERT INTO dialer.messages (tenant_id, id, conversation_id, role, content) VALUES
  ('bbbbbbbb-0000-4000-8000-000000000000', '3e000000-0000-4000-8000-0000000000b1',
   'c0de0000-0000-4000-8000-0000000000b1', 'user', 'bsecret message');
INSERT INTO dialer.escalations (tenant_id, id, conversation_id, issue_type, original_request) VALUES
  ('bbbbbbbb-0000-4000-8000-000000000000', 'e5000000-0000-4000-8000-0000000000b1',
   'c0de0000-0000-4000-8000-0000000000b1', 'billing', 'bsecret escalation request');

-- B's markers: every id-like value of B's rows (ids, keys, phones, the owner's user id)
-- and every B string containing "secret", from every dialer table.
CREATE TEMP TABLE b_markers (marker text PRIMARY KEY);
-- The dialer tables with their tenant filter column (tenants: id; global tables: none).
CREATE TEMP TABLE tenant_tables AS
SELECT c.oid::regclass AS rel, c.relname::text AS relname,
       CASE WHEN c.relname = 'tenants' THEN 'id'
            WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                                                        AND NOT a.attisdropped) THEN 'tenant_id' END AS tenant_col
  FROM pg_class c
 WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition;
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM tenant_tables WHERE tenant_col IS NOT NULL LOOP
    EXECUTE format($q$
      INSERT INTO b_markers
      SELECT DISTINCT f.value #>> '{}'
        FROM %s x, LATERAL jsonb_each(to_jsonb(x)) f
       WHERE x.%I = 'bbbbbbbb-0000-4000-8000-000000000000' AND jsonb_typeof(f.value) = 'string'
         AND (f.key IN ('id', 'tenant_id', 'campaign_id', 'lead_id', 'call_id', 'contact_id', 'conversation_id',
                        'user_id', 'idempotency_key', 'phone', 'caller_id', 'value', 'slug', 'name')
              OR f.value #>> '{}' LIKE '%%secret%%')
      ON CONFLICT DO NOTHING$q$, t.rel, t.tenant_col);
  END LOOP;
END
$$;
-- Plus the B strings nested inside JSON columns.
INSERT INTO b_markers VALUES ('bsecret-contact-note'), ('bsecret-lead-note'), ('bsecret-campaign-meta'),
  ('bsecret transcript') ON CONFLICT DO NOTHING;
DELETE FROM b_markers WHERE length(marker) < 8;  -- nothing short enough to match by chance

-- ---- helpers ------------------------------------------------------------------------
-- A fingerprint of tenant B's rows: {table: md5 of its B rows} over every dialer table.
CREATE FUNCTION pg_temp.b_fingerprint()
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  t record;
  h text;
  v jsonb := '{}';
BEGIN
  FOR t IN SELECT * FROM tenant_tables WHERE tenant_col IS NOT NULL ORDER BY relname LOOP
    EXECUTE format('SELECT md5(coalesce(string_agg(r, E''\n'' ORDER BY r), '''')) '
                   'FROM (SELECT row_to_json(x)::text AS r FROM %s x WHERE x.%I = %L) s',
                   t.rel, t.tenant_col, 'bbbbbbbb-0000-4000-8000-000000000000') INTO h;
    v := v || jsonb_build_object(t.relname, h);
  END LOOP;
  RETURN v;
END
$$;

-- The tables whose B rows differ between two fingerprints.
CREATE FUNCTION pg_temp.changed_tables(p_before jsonb, p_after jsonb)
RETURNS text[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg(key ORDER BY key), '{}')
    FROM (SELECT key FROM jsonb_each_text(p_before) b FULL JOIN jsonb_each_text(p_after) a USING (key)
           WHERE a.value IS DISTINCT FROM b.value) d
$$;

-- Copies of B's values outside B: 'table: marker' per B marker in a non-B or global row.
CREATE FUNCTION pg_temp.b_copies()
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  t record;
  part text[];
  v text[] := '{}';
BEGIN
  FOR t IN SELECT * FROM tenant_tables ORDER BY relname LOOP
    EXECUTE format('SELECT array_agg(DISTINCT %L || '': '' || m.marker) FROM %s x JOIN b_markers m '
                   'ON strpos(row_to_json(x)::text, m.marker) > 0 WHERE %s',
                   t.relname, t.rel,
                   CASE WHEN t.tenant_col IS NULL THEN 'true'
                        ELSE format('x.%I IS DISTINCT FROM %L', t.tenant_col,
                                    'bbbbbbbb-0000-4000-8000-000000000000') END) INTO part;
    v := v || coalesce(part, '{}');
  END LOOP;
  RETURN (SELECT coalesce(array_agg(e ORDER BY e), '{}') FROM unnest(v) e);
END
$$;

-- The B markers a response holds that its request did not send.
CREATE FUNCTION pg_temp.leaked_markers(p_response jsonb, p_request jsonb)
RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(m.marker ORDER BY m.marker), '{}') FROM b_markers m
   WHERE strpos(p_response::text, m.marker) > 0 AND strpos(p_request::text, m.marker) = 0
$$;

-- Whether the fingerprint and the copy check notice a change (one made and undone here).
CREATE FUNCTION pg_temp.detector_probe(OUT changed text[], OUT copies text[])
LANGUAGE plpgsql AS $$
DECLARE
  v_fp jsonb := pg_temp.b_fingerprint();
BEGIN
  BEGIN
    UPDATE dialer.leads SET priority = priority + 1 WHERE id = '1ead0000-0000-4000-8000-0000000000b4';
    INSERT INTO dialer.contacts (tenant_id, phone, first_name)
    VALUES ('aaaaaaaa-0000-4000-8000-000000000000', '+14155550160', 'Bobsecret');
    changed := pg_temp.changed_tables(v_fp, pg_temp.b_fingerprint());
    copies := pg_temp.b_copies();
    RAISE EXCEPTION USING ERRCODE = 'TAPRB', MESSAGE = 'undo the probe';
  EXCEPTION WHEN SQLSTATE 'TAPRB' THEN
    NULL;
  END;
END
$$;

-- Personas: the API role and the JWT sub each one calls with.
CREATE TEMP TABLE personas (persona text PRIMARY KEY, role text NOT NULL, sub uuid);
INSERT INTO personas VALUES
  ('admin_a', 'authenticated', 'a0000000-0000-4000-8000-0000000000a1'),
  ('viewer_a', 'authenticated', 'a0000000-0000-4000-8000-0000000000a2'),
  ('agent_a', 'authenticated', 'a0000000-0000-4000-8000-0000000000a3'),
  ('admin_b', 'authenticated', 'b0000000-0000-4000-8000-0000000000b1'),
  ('outsider', 'authenticated', 'f0000000-0000-4000-8000-0000000000f1'),
  ('anon', 'anon', NULL);

-- The functions an authenticated user can execute in dialer and public (pgTAP's excluded).
CREATE TEMP VIEW exposed AS
SELECT p.oid::regprocedure::text AS fn
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname IN ('dialer', 'public')
   AND has_function_privilege('authenticated', p.oid, 'EXECUTE')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                    WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                      AND e.extname = 'pgtap');

-- ---- the cases: one row per request ------------------------------------------------
-- fn: the function's regprocedure text (normalised through to_regprocedure, so
-- 'timestamptz' and 'timestamp with time zone' both do); expect: allowed statuses;
-- expect_body: the exact body required (NULL: not checked).
CREATE TEMP TABLE cases (
  id serial PRIMARY KEY,
  fn text NOT NULL,
  persona text NOT NULL REFERENCES personas,
  body jsonb NOT NULL,
  expect int[] NOT NULL,
  note text,
  expect_body jsonb);
INSERT INTO cases (fn, persona, body, expect, note, expect_body) VALUES
  -- identity and tenancy
  ('dialer.current_user_id()', 'outsider', '{}', '{200}', 'own id', '"f0000000-0000-4000-8000-0000000000f1"'),
  ('dialer.current_user_id()', 'anon', '{}', '{401}', NULL, NULL),
  ('dialer.user_tenant_ids(dialer.member_role)', 'admin_a', '{}', '{200}', 'only A', '["aaaaaaaa-0000-4000-8000-000000000000"]'),
  ('dialer.user_tenant_ids(dialer.member_role)', 'admin_a', '{"p_min_role": "viewer"}', '{200}', 'only A, explicit role', '["aaaaaaaa-0000-4000-8000-000000000000"]'),
  ('dialer.user_tenant_ids(dialer.member_role)', 'outsider', '{}', '{200}', 'no tenant', '[]'),
  ('dialer.user_tenant_ids(dialer.member_role)', 'anon', '{}', '{401}', NULL, NULL),
  ('dialer.has_tenant_role(uuid,dialer.member_role)', 'admin_a', '{"p_tenant_id": "bbbbbbbb-0000-4000-8000-000000000000"}', '{200}', 'B', 'false'),
  ('dialer.has_tenant_role(uuid,dialer.member_role)', 'admin_a', '{"p_tenant_id": "bbbbbbbb-0000-4000-8000-000000000000", "p_min_role": "viewer"}', '{200}', 'B as viewer', 'false'),
  ('dialer.has_tenant_role(uuid,dialer.member_role)', 'admin_a', '{"p_tenant_id": "aaaaaaaa-0000-4000-8000-000000000000", "p_min_role": "admin"}', '{200}', 'own tenant', 'true'),
  ('dialer.has_tenant_role(uuid,dialer.member_role)', 'viewer_a', '{"p_tenant_id": "aaaaaaaa-0000-4000-8000-000000000000", "p_min_role": "admin"}', '{200}', 'A as admin', 'false'),
  ('dialer.has_tenant_role(uuid,dialer.member_role)', 'outsider', '{"p_tenant_id": "aaaaaaaa-0000-4000-8000-000000000000"}', '{200}', 'A', 'false'),
  ('dialer.has_tenant_role(uuid,dialer.member_role)', 'outsider', '{"p_tenant_id": "bbbbbbbb-0000-4000-8000-000000000000"}', '{200}', 'B', 'false'),
  ('dialer.has_tenant_role(uuid,dialer.member_role)', 'admin_b', '{"p_tenant_id": "bbbbbbbb-0000-4000-8000-000000000000"}', '{200}', 'control', 'true'),
  ('dialer.has_tenant_role(uuid,dialer.member_role)', 'anon', '{"p_tenant_id": "aaaaaaaa-0000-4000-8000-000000000000"}', '{401}', NULL, NULL),
  ('dialer.create_tenant(text,text)', 'admin_a', '{"p_name": "Copycat", "p_slug": "bsecret-slug"}', '{409}', 'B''s slug', NULL),
  ('dialer.create_tenant(text,text)', 'outsider', '{"p_name": "Copycat", "p_slug": "bsecret-slug"}', '{409}', 'B''s slug', NULL),
  ('dialer.create_tenant(text,text)', 'anon', '{"p_name": "Anon tenant"}', '{401}', NULL, NULL),
  ('dialer.add_lead(uuid,text,text,text,text,jsonb,integer)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1", "p_phone": "+14155550150"}', '{404}', 'B''s campaign', NULL),
  ('dialer.add_lead(uuid,text,text,text,text,jsonb,integer)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_phone": "+14155550150"}', '{403}', 'A''s campaign', NULL),
  ('dialer.add_lead(uuid,text,text,text,text,jsonb,integer)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_phone": "+14155550150"}', '{404}', 'A''s campaign', NULL),
  ('dialer.add_lead(uuid,text,text,text,text,jsonb,integer)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1", "p_phone": "+14155550150"}', '{404}', 'B''s campaign', NULL),
  ('dialer.add_lead(uuid,text,text,text,text,jsonb,integer)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_phone": "+14155550150"}', '{401}', NULL, NULL),
  -- campaign lifecycle (each B campaign in the state the move starts from)
  ('dialer.start_campaign(uuid,timestamptz)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b2"}', '{404}', 'B''s draft', NULL),
  ('dialer.start_campaign(uuid,timestamptz)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{403}', 'A''s campaign', NULL),
  ('dialer.start_campaign(uuid,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s campaign', NULL),
  ('dialer.start_campaign(uuid,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b2"}', '{404}', 'B''s draft', NULL),
  ('dialer.start_campaign(uuid,timestamptz)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{401}', NULL, NULL),
  ('dialer.pause_campaign(uuid,timestamptz)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s running campaign', NULL),
  ('dialer.pause_campaign(uuid,timestamptz)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{403}', 'A''s campaign', NULL),
  ('dialer.pause_campaign(uuid,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s campaign', NULL),
  ('dialer.pause_campaign(uuid,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s running campaign', NULL),
  ('dialer.pause_campaign(uuid,timestamptz)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{401}', NULL, NULL),
  ('dialer.resume_campaign(uuid,timestamptz)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b3"}', '{404}', 'B''s paused campaign', NULL),
  ('dialer.resume_campaign(uuid,timestamptz)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{403}', 'A''s campaign', NULL),
  ('dialer.resume_campaign(uuid,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s campaign', NULL),
  ('dialer.resume_campaign(uuid,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b3"}', '{404}', 'B''s paused campaign', NULL),
  ('dialer.resume_campaign(uuid,timestamptz)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{401}', NULL, NULL),
  ('dialer.stop_campaign(uuid,timestamptz)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s running campaign', NULL),
  ('dialer.stop_campaign(uuid,timestamptz)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{403}', 'A''s campaign', NULL),
  ('dialer.stop_campaign(uuid,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s campaign', NULL),
  ('dialer.stop_campaign(uuid,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s running campaign', NULL),
  ('dialer.stop_campaign(uuid,timestamptz)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{401}', NULL, NULL),
  -- scheduling and outcome mapping
  ('dialer.why_not_dialable(uuid,timestamptz)', 'admin_a', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000b4"}', '{404}', 'B''s lead', NULL),
  ('dialer.why_not_dialable(uuid,timestamptz)', 'viewer_a', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000a2"}', '{200}', 'A''s lead', NULL),
  ('dialer.why_not_dialable(uuid,timestamptz)', 'outsider', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000a2"}', '{404}', 'A''s lead', NULL),
  ('dialer.why_not_dialable(uuid,timestamptz)', 'outsider', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000b4"}', '{404}', 'B''s lead', NULL),
  ('dialer.why_not_dialable(uuid,timestamptz)', 'admin_b', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000b4"}', '{200}', 'control', NULL),
  ('dialer.why_not_dialable(uuid,timestamptz)', 'anon', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000a2"}', '{401}', NULL, NULL),
  ('dialer.map_outcome(uuid,text,text)', 'admin_a', '{"p_tenant_id": "bbbbbbbb-0000-4000-8000-000000000000", "p_provider": "retell", "p_raw_outcome": "user_hangup"}', '{200}', 'B''s override', to_jsonb(dialer.map_outcome('aaaaaaaa-0000-4000-8000-000000000000', 'retell', 'user_hangup'))),
  ('dialer.map_outcome(uuid,text,text)', 'admin_a', '{"p_tenant_id": "bbbbbbbb-0000-4000-8000-000000000000", "p_provider": "bprov", "p_raw_outcome": "bsecret_raw"}', '{200}', 'B''s own raw outcome', coalesce(to_jsonb(dialer.map_outcome('aaaaaaaa-0000-4000-8000-000000000000', 'bprov', 'bsecret_raw')), 'null')),
  ('dialer.map_outcome(uuid,text,text)', 'outsider', '{"p_tenant_id": "bbbbbbbb-0000-4000-8000-000000000000", "p_provider": "retell", "p_raw_outcome": "user_hangup"}', '{200}', 'B''s override', to_jsonb(dialer.map_outcome('aaaaaaaa-0000-4000-8000-000000000000', 'retell', 'user_hangup'))),
  ('dialer.map_outcome(uuid,text,text)', 'admin_b', '{"p_tenant_id": "bbbbbbbb-0000-4000-8000-000000000000", "p_provider": "retell", "p_raw_outcome": "user_hangup"}', '{200}', 'control', '"converted"'),
  ('dialer.map_outcome(uuid,text,text)', 'anon', '{"p_tenant_id": "aaaaaaaa-0000-4000-8000-000000000000", "p_provider": "retell", "p_raw_outcome": "user_hangup"}', '{401}', NULL, NULL),
  -- the queue (B's call b1 in flight, b2 completed; B's lead b3 held, b4 due)
  ('dialer.claim_calls(uuid,text,integer,interval,timestamptz)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1", "p_worker_id": "worker-a", "p_max_calls": 3}', '{404}', 'B''s running campaign', NULL),
  ('dialer.claim_calls(uuid,text,integer,interval,timestamptz)', 'agent_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1", "p_worker_id": "worker-a", "p_max_calls": 3}', '{404}', 'B''s running campaign', NULL),
  ('dialer.claim_calls(uuid,text,integer,interval,timestamptz)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_worker_id": "worker-a"}', '{403}', 'A''s campaign', NULL),
  ('dialer.claim_calls(uuid,text,integer,interval,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_worker_id": "worker-x"}', '{404}', 'A''s campaign', NULL),
  ('dialer.claim_calls(uuid,text,integer,interval,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1", "p_worker_id": "worker-x"}', '{404}', 'B''s campaign', NULL),
  ('dialer.claim_calls(uuid,text,integer,interval,timestamptz)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_worker_id": "worker-x"}', '{401}', NULL, NULL),
  ('dialer.claim_tenant_calls(uuid,text,integer,interval,timestamptz)', 'admin_a', '{"p_tenant_id": "bbbbbbbb-0000-4000-8000-000000000000", "p_worker_id": "worker-a", "p_max_calls": 3}', '{404}', 'tenant B', NULL),
  ('dialer.claim_tenant_calls(uuid,text,integer,interval,timestamptz)', 'agent_a', '{"p_tenant_id": "bbbbbbbb-0000-4000-8000-000000000000", "p_worker_id": "worker-a", "p_max_calls": 3}', '{404}', 'tenant B', NULL),
  ('dialer.claim_tenant_calls(uuid,text,integer,interval,timestamptz)', 'viewer_a', '{"p_tenant_id": "aaaaaaaa-0000-4000-8000-000000000000", "p_worker_id": "worker-a"}', '{404}', 'tenant A', NULL),
  ('dialer.claim_tenant_calls(uuid,text,integer,interval,timestamptz)', 'outsider', '{"p_tenant_id": "aaaaaaaa-0000-4000-8000-000000000000", "p_worker_id": "worker-x"}', '{404}', 'tenant A', NULL),
  ('dialer.claim_tenant_calls(uuid,text,integer,interval,timestamptz)', 'outsider', '{"p_tenant_id": "bbbbbbbb-0000-4000-8000-000000000000", "p_worker_id": "worker-x"}', '{404}', 'tenant B', NULL),
  ('dialer.claim_tenant_calls(uuid,text,integer,interval,timestamptz)', 'anon', '{"p_tenant_id": "aaaaaaaa-0000-4000-8000-000000000000", "p_worker_id": "worker-x"}', '{401}', NULL, NULL),
  ('dialer.complete_call(uuid,text,text,text,timestamptz,timestamptz,integer,numeric,text,jsonb,text,timestamptz)', 'admin_a', '{"p_call_id": "ca110000-0000-4000-8000-0000000000b1", "p_outcome": "converted", "p_provider": "dialer"}', '{404}', 'B''s call in flight', NULL),
  ('dialer.complete_call(uuid,text,text,text,timestamptz,timestamptz,integer,numeric,text,jsonb,text,timestamptz)', 'admin_a', '{"p_call_id": "ca110000-0000-4000-8000-0000000000b2", "p_outcome": "completed", "p_provider": "dialer"}', '{404}', 'replay of B''s completed call', NULL),
  ('dialer.complete_call(uuid,text,text,text,timestamptz,timestamptz,integer,numeric,text,jsonb,text,timestamptz)', 'agent_a', '{"p_call_id": "ca110000-0000-4000-8000-0000000000b1", "p_outcome": "converted", "p_provider": "dialer"}', '{404}', 'B''s call in flight', NULL),
  ('dialer.complete_call(uuid,text,text,text,timestamptz,timestamptz,integer,numeric,text,jsonb,text,timestamptz)', 'viewer_a', '{"p_call_id": "ca110000-0000-4000-8000-0000000000a1", "p_outcome": "converted", "p_provider": "dialer"}', '{404}', 'A''s call in flight', NULL),
  ('dialer.complete_call(uuid,text,text,text,timestamptz,timestamptz,integer,numeric,text,jsonb,text,timestamptz)', 'outsider', '{"p_call_id": "ca110000-0000-4000-8000-0000000000a1", "p_outcome": "converted", "p_provider": "dialer"}', '{404}', 'A''s call in flight', NULL),
  ('dialer.complete_call(uuid,text,text,text,timestamptz,timestamptz,integer,numeric,text,jsonb,text,timestamptz)', 'outsider', '{"p_call_id": "ca110000-0000-4000-8000-0000000000b1", "p_outcome": "converted", "p_provider": "dialer"}', '{404}', 'B''s call in flight', NULL),
  ('dialer.complete_call(uuid,text,text,text,timestamptz,timestamptz,integer,numeric,text,jsonb,text,timestamptz)', 'anon', '{"p_call_id": "ca110000-0000-4000-8000-0000000000a1", "p_outcome": "converted", "p_provider": "dialer"}', '{401}', NULL, NULL),
  ('dialer.mark_call_dialing(uuid,text,timestamptz)', 'admin_a', '{"p_call_id": "ca110000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s call in flight', NULL),
  ('dialer.mark_call_dialing(uuid,text,timestamptz)', 'agent_a', '{"p_call_id": "ca110000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s call in flight', NULL),
  ('dialer.mark_call_dialing(uuid,text,timestamptz)', 'viewer_a', '{"p_call_id": "ca110000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s call in flight', NULL),
  ('dialer.mark_call_dialing(uuid,text,timestamptz)', 'outsider', '{"p_call_id": "ca110000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s call in flight', NULL),
  ('dialer.mark_call_dialing(uuid,text,timestamptz)', 'outsider', '{"p_call_id": "ca110000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s call in flight', NULL),
  ('dialer.mark_call_dialing(uuid,text,timestamptz)', 'anon', '{"p_call_id": "ca110000-0000-4000-8000-0000000000a1"}', '{401}', NULL, NULL),
  ('dialer.release_call(uuid,text,timestamptz)', 'admin_a', '{"p_call_id": "ca110000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s call in flight', NULL),
  ('dialer.release_call(uuid,text,timestamptz)', 'agent_a', '{"p_call_id": "ca110000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s call in flight', NULL),
  ('dialer.release_call(uuid,text,timestamptz)', 'viewer_a', '{"p_call_id": "ca110000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s call in flight', NULL),
  ('dialer.release_call(uuid,text,timestamptz)', 'outsider', '{"p_call_id": "ca110000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s call in flight', NULL),
  ('dialer.release_call(uuid,text,timestamptz)', 'outsider', '{"p_call_id": "ca110000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s call in flight', NULL),
  ('dialer.release_call(uuid,text,timestamptz)', 'anon', '{"p_call_id": "ca110000-0000-4000-8000-0000000000a1"}', '{401}', NULL, NULL),
  ('dialer.release_lead(uuid,timestamptz)', 'admin_a', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000b3"}', '{404}', 'B''s held lead', NULL),
  ('dialer.release_lead(uuid,timestamptz)', 'viewer_a', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000a3"}', '{404}', 'A''s held lead', NULL),
  ('dialer.release_lead(uuid,timestamptz)', 'outsider', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000a3"}', '{404}', 'A''s held lead', NULL),
  ('dialer.release_lead(uuid,timestamptz)', 'outsider', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000b3"}', '{404}', 'B''s held lead', NULL),
  ('dialer.release_lead(uuid,timestamptz)', 'anon', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000a3"}', '{401}', NULL, NULL),
  ('dialer.import_leads(uuid,jsonb,text,integer)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1", "p_leads": [{"phone": "+14155550151"}]}', '{404}', 'B''s campaign', NULL),
  ('dialer.import_leads(uuid,jsonb,text,integer)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_leads": [{"phone": "+14155550151"}]}', '{403}', 'A''s campaign', NULL),
  ('dialer.import_leads(uuid,jsonb,text,integer)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_leads": [{"phone": "+14155550151"}]}', '{404}', 'A''s campaign', NULL),
  ('dialer.import_leads(uuid,jsonb,text,integer)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1", "p_leads": [{"phone": "+14155550151"}]}', '{404}', 'B''s campaign', NULL),
  ('dialer.import_leads(uuid,jsonb,text,integer)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_leads": [{"phone": "+14155550151"}]}', '{401}', NULL, NULL),
  -- statistics
  ('dialer.campaign_stats(uuid,timestamptz)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s campaign', NULL),
  ('dialer.campaign_stats(uuid,timestamptz)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{200}', 'A''s campaign', NULL),
  ('dialer.campaign_stats(uuid,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s campaign', NULL),
  ('dialer.campaign_stats(uuid,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s campaign', NULL),
  ('dialer.campaign_stats(uuid,timestamptz)', 'admin_b', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{200}', 'control', NULL),
  ('dialer.campaign_stats(uuid,timestamptz)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{401}', NULL, NULL),
  ('public.get_campaign_stats(uuid)', 'admin_a', '{"campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s campaign', NULL),
  ('public.get_campaign_stats(uuid)', 'viewer_a', '{"campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{200}', 'A''s campaign', NULL),
  ('public.get_campaign_stats(uuid)', 'outsider', '{"campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s campaign', NULL),
  ('public.get_campaign_stats(uuid)', 'outsider', '{"campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s campaign', NULL),
  ('public.get_campaign_stats(uuid)', 'admin_b', '{"campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{200}', 'control', NULL),
  ('public.get_campaign_stats(uuid)', 'anon', '{"campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{401}', NULL, NULL),
  ('dialer.campaign_timeseries(uuid,interval,timestamptz,timestamptz)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s campaign', NULL),
  ('dialer.campaign_timeseries(uuid,interval,timestamptz,timestamptz)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{200}', 'A''s campaign', NULL),
  ('dialer.campaign_timeseries(uuid,interval,timestamptz,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s campaign', NULL),
  ('dialer.campaign_timeseries(uuid,interval,timestamptz,timestamptz)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s campaign', NULL),
  ('dialer.campaign_timeseries(uuid,interval,timestamptz,timestamptz)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{401}', NULL, NULL),
  ('dialer.campaign_local_hours(uuid)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s campaign', NULL),
  ('dialer.campaign_local_hours(uuid)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{200}', 'A''s campaign', NULL),
  ('dialer.campaign_local_hours(uuid)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s campaign', NULL),
  ('dialer.campaign_local_hours(uuid)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s campaign', NULL),
  ('dialer.campaign_local_hours(uuid)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{401}', NULL, NULL),
  ('dialer.campaign_dialability(uuid,timestamptz,integer)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s campaign', NULL),
  ('dialer.campaign_dialability(uuid,timestamptz,integer)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{200}', 'A''s campaign', NULL),
  ('dialer.campaign_dialability(uuid,timestamptz,integer)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{404}', 'A''s campaign', NULL),
  ('dialer.campaign_dialability(uuid,timestamptz,integer)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1"}', '{404}', 'B''s campaign', NULL),
  ('dialer.campaign_dialability(uuid,timestamptz,integer)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1"}', '{401}', NULL, NULL),
  -- pure functions: no tenant data, one call as the outsider and one as anon each
  ('dialer.e164(text,text)', 'outsider', '{"phone": "+14155552671", "region": null}', '{200}', NULL, '"+14155552671"'),
  ('dialer.e164(text,text)', 'anon', '{"phone": "+14155552671", "region": null}', '{401}', NULL, NULL),
  ('dialer.try_e164(text,text)', 'outsider', '{"phone": "+14155552671", "region": null}', '{200}', NULL, '"+14155552671"'),
  ('dialer.try_e164(text,text)', 'anon', '{"phone": "+14155552671", "region": null}', '{401}', NULL, NULL),
  ('dialer.e164_default(text)', 'outsider', '{"phone": "+14155552671"}', '{200}', NULL, '"+14155552671"'),
  ('dialer.e164_default(text)', 'anon', '{"phone": "+14155552671"}', '{401}', NULL, NULL),
  ('dialer.try_e164_default(text)', 'outsider', '{"phone": "+14155552671"}', '{200}', NULL, '"+14155552671"'),
  ('dialer.try_e164_default(text)', 'anon', '{"phone": "+14155552671"}', '{401}', NULL, NULL),
  ('dialer.phone_info(text,text)', 'outsider', '{"phone": "+14155552671", "region": null}', '{200}', NULL, NULL),
  ('dialer.phone_info(text,text)', 'anon', '{"phone": "+14155552671", "region": null}', '{401}', NULL, NULL),
  ('dialer.phone_timezones(text,text)', 'outsider', '{"phone": "+14155552671", "region": null}', '{200}', NULL, NULL),
  ('dialer.phone_timezones(text,text)', 'anon', '{"phone": "+14155552671", "region": null}', '{401}', NULL, NULL),
  ('dialer.phone_e164_check(text)', 'outsider', '{"value": "+14155552671"}', '{200}', NULL, 'true'),
  ('dialer.phone_e164_check(text)', 'anon', '{"value": "+14155552671"}', '{401}', NULL, NULL),
  ('dialer.phone_library_version()', 'outsider', '{}', '{200}', NULL, NULL),
  ('dialer.phone_library_version()', 'anon', '{}', '{401}', NULL, NULL),
  ('dialer._canonical_phone(text,boolean,text)', 'outsider', '{"p_phone": "+14155552671"}', '{200}', NULL, '"+14155552671"'),
  ('dialer._canonical_phone(text,boolean,text)', 'anon', '{"p_phone": "+14155552671"}', '{401}', NULL, NULL),
  ('dialer.call_in_flight(dialer.call_status)', 'outsider', '{"p_status": "ringing"}', '{200}', NULL, 'true'),
  ('dialer.call_in_flight(dialer.call_status)', 'anon', '{"p_status": "ringing"}', '{401}', NULL, NULL),
  ('dialer._is_time_zone(text)', 'outsider', '{"p_zone": "America/New_York"}', '{200}', NULL, 'true'),
  ('dialer._is_time_zone(text)', 'anon', '{"p_zone": "America/New_York"}', '{401}', NULL, NULL),
  ('dialer.check_retry_policy(jsonb)', 'outsider', '{"p_retry_policy": {"max_attempts": 3}}', '{200}', NULL, 'true'),
  ('dialer.check_retry_policy(jsonb)', 'anon', '{"p_retry_policy": {"max_attempts": 3}}', '{401}', NULL, NULL),
  ('dialer.check_calling_windows(jsonb)', 'outsider', '{"p_calling_windows": {"days": {"mon": [["09:00", "17:00"]]}}}', '{200}', NULL, 'true'),
  ('dialer.check_calling_windows(jsonb)', 'anon', '{"p_calling_windows": {"days": {"mon": [["09:00", "17:00"]]}}}', '{401}', NULL, NULL),
  ('dialer.next_attempt_at(uuid,jsonb,text[],integer,text,integer,timestamptz,timestamptz[],timestamptz,timestamptz,jsonb,jsonb,text[],boolean,boolean,boolean,timestamptz,timestamptz,timestamptz)', 'outsider', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000b4", "p_retry_policy": {"max_attempts": 3}, "p_zones": ["America/New_York"]}', '{200}', 'B''s lead id', NULL),
  ('dialer.next_attempt_at(uuid,jsonb,text[],integer,text,integer,timestamptz,timestamptz[],timestamptz,timestamptz,jsonb,jsonb,text[],boolean,boolean,boolean,timestamptz,timestamptz,timestamptz)', 'anon', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000a2", "p_retry_policy": {"max_attempts": 3}, "p_zones": ["America/New_York"]}', '{401}', NULL, NULL),
  ('dialer.explain_next_attempt(uuid,jsonb,text[],integer,text,integer,timestamptz,timestamptz[],timestamptz,timestamptz,jsonb,jsonb,text[],boolean,boolean,boolean,timestamptz,timestamptz,timestamptz)', 'outsider', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000b4", "p_retry_policy": {"max_attempts": 3}, "p_zones": ["America/New_York"]}', '{200}', 'B''s lead id', NULL),
  ('dialer.explain_next_attempt(uuid,jsonb,text[],integer,text,integer,timestamptz,timestamptz[],timestamptz,timestamptz,jsonb,jsonb,text[],boolean,boolean,boolean,timestamptz,timestamptz,timestamptz)', 'anon', '{"p_lead_id": "1ead0000-0000-4000-8000-0000000000a2", "p_retry_policy": {"max_attempts": 3}, "p_zones": ["America/New_York"]}', '{401}', NULL, NULL),
  ('dialer.talk_time_buckets()', 'outsider', '{}', '{200}', NULL, NULL),
  ('dialer.talk_time_buckets()', 'anon', '{}', '{401}', NULL, NULL),
  ('dialer.talk_time_bucket(bigint)', 'outsider', '{"seconds": 20}', '{200}', NULL, '17'),
  ('dialer.talk_time_bucket(bigint)', 'anon', '{"seconds": 20}', '{401}', NULL, NULL),
  ('dialer.talk_time_bucket_lower(integer)', 'outsider', '{"bucket": 3}', '{200}', NULL, '3'),
  ('dialer.talk_time_bucket_lower(integer)', 'anon', '{"bucket": 3}', '{401}', NULL, NULL),
  ('dialer.talk_time_quantile(bigint[],double precision)', 'outsider', '{"histogram": [0, 2], "q": 0.5}', '{200}', NULL, NULL),
  ('dialer.talk_time_quantile(bigint[],double precision)', 'anon', '{"histogram": [0, 2], "q": 0.5}', '{401}', NULL, NULL),
  ('dialer._limit(text)', 'outsider', '{"p_name": "max_import_rows"}', '{200}', NULL, '100000'),
  ('dialer._limit(text)', 'anon', '{"p_name": "max_import_rows"}', '{401}', NULL, NULL),
  ('dialer.phone_area_timezones(text,text)', 'outsider', '{"phone": "+12702001234", "region": null}', '{200}', NULL, '["America/Chicago", "America/New_York"]'),
  ('dialer.phone_area_timezones(text,text)', 'anon', '{"phone": "+12702001234", "region": null}', '{401}', NULL, NULL),
  ('dialer._number_zones(text,text)', 'outsider', '{"p_phone": "+12702001234", "p_zone_precision": "exchange"}', '{200}', NULL, '["America/New_York"]'),
  ('dialer._number_zones(text,text)', 'anon', '{"p_phone": "+12702001234", "p_zone_precision": "exchange"}', '{401}', NULL, NULL),
  ('dialer._number_region(text)', 'outsider', '{"p_phone": "+33612345678"}', '{200}', NULL, '"FR"'),
  ('dialer._number_region(text)', 'anon', '{"p_phone": "+33612345678"}', '{401}', NULL, NULL),
  ('dialer.check_rule_packs(text[])', 'outsider', '{"p_rule_packs": ["us_federal", "fr"]}', '{200}', NULL, 'true'),
  ('dialer.check_rule_packs(text[])', 'anon', '{"p_rule_packs": ["us_federal"]}', '{401}', NULL, NULL),
  ('dialer.default_rule_packs(text)', 'outsider', '{"p_phone": "+13055550100"}', '{200}', NULL, '["us_federal", "us_fl"]'),
  ('dialer.default_rule_packs(text)', 'anon', '{"p_phone": "+13055550100"}', '{401}', NULL, NULL),
  -- bulk import from a table: last, because on the current code the imports into A's
  -- campaign copy other tenants' rows into A (see the report of the B-copies tests).
  -- Into A's own campaign the call may succeed or fail; it must not read B's rows.
  ('dialer.import_leads_from(uuid,regclass,text,integer)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1", "p_source": "dialer.contacts"}', '{404}', 'into B''s campaign', NULL),
  ('dialer.import_leads_from(uuid,regclass,text,integer)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_source": "dialer.contacts"}', '{200,400,403,404,409}', 'from dialer.contacts into A''s campaign', NULL),
  ('dialer.import_leads_from(uuid,regclass,text,integer)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_source": "dialer.leads"}', '{200,400,403,404,409}', 'from dialer.leads into A''s campaign', NULL),
  ('dialer.import_leads_from(uuid,regclass,text,integer)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_source": "dialer.calls"}', '{200,400,403,404,409}', 'from dialer.calls into A''s campaign', NULL),
  ('dialer.import_leads_from(uuid,regclass,text,integer)', 'admin_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_source": "dialer.suppressions"}', '{200,400,403,404,409}', 'from dialer.suppressions into A''s campaign', NULL),
  ('dialer.import_leads_from(uuid,regclass,text,integer)', 'viewer_a', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_source": "dialer.contacts"}', '{403}', 'A''s campaign', NULL),
  ('dialer.import_leads_from(uuid,regclass,text,integer)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_source": "dialer.contacts"}', '{404}', 'A''s campaign', NULL),
  ('dialer.import_leads_from(uuid,regclass,text,integer)', 'outsider', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1", "p_source": "dialer.contacts"}', '{404}', 'B''s campaign', NULL),
  ('dialer.import_leads_from(uuid,regclass,text,integer)', 'anon', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1", "p_source": "dialer.contacts"}', '{401}', NULL, NULL);

-- Each case with its function resolved: the normalised key, the name PostgREST is
-- called with, and whether the function is VOLATILE (may write).
CREATE TEMP VIEW case_fns AS
SELECT c.*, coalesce(p.oid::regprocedure::text, c.fn) AS fn_key,
       CASE WHEN n.nspname = 'public' THEN p.proname::text ELSE n.nspname || '.' || p.proname END AS rpc,
       coalesce(p.proname::text, c.fn) AS short_name,
       coalesce(p.provolatile = 'v', false) AS writes
  FROM cases c
  LEFT JOIN pg_proc p ON p.oid = to_regprocedure(c.fn)
  LEFT JOIN pg_namespace n ON n.oid = p.pronamespace;

-- ---- the plan: fixed tests plus the per-case tests ---------------------------------
SELECT plan(4 + 8 + 3
            + (SELECT count(*)::int FROM case_fns)                               -- status
            + (SELECT count(*)::int FROM case_fns WHERE persona <> 'admin_b')    -- no B marker
            + (SELECT 2 * count(*)::int FROM case_fns WHERE writes)              -- B unchanged, no copies
            + (SELECT count(*)::int FROM case_fns WHERE expect_body IS NOT NULL));

-- ---- the surface is closed -----------------------------------------------------------
SELECT set_eq('SELECT fn FROM exposed', 'SELECT fn_key FROM case_fns',
              'the functions authenticated can execute are exactly the functions with cases'
              || coalesce(' (missing a case: '
                          || (SELECT string_agg(fn, ', ' ORDER BY fn) FROM exposed
                               WHERE fn NOT IN (SELECT fn_key FROM case_fns)) || ')', ''));
SELECT is(ARRAY(SELECT p.oid::regprocedure::text
                  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname IN ('dialer', 'public') AND has_function_privilege('anon', p.oid, 'EXECUTE')
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                                    WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                      AND d.deptype = 'e' AND e.extname = 'pgtap')
                 ORDER BY 1),
          '{}'::text[], 'anon can execute no function in dialer or public');
SELECT is(ARRAY(SELECT fn FROM exposed EXCEPT SELECT fn_key FROM case_fns WHERE persona = 'anon' ORDER BY 1),
          '{}'::text[], 'every exposed function has an anon case');
SELECT is(ARRAY(SELECT fn FROM exposed EXCEPT SELECT fn_key FROM case_fns WHERE persona = 'outsider' ORDER BY 1),
          '{}'::text[], 'every exposed function has a case as a signed-in member of no tenant');

-- ---- the fixture is sharp: B's targets are live, the markers are B's alone -------------
SELECT ok((SELECT count(*) FROM b_markers) >= 40
          AND (SELECT bool_and(EXISTS (SELECT 1 FROM b_markers WHERE marker = w))
                 FROM unnest(ARRAY['Bobsecret', 'b-secret@b.example', '+14155550201', '+14155550209',
                                   'bbbbbbbb-0000-4000-8000-000000000000', 'ca110000-0000-4000-8000-0000000000b1',
                                   'bsecret-slug', 'bsecret_raw']) w),
          'b_markers holds B''s ids, phones, names, emails, slug and raw outcome');
SELECT is(pg_temp.b_copies(), '{}'::text[], 'before the requests no row outside B holds a B marker');
SELECT is((SELECT array_agg(status::text ORDER BY id) FROM dialer.campaigns
            WHERE tenant_id = 'bbbbbbbb-0000-4000-8000-000000000000'),
          '{running,draft,paused}', 'B''s campaigns are running, draft and paused (each move would apply)');
SELECT is((SELECT array_agg(l.status || '/' || coalesce(k.status::text, '-') ORDER BY l.id)
             FROM dialer.leads l LEFT JOIN dialer.calls k ON k.lead_id = l.id
            WHERE l.tenant_id = 'bbbbbbbb-0000-4000-8000-000000000000'),
          '{in_progress/claimed,completed/completed,held/-,pending/-,pending/-}',
          'B''s leads: one call in flight, one completed, one held, two pending');
SELECT is(dialer.why_not_dialable('1ead0000-0000-4000-8000-0000000000b4') ->> 'dialable_now', 'true',
          'B''s pending lead is dialable now (a claim on B would take it)');
SELECT is(ARRAY[dialer.map_outcome('bbbbbbbb-0000-4000-8000-000000000000', 'retell', 'user_hangup'),
                dialer.map_outcome('aaaaaaaa-0000-4000-8000-000000000000', 'retell', 'user_hangup')],
          '{converted,human_incomplete}', 'B''s own outcome mapping differs from the global one');
SELECT ok((SELECT 'leads' = ANY (changed) FROM pg_temp.detector_probe()),
          'the fingerprint notices a change to one of B''s leads');
SELECT is((SELECT copies FROM pg_temp.detector_probe()), '{"contacts: Bobsecret"}',
          'the copy check notices B''s contact name on a contact of A');

-- ---- the requests ------------------------------------------------------------------
-- Made in case order, each as its persona. For writers B's fingerprint and the copies of
-- B's values outside B are taken just before and just after the request. Then every
-- case's effects are rolled back (a sentinel error leaves the block's subtransaction), so
-- each request meets the fixture as built above: a case's outcome never depends on the
-- cases before it (a request that succeeds would otherwise persist until the ROLLBACK).
CREATE TEMP TABLE results (id int PRIMARY KEY, response jsonb, fp_before jsonb, fp_after jsonb,
                           copies_before text[], copies_after text[]);
CREATE TEMP TABLE baseline AS SELECT pg_temp.b_fingerprint() AS fp;
DO $$
DECLARE
  c record;
  v_fp_before jsonb;
  v_fp_after jsonb;
  v_copies_before text[];
  v_copies_after text[];
  v_response jsonb;
BEGIN
  FOR c IN SELECT f.*, p.role, p.sub FROM case_fns f JOIN personas p USING (persona) ORDER BY f.id LOOP
    v_fp_before := NULL; v_fp_after := NULL; v_copies_before := NULL; v_copies_after := NULL;
    BEGIN
      IF c.writes THEN
        v_fp_before := pg_temp.b_fingerprint();
        v_copies_before := pg_temp.b_copies();
      END IF;
      v_response := CASE WHEN c.rpc IS NULL
        THEN jsonb_build_object('status', 0, 'body', 'no such function: ' || c.fn)
        ELSE test_helpers.postgrest_request('POST', c.rpc, c.body, c.role,
                                            CASE WHEN c.sub IS NOT NULL THEN jsonb_build_object('sub', c.sub) END) END;
      IF c.writes THEN
        v_fp_after := pg_temp.b_fingerprint();
        v_copies_after := pg_temp.b_copies();
      END IF;
      RAISE EXCEPTION USING ERRCODE = 'TAPRB', MESSAGE = 'undo the case';
    EXCEPTION WHEN SQLSTATE 'TAPRB' THEN
      NULL;
    END;
    INSERT INTO results VALUES (c.id, v_response, v_fp_before, v_fp_after, v_copies_before, v_copies_after);
  END LOOP;
END
$$;

-- ---- per case: the status, no B marker, B unchanged, nothing copied out of B ------------
SELECT is(CASE WHEN (r.response ->> 'status')::int = ANY (c.expect) THEN 'status in ' || c.expect::text
               ELSE format('status %s: %s', r.response ->> 'status', left(r.response ->> 'body', 300)) END,
          'status in ' || c.expect::text,
          format('#%s %s as %s%s -> %s', c.id, c.short_name, c.persona, ' (' || c.note || ')', c.expect))
  FROM case_fns c JOIN results r USING (id) ORDER BY c.id;
SELECT is(pg_temp.leaked_markers(r.response, c.body), '{}'::text[],
          format('#%s %s as %s%s: the response holds no B value', c.id, c.short_name, c.persona, ' (' || c.note || ')'))
  FROM case_fns c JOIN results r USING (id) WHERE c.persona <> 'admin_b' ORDER BY c.id;
SELECT is(pg_temp.changed_tables(r.fp_before, r.fp_after), '{}'::text[],
          format('#%s %s as %s%s: B''s rows unchanged', c.id, c.short_name, c.persona, ' (' || c.note || ')'))
  FROM case_fns c JOIN results r USING (id) WHERE c.writes ORDER BY c.id;
SELECT is(ARRAY(SELECT unnest(r.copies_after) EXCEPT SELECT unnest(r.copies_before) ORDER BY 1), '{}'::text[],
          format('#%s %s as %s%s: no B value copied outside B (e.g. B''s phones as leads of A)', c.id, c.short_name, c.persona, ' (' || c.note || ')'))
  FROM case_fns c JOIN results r USING (id) WHERE c.writes ORDER BY c.id;
SELECT is(r.response -> 'body', c.expect_body,
          format('#%s %s as %s%s: body is %s', c.id, c.short_name, c.persona, ' (' || c.note || ')', c.expect_body))
  FROM case_fns c JOIN results r USING (id) WHERE c.expect_body IS NOT NULL ORDER BY c.id;

-- ---- after all requests: the run itself left B and everyone else untouched -------------
SELECT is(pg_temp.changed_tables((SELECT fp FROM baseline), pg_temp.b_fingerprint()), '{}'::text[],
          'after every request B''s rows are as the fixture left them');
SELECT is(pg_temp.b_copies(), '{}'::text[], 'after every request no row outside B holds a B value');
SELECT ok((SELECT bool_or(cardinality(pg_temp.leaked_markers(r.response, c.body)) > 0)
             FROM case_fns c JOIN results r USING (id) WHERE c.persona = 'admin_b'),
          'the marker check sees B''s values in B''s own answers (the admin_b controls)');

SELECT * FROM finish();
ROLLBACK;
