-- The RLS matrix: every model table x SELECT/INSERT/UPDATE/DELETE x {anon, admin of
-- tenant A, admin of tenant B, viewer of A, service_role}, each request made the way
-- PostgREST makes a table request (role and request.jwt.claims set locally, the
-- statement run in a subtransaction that is rolled back), with the HTTP status PostgREST
-- would answer and the rows it read or wrote. Every write targets tenant A; SELECT
-- reports rows of A and rows of other tenants separately, so any cross-tenant read or
-- write shows up as a wrong number.
BEGIN;
SELECT plan(274);

SET LOCAL client_min_messages = warning;

-- ---- fixture: tenants A and B with rows in every table ---------------------------
-- Users: a1 admin of A, a2 viewer of A, a3 agent of A, a4 owner of A, b1 admin of B,
-- e1 an end user (no membership) who owns a conversation in A.
INSERT INTO dialer.tenants (id, name) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'Tenant A'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'Tenant B');
INSERT INTO dialer.tenant_members (tenant_id, user_id, role) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-0000000000a1', 'admin'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-0000000000a2', 'viewer'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-0000000000a3', 'agent'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-0000000000a4', 'owner'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-0000000000b1', 'admin');
INSERT INTO dialer.tenant_identifiers (tenant_id, kind, value, channel) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'phone', '+14155550190', 'whatsapp'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'phone', '+14155550290', 'whatsapp');
INSERT INTO dialer.contacts (tenant_id, id, phone) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-0000000000a1', '+14155550100'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-0000000000a2', '+14155550102'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-0000000000b1', '+14155550200');
INSERT INTO dialer.suppressions (tenant_id, phone) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', '+14155550101'),
  ('bbbbbbbb-0000-4000-8000-000000000000', '+14155550201');
INSERT INTO dialer.global_suppressions (phone) VALUES ('+14155550999');
INSERT INTO dialer.outcome_classes (outcome_class, answered, human, machine, contact, conversion,
                                    abandoned, terminal, unknown_result, transport_error,
                                    lead_status, description)
VALUES ('test_fixture', false, false, false, false, false, false, false, false, false, 'retry',
        'Fixture row of the RLS matrix.');
INSERT INTO dialer.campaigns (tenant_id, id, name) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000a1', 'Campaign A'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000b1', 'Campaign B');
INSERT INTO dialer.leads (tenant_id, id, campaign_id, phone) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', '1ead0000-0000-4000-8000-0000000000a1',
   'ca000000-0000-4000-8000-0000000000a1', '+14155550100'),
  ('bbbbbbbb-0000-4000-8000-000000000000', '1ead0000-0000-4000-8000-0000000000b1',
   'ca000000-0000-4000-8000-0000000000b1', '+14155550200');
INSERT INTO dialer.calls (tenant_id, id, campaign_id, lead_id, phone, status) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'ca110000-0000-4000-8000-0000000000a1',
   'ca000000-0000-4000-8000-0000000000a1', '1ead0000-0000-4000-8000-0000000000a1', '+14155550100', 'completed'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'ca110000-0000-4000-8000-0000000000b1',
   'ca000000-0000-4000-8000-0000000000b1', '1ead0000-0000-4000-8000-0000000000b1', '+14155550200', 'completed');
-- Conversation a1 belongs to end user e1, a2 to the viewer a2, b1 to nobody.
INSERT INTO dialer.conversations (tenant_id, id, user_id, session_id) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'c0de0000-0000-4000-8000-0000000000a1',
   'e0000000-0000-4000-8000-0000000000e1', 'session-a1'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'c0de0000-0000-4000-8000-0000000000a2',
   'a0000000-0000-4000-8000-0000000000a2', 'session-a2'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'c0de0000-0000-4000-8000-0000000000b1', NULL, 'session-b1');
INSERT INTO dialer.messages (tenant_id, conversation_id, role, content)
SELECT tenant_id, id, 'user', 'hello' FROM dialer.conversations;
INSERT INTO dialer.escalations (tenant_id, conversation_id, issue_type, original_request)
SELECT tenant_id, id, 'billing', 'call me' FROM dialer.conversations;

-- ---- one request as a persona ----------------------------------------------------
\ir ../helpers/table_request.sql
-- The answer in one comparable string: the HTTP status for an error, '200 a=N other=M'
-- for a SELECT (rows of tenant A and of other tenants), '201 n=N' / '204 n=N' for a write.
CREATE FUNCTION pg_temp.request(p_persona text, p_sql text)
RETURNS text
LANGUAGE sql AS $$
  SELECT CASE WHEN r ? 'rows' THEN format('%s n=%s', r ->> 'status', r ->> 'rows')
              WHEN r ? 'body' AND (r ->> 'status') = '200'
                THEN format('200 a=%s other=%s', r #>> '{body,0,a}', r #>> '{body,0,other}')
              ELSE r ->> 'status' END
    FROM test_helpers.table_request(
          CASE p_persona WHEN 'anon' THEN 'anon' WHEN 'service' THEN 'service_role'
                         ELSE 'authenticated' END,
          CASE p_persona
            WHEN 'admin_a' THEN 'a0000000-0000-4000-8000-0000000000a1'
            WHEN 'viewer_a' THEN 'a0000000-0000-4000-8000-0000000000a2'
            WHEN 'agent_a' THEN 'a0000000-0000-4000-8000-0000000000a3'
            WHEN 'admin_b' THEN 'b0000000-0000-4000-8000-0000000000b1' END,
          p_sql, p_rollback => true) AS r
$$;

-- ---- the tables and each command's statement --------------------------------------
-- kind: tenant (tenant data), personal (conversation data: the user's own, or agents'),
-- global (global_suppressions: service role only), reference (outcome classes).
CREATE TEMP TABLE spec (tbl text PRIMARY KEY, kind text, ins text, upd_set text,
                        sel text, upd text, del text);
INSERT INTO spec (tbl, kind, ins, upd_set) VALUES
  ('tenants', 'tenant', $q$INSERT INTO dialer.tenants (name) VALUES ('new tenant')$q$, 'name = name'),
  ('tenant_members', 'tenant', $q$INSERT INTO dialer.tenant_members (tenant_id, user_id, role) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'f0000000-0000-4000-8000-000000000001', 'agent')$q$, 'role = role'),
  ('tenant_identifiers', 'tenant', $q$INSERT INTO dialer.tenant_identifiers (tenant_id, kind, value) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'email', 'desk@a.example')$q$, 'channel = channel'),
  ('contacts', 'tenant', $q$INSERT INTO dialer.contacts (tenant_id, phone) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', '+14155550111')$q$, 'first_name = first_name'),
  ('suppressions', 'tenant', $q$INSERT INTO dialer.suppressions (tenant_id, phone) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', '+14155550112')$q$, 'reason = reason'),
  ('campaigns', 'tenant', $q$INSERT INTO dialer.campaigns (tenant_id, name) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'new campaign')$q$, 'name = name'),
  ('leads', 'tenant', $q$INSERT INTO dialer.leads (tenant_id, campaign_id, phone) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000a1', '+14155550102')$q$, 'priority = priority'),
  ('calls', 'tenant', $q$INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, attempt_number) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000a1', '1ead0000-0000-4000-8000-0000000000a1', '+14155550100', 2)$q$, 'notes = notes'),
  ('conversations', 'personal', $q$INSERT INTO dialer.conversations (tenant_id, session_id) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'new-session')$q$, 'summary = summary'),
  ('messages', 'personal', $q$INSERT INTO dialer.messages (tenant_id, conversation_id, role, content) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'c0de0000-0000-4000-8000-0000000000a1', 'assistant', 'hi')$q$, 'content = content'),
  ('escalations', 'personal', $q$INSERT INTO dialer.escalations (tenant_id, conversation_id, issue_type, original_request) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'c0de0000-0000-4000-8000-0000000000a1', 'refund', 'money back')$q$, 'issue_type = issue_type'),
  ('global_suppressions', 'global', $q$INSERT INTO dialer.global_suppressions (phone) VALUES ('+14155550998')$q$, 'reason = reason'),
  ('outcome_classes', 'reference', $q$INSERT INTO dialer.outcome_classes (outcome_class, answered, human, machine, contact, conversion, abandoned, terminal, unknown_result, transport_error, lead_status, description) VALUES ('test_new', false, false, false, false, false, false, false, false, false, 'retry', 'new')$q$, 'description = description');
-- The row filter each command uses: tenant A's rows, or the one fixture row.
UPDATE spec SET
  sel = format('SELECT count(*) FILTER (WHERE %1$s) AS a, count(*) FILTER (WHERE NOT (%1$s)) AS other FROM dialer.%2$I', f, tbl),
  upd = format('UPDATE dialer.%I SET %s WHERE %s', tbl, upd_set, f),
  del = format('DELETE FROM dialer.%I WHERE %s', tbl, f)
  FROM (SELECT tbl AS t, CASE tbl
          WHEN 'tenants' THEN $f$id = 'aaaaaaaa-0000-4000-8000-000000000000'$f$
          WHEN 'global_suppressions' THEN $f$phone = '+14155550999'$f$
          WHEN 'outcome_classes' THEN $f$outcome_class = 'test_fixture'$f$
          ELSE $f$tenant_id = 'aaaaaaaa-0000-4000-8000-000000000000'$f$ END AS f
          FROM spec) filters
 WHERE filters.t = spec.tbl;
-- Reference and global tables: SELECT counts every row as "A" (they have no tenant).
UPDATE spec SET sel = format('SELECT count(*) AS a, 0 AS other FROM dialer.%I', tbl) WHERE kind IN ('global', 'reference');

-- Rows as the table owner sees them: a = the command's target rows, other = the rest.
CREATE FUNCTION pg_temp.owner_counts(p_sql text, OUT a bigint, OUT other bigint)
LANGUAGE plpgsql AS $$ BEGIN EXECUTE p_sql INTO a, other; END $$;

-- ---- expected answers -------------------------------------------------------------
-- The rules of 23_rls.sql, written out per persona; the fixture-specific exceptions are
-- spelled out below the rules.
CREATE TEMP TABLE expected AS
SELECT s.tbl, op, persona,
  CASE
    WHEN persona = 'anon' THEN '401'
    WHEN persona = 'service' THEN CASE op
      WHEN 'select' THEN format('200 a=%s other=%s', c.a, c.other)
      WHEN 'insert' THEN '201 n=1'
      ELSE format('204 n=%s', CASE WHEN s.kind IN ('global', 'reference') THEN 1 ELSE c.a END) END
    WHEN s.kind = 'global' THEN '403'
    WHEN s.kind = 'reference' THEN CASE op WHEN 'select' THEN format('200 a=%s other=0', c.a) ELSE '403' END
    WHEN persona = 'admin_a' THEN CASE op
      WHEN 'select' THEN format('200 a=%s other=0', c.a)
      WHEN 'insert' THEN CASE WHEN s.tbl = 'tenants' THEN '403' ELSE '201 n=1' END
      ELSE format('204 n=%s', c.a) END
    WHEN persona = 'admin_b' THEN CASE op
      WHEN 'select' THEN format('200 a=0 other=%s', c.other)
      WHEN 'insert' THEN '403'
      ELSE '204 n=0' END
    WHEN persona = 'viewer_a' THEN CASE op
      WHEN 'select' THEN format('200 a=%s other=0', CASE WHEN s.kind = 'personal' THEN 1 ELSE c.a END)
      WHEN 'delete' THEN '204 n=0'
      ELSE '403' END
  END AS answer
  FROM spec s
  CROSS JOIN LATERAL pg_temp.owner_counts(s.sel) c
  CROSS JOIN unnest(ARRAY['select', 'insert', 'update', 'delete']) AS op
  CROSS JOIN unnest(ARRAY['anon', 'admin_a', 'admin_b', 'viewer_a', 'service']) AS persona;
-- Only owners delete a tenant; admins manage every member but the owner (3 of A's 4).
UPDATE expected SET answer = '204 n=0' WHERE tbl = 'tenants' AND op = 'delete' AND persona = 'admin_a';
UPDATE expected SET answer = '204 n=3' WHERE tbl = 'tenant_members' AND op IN ('update', 'delete') AND persona = 'admin_a';
-- A viewer may leave the tenant (delete their own membership) ...
UPDATE expected SET answer = '204 n=1' WHERE tbl = 'tenant_members' AND op = 'delete' AND persona = 'viewer_a';
-- ... and edit their own conversation, but not its messages or escalations.
UPDATE expected SET answer = '204 n=1' WHERE tbl = 'conversations' AND op = 'update' AND persona = 'viewer_a';

-- ---- the matrix: 13 tables x 4 commands x 5 personas = 260 requests ----------------
SELECT is(pg_temp.request(e.persona, CASE e.op WHEN 'select' THEN s.sel WHEN 'insert' THEN s.ins
                                               WHEN 'update' THEN s.upd ELSE s.del END),
          e.answer,
          format('%s %s as %s -> %s', upper(e.op), e.tbl, e.persona, e.answer))
  FROM expected e JOIN spec s USING (tbl)
 ORDER BY s.tbl, array_position(ARRAY['select', 'insert', 'update', 'delete'], e.op),
          array_position(ARRAY['anon', 'admin_a', 'admin_b', 'viewer_a', 'service'], e.persona);

-- ---- agents: they work calls and leads, not campaigns ------------------------------
SELECT is(pg_temp.request('agent_a', (SELECT ins FROM spec WHERE tbl = 'calls')), '201 n=1',
          'an agent places a call');
SELECT is(pg_temp.request('agent_a', (SELECT upd FROM spec WHERE tbl = 'leads')), '204 n=1',
          'an agent updates a lead''s dialling state');
SELECT is(pg_temp.request('agent_a', (SELECT ins FROM spec WHERE tbl = 'suppressions')), '201 n=1',
          'an agent records a do-not-call request');
SELECT is(pg_temp.request('agent_a', (SELECT ins FROM spec WHERE tbl = 'campaigns')), '403',
          'an agent cannot create a campaign (403)');
SELECT is(pg_temp.request('agent_a', (SELECT ins FROM spec WHERE tbl = 'leads')), '403',
          'an agent cannot add a lead (403)');
SELECT is(pg_temp.request('agent_a', (SELECT del FROM spec WHERE tbl = 'calls')), '204 n=0',
          'an agent cannot delete calls (nothing deleted)');

-- ---- members and owners: role changes -----------------------------------------------
SELECT is(pg_temp.request('admin_a', $q$INSERT INTO dialer.tenant_members (tenant_id, user_id, role) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'f0000000-0000-4000-8000-000000000002', 'owner')$q$),
          '403', 'an admin cannot make an owner');
SELECT is(pg_temp.request('admin_a', $q$UPDATE dialer.tenant_members SET role = 'owner' WHERE user_id = 'a0000000-0000-4000-8000-0000000000a2'$q$),
          '403', 'an admin cannot promote a member to owner');
SELECT is(pg_temp.request('admin_a', $q$UPDATE dialer.tenant_members SET role = 'viewer' WHERE user_id = 'a0000000-0000-4000-8000-0000000000a4'$q$),
          '204 n=0', 'an admin cannot demote the owner');

-- ---- moving a row to another tenant is impossible through the API -------------------
SELECT is(pg_temp.request('admin_a', $q$UPDATE dialer.campaigns SET tenant_id = 'bbbbbbbb-0000-4000-8000-000000000000'$q$),
          '403', 'tenant_id is not updatable (no column privilege)');

-- ---- the end user e1 sees exactly their own conversation, message and escalation -----
SET LOCAL role authenticated;
SELECT set_config('request.jwt.claims', '{"role":"authenticated","sub":"e0000000-0000-4000-8000-0000000000e1"}', true);
SELECT results_eq('SELECT session_id FROM dialer.conversations', ARRAY['session-a1'],
                  'an end user sees only their own conversation');
SELECT is((SELECT count(*) FROM dialer.messages), 1::bigint, 'and only its messages');
SELECT is((SELECT count(*) FROM dialer.escalations), 1::bigint, 'and only its escalations');
SELECT is((SELECT count(*) FROM dialer.campaigns), 0::bigint, 'and no tenant data');
RESET role;

SELECT * FROM finish();
ROLLBACK;
