-- Every operation the five original designs perform, done through pg_dialer the way
-- their clients do it (PostgREST table requests and RPC calls, or SQL), with the HTTP
-- status each gets.
BEGIN;
SELECT plan(61);
SET LOCAL client_min_messages = warning;
\ir ../helpers/table_request.sql

-- Users: a1 admin of A, a2 viewer of A, a3 agent of A, b1 admin of B, u1/u2 app users.
INSERT INTO dialer.tenants (id, name, slug) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'Hotel A', 'hotel-a'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'Dialer B', 'dialer-b');
INSERT INTO dialer.tenant_members (tenant_id, user_id, role) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-0000000000a1', 'admin'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-0000000000a2', 'viewer'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-0000000000a3', 'agent'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'd0000000-0000-4000-8000-0000000000d1', 'viewer'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'd0000000-0000-4000-8000-0000000000d2', 'viewer'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-0000000000b1', 'admin');
CREATE FUNCTION pg_temp.as_user(p_sub text, p_sql text) RETURNS jsonb LANGUAGE sql AS
  $$ SELECT test_helpers.table_request('authenticated', p_sub, p_sql) $$;
CREATE FUNCTION pg_temp.rpc(p_function text, p_body jsonb, p_role text, p_sub text) RETURNS jsonb
  LANGUAGE sql AS $$
  SELECT test_helpers.postgrest_request('POST', p_function, p_body, p_role,
                                        CASE WHEN p_sub IS NULL THEN NULL ELSE jsonb_build_object('sub', p_sub) END) $$;

-- ---- 000 call automation: campaign CRUD, filters, order, pagination, joins ---------
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a1', $q$
  INSERT INTO dialer.campaigns (tenant_id, id, name, description, schedule_start, schedule_end,
                                script_template, retry_policy)
  VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000a1', 'Spring',
          'renewals', '2026-03-01 09:00+00', '2026-03-31 18:00+00', 'Hola {{first_name}}',
          '{"max_attempts": 3, "classes": {"no_answer": {"delays": ["60m"]}, "busy": {"delays": ["60m"]}}}')$q$) ->> 'status', '201',
  '000: an admin creates a campaign with schedule, script and retry settings (201)');
INSERT INTO dialer.campaigns (tenant_id, id, name, status, created_at) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000a2', 'Summer', 'running', now() - interval '1 day'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000a3', 'Autumn', 'draft', now() - interval '2 days'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000b1', 'Other', 'running', now());
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a1', $q$
  UPDATE dialer.campaigns SET status = 'running', started_at = now(), script_template = 'Hi'
   WHERE id = 'ca000000-0000-4000-8000-0000000000a1'$q$), '{"rows": 1, "status": 204}',
  '000: the admin updates it (204, one row)');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a2', $q$
  SELECT name FROM dialer.campaigns WHERE status = 'running' ORDER BY created_at DESC$q$) -> 'body',
  '[{"name": "Spring"}, {"name": "Summer"}]', '000: filter by status, newest first, own tenant only');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a2', $q$
  SELECT name, count(*) OVER () AS total FROM dialer.campaigns ORDER BY created_at DESC LIMIT 2 OFFSET 1$q$) -> 'body',
  '[{"name": "Summer", "total": 3}, {"name": "Autumn", "total": 3}]', '000: a page of campaigns with the exact count');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a1', $q$
  UPDATE dialer.campaigns SET schedule_end = '2026-01-01' WHERE id = 'ca000000-0000-4000-8000-0000000000a1'$q$) #>> '{body,code}',
  '23514', '000: a schedule ending before it starts is rejected (400)');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a1', $q$
  UPDATE dialer.campaigns SET status = 'flying' WHERE id = 'ca000000-0000-4000-8000-0000000000a1'$q$) ->> 'status',
  '400', '000: an unknown status is 400');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a2', $q$
  SELECT id FROM dialer.campaigns WHERE id = 'ca000000-0000-4000-8000-0000000000b1'$q$) -> 'body',
  '[]', '000: another tenant''s campaign is not found (empty, as a 404 in the app)');

-- ---- 002 AI voice dialer: add contact to campaign, duplicates, calls ---------------
SELECT is(pg_temp.rpc('dialer.add_lead', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1",
            "p_phone": "+1 (415) 555-2671", "p_first_name": "Ada", "p_last_name": "Byron",
            "p_custom_fields": {"plan": "gold"}}', 'authenticated', 'a0000000-0000-4000-8000-0000000000a1')
          #>> '{body,phone}', '+14155552671', '002: add_lead normalises the phone and returns the lead');
SELECT is((SELECT first_name || ' ' || last_name FROM dialer.contacts WHERE phone = '+14155552671'),
          'Ada Byron', '002: the contact was created with its name');
SELECT is(pg_temp.rpc('dialer.add_lead', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1",
            "p_phone": "+1-415-555-2671"}', 'authenticated', 'a0000000-0000-4000-8000-0000000000a1'),
          '{"body": {"code": "23505", "hint": "Update the existing lead instead of adding it again.", "message": "phone +14155552671 is already in campaign ca000000-0000-4000-8000-0000000000a1", "details": "\"+1-415-555-2671\" normalises to +14155552671, which the campaign already has as a lead."}, "status": 409}',
          '002: the same number written differently is a duplicate (409)');
SELECT is(pg_temp.rpc('dialer.add_lead', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a2",
            "p_phone": "+14155552671"}', 'authenticated', 'a0000000-0000-4000-8000-0000000000a1') #>> '{body,phone}',
          '+14155552671', '002: the same person can be in another campaign (one contact, two leads)');
SELECT is((SELECT count(*) FROM dialer.contacts WHERE phone = '+14155552671'), 1::bigint,
          '002: ... still one contact per tenant');
SELECT is(pg_temp.rpc('dialer.add_lead', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000b1",
            "p_phone": "+14155550000"}', 'authenticated', 'a0000000-0000-4000-8000-0000000000a1') ->> 'status',
          '404', '002: another tenant''s campaign is 404');
SELECT is(pg_temp.rpc('dialer.add_lead', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1",
            "p_phone": "+14155550001"}', 'authenticated', 'a0000000-0000-4000-8000-0000000000a2') ->> 'status',
          '403', '002: a viewer cannot add leads (403)');
SELECT is(pg_temp.rpc('dialer.add_lead', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1",
            "p_phone": "call me maybe"}', 'authenticated', 'a0000000-0000-4000-8000-0000000000a1') #>> '{body,code}',
          '22023', '002: a number that is not a phone number is 400 (22023)');
SELECT is(pg_temp.rpc('dialer.add_lead', '{"p_campaign_id": "ca000000-0000-4000-8000-0000000000a1",
            "p_phone": "+14155550001"}', 'anon', NULL) ->> 'status', '401', '002: anon is 401');
-- Calls with their provider details; the agent records them.
INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, attempt_number, status, created_at)
SELECT l.tenant_id, l.campaign_id, l.id, l.phone, g, 'completed', now() - g * interval '1 minute'
  FROM dialer.leads l, generate_series(1, 25) g
 WHERE l.campaign_id = 'ca000000-0000-4000-8000-0000000000a1';
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a3', $q$
  UPDATE dialer.calls SET started_at = '2026-03-02 10:00:00+00', answered_at = '2026-03-02 10:00:12+00',
         ended_at = '2026-03-02 10:03:12+00', duration_seconds = 180, cost = 0.4125,
         recording_url = 'https://rec.example/1.mp3', summary = 'Interested',
         transcript = '[{"role": "agent", "text": "Hola"}]', outcome_class = 'converted',
         provider = 'retell', provider_outcome = 'agent_hangup'
   WHERE attempt_number = 1 AND campaign_id = 'ca000000-0000-4000-8000-0000000000a1'$q$),
  '{"rows": 1, "status": 204}', '002: an agent records a call''s outcome, times, cost, recording and transcript');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a2', $q$
  SELECT attempt_number, count(*) OVER () AS total FROM dialer.calls
   WHERE campaign_id = 'ca000000-0000-4000-8000-0000000000a1' AND status = 'completed'
   ORDER BY created_at DESC LIMIT 2 OFFSET 20$q$) -> 'body',
  '[{"total": 25, "attempt_number": 21}, {"total": 25, "attempt_number": 22}]',
  '002: paginated call list with total count');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a2', $q$
  SELECT c.duration_seconds, c.transcript, l.phone, ct.first_name
    FROM dialer.calls c JOIN dialer.leads l ON l.tenant_id = c.tenant_id AND l.id = c.lead_id
    JOIN dialer.contacts ct ON ct.tenant_id = l.tenant_id AND ct.phone = l.phone
   WHERE c.attempt_number = 1$q$) -> 'body',
  '[{"phone": "+14155552671", "first_name": "Ada", "transcript": [{"role": "agent", "text": "Hola"}], "duration_seconds": 180}]',
  '002: call details joined to its lead and contact');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a1', $q$
  DELETE FROM dialer.leads WHERE campaign_id = 'ca000000-0000-4000-8000-0000000000a2'$q$),
  '{"rows": 1, "status": 204}', '002: remove a contact from a campaign');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a1', $q$
  INSERT INTO dialer.contacts (tenant_id, phone) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', '+1 415 555 2671')$q$) ->> 'status',
  '409', '002: a contact whose normalised phone exists in the tenant is a conflict (409)');

-- National numbers are read in the tenant's default region.
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a1', $q$
  INSERT INTO dialer.contacts (tenant_id, phone) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', '(650) 253-0000')$q$) #>> '{body,code}',
  '22023', '002: a national number in a tenant without default_region is 400 (22023)');
UPDATE dialer.tenants SET default_region = 'US' WHERE id = 'aaaaaaaa-0000-4000-8000-000000000000';
INSERT INTO dialer.contacts (tenant_id, phone) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', '(650) 253-0000');
SELECT is((SELECT count(*) FROM dialer.contacts WHERE phone = '+16502530000'), 1::bigint,
          '002: with default_region US it is stored as +16502530000');

-- ---- 001 hotel agent: tenants, identifiers, resolution, retention -----------------
INSERT INTO dialer.tenant_identifiers (tenant_id, kind, value, channel) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'phone', '+54 9 11 1234-5678', 'whatsapp'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'email', ' Reservas@Hotel-A.example ', NULL),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'phone', '+5491155556666', NULL),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'phone', '+5491155556666', 'voice'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'handle', 'page-42', 'messenger');
SELECT is((SELECT array_agg(value ORDER BY value) FROM dialer.tenant_identifiers),
          ARRAY['+5491112345678', '+5491155556666', '+5491155556666', 'page-42', 'reservas@hotel-a.example'],
          '001: identifiers are stored canonical (E.164, lower-case email)');
SELECT is(pg_temp.rpc('dialer.resolve_tenant', '{"identifier": "+54 9 11 1234 5678", "channel": "WhatsApp"}',
                      'service_role', NULL) ->> 'body', 'aaaaaaaa-0000-4000-8000-000000000000',
          '001: resolve_tenant by phone on a channel');
SELECT is(pg_temp.rpc('dialer.resolve_tenant', '{"identifier": "RESERVAS@hotel-a.example", "channel": "email"}',
                      'service_role', NULL) ->> 'body', 'aaaaaaaa-0000-4000-8000-000000000000',
          '001: resolve_tenant by email, any case, through an every-channel identifier');
SELECT is(dialer.resolve_tenant('+5491155556666', 'voice'), 'bbbbbbbb-0000-4000-8000-000000000000'::uuid,
          '001: an identifier registered for the exact channel wins over an every-channel one');
SELECT is(dialer.resolve_tenant('+5491155556666', 'sms'), 'aaaaaaaa-0000-4000-8000-000000000000'::uuid,
          '001: other channels fall back to the every-channel identifier');
SELECT is(dialer.resolve_tenant('page-42', 'messenger'), 'bbbbbbbb-0000-4000-8000-000000000000'::uuid,
          '001: resolve_tenant by channel handle');
SELECT is(pg_temp.rpc('dialer.resolve_tenant', '{"identifier": "+19999999999", "channel": "whatsapp"}',
                      'service_role', NULL), '{"body": null, "status": 200}', '001: an unknown number is NULL');
SELECT is(dialer.resolve_tenant('not a number', NULL), NULL, '001: garbage resolves to NULL, no error');
SELECT is(pg_temp.rpc('dialer.resolve_tenant', '{"identifier": "+5491112345678", "channel": "whatsapp"}',
                      'authenticated', 'b0000000-0000-4000-8000-0000000000b1') ->> 'status', '403',
          '001: tenant users cannot probe other tenants'' identifiers (403)');
SELECT is(pg_temp.as_user('b0000000-0000-4000-8000-0000000000b1', $q$
  INSERT INTO dialer.tenant_identifiers (tenant_id, kind, value, channel)
  VALUES ('bbbbbbbb-0000-4000-8000-000000000000', 'phone', '+5491112345678', 'whatsapp')$q$) ->> 'status',
  '201', '001: claiming a number another tenant routes is accepted as an unverified claim (a 409 would reveal who holds it)');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a1', $q$
  INSERT INTO dialer.tenant_identifiers (tenant_id, kind, value) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'email', 'no-at-sign')$q$) #>> '{body,code}',
  '22023', '001: a malformed email identifier is 400 (22023)');
SELECT is(pg_temp.rpc('dialer.create_tenant', '{"p_name": "Hotel C", "p_slug": "hotel-c"}',
                      'authenticated', 'c0000000-0000-4000-8000-0000000000c1') #>> '{body,slug}', 'hotel-c',
          '001: a signed-in user creates a tenant');
SELECT is(pg_temp.rpc('dialer.create_tenant', '{"p_name": "Hotel D", "p_slug": "hotel-a"}',
                      'authenticated', 'c0000000-0000-4000-8000-0000000000c1') ->> 'status', '409',
          '001: a taken slug is 409');
SELECT is(pg_temp.rpc('dialer.create_tenant', '{"p_name": "Hotel E"}', 'authenticated', NULL) ->> 'status', '403',
          '001: creating a tenant without a user is 403');
SELECT is(pg_temp.rpc('dialer.create_tenant', '{"p_name": "Hotel F"}', 'anon', NULL) ->> 'status', '401',
          '001: anon cannot create tenants (401)');
SELECT is((SELECT array_agg(m.role::text) FROM dialer.tenant_members m JOIN dialer.tenants t ON t.id = m.tenant_id
             WHERE t.slug = 'hotel-c'), ARRAY['owner'], '001: ... and its creator is its only member, as owner');

-- Retention: conversations older than the tenant's retention_days go, in batches.
UPDATE dialer.tenants SET retention_days = 30 WHERE id = 'aaaaaaaa-0000-4000-8000-000000000000';
INSERT INTO dialer.conversations (tenant_id, id, session_id, started_at, ended_at)
SELECT t, ('c0de0000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, t || '-' || g,
       '2026-01-01'::timestamptz + g * interval '1 day', '2026-01-01'::timestamptz + g * interval '1 day'
  FROM generate_series(1, 10) g,
       unnest(ARRAY['aaaaaaaa-0000-4000-8000-000000000000', 'bbbbbbbb-0000-4000-8000-000000000000']::uuid[]) t;
INSERT INTO dialer.messages (tenant_id, conversation_id, role, content)
SELECT c.tenant_id, c.id, r, 'text' FROM dialer.conversations c,
       unnest(ARRAY['user', 'assistant', 'tool']::dialer.message_role[]) r;
INSERT INTO dialer.escalations (tenant_id, conversation_id, issue_type, original_request)
VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'c0de0000-0000-4000-8000-000000000001', 'refund', 'please');
-- p_now 2026-02-05, cutoff 2026-01-06: days 1..4 are older: 4 conversations, 12 messages.
CREATE TEMP TABLE purged AS
SELECT dialer.purge_conversations('aaaaaaaa-0000-4000-8000-000000000000', '2026-02-05', 4) AS n;
SELECT ok((SELECT n BETWEEN 1 AND 8 FROM purged), '001: one call deletes at most 4 messages and 4 conversations');
DO $$
BEGIN
  WHILE (SELECT n FROM purged ORDER BY ctid DESC LIMIT 1) > 0 AND (SELECT count(*) FROM purged) < 16 LOOP
    INSERT INTO purged SELECT dialer.purge_conversations('aaaaaaaa-0000-4000-8000-000000000000', '2026-02-05', 4);
  END LOOP;
END
$$;
SELECT is((SELECT sum(n) FROM purged), 16::bigint,
          '001: repeated calls delete the 12 messages and 4 conversations, then report 0');
SELECT is((SELECT count(*) FROM dialer.conversations WHERE tenant_id = 'aaaaaaaa-0000-4000-8000-000000000000'), 6::bigint,
          '001: the 6 recent conversations of A remain');
SELECT is((SELECT count(*) FROM dialer.conversations WHERE tenant_id = 'bbbbbbbb-0000-4000-8000-000000000000'), 10::bigint,
          '001: a tenant without retention_days keeps everything');
SELECT is(dialer.purge_conversations('bbbbbbbb-0000-4000-8000-000000000000', '2026-12-31'), 0,
          '001: purging a tenant without retention does nothing');
SELECT is((SELECT conversation_id FROM dialer.escalations WHERE issue_type = 'refund'), NULL,
          '001: an escalation outlives its purged conversation');
SELECT throws_ok($$SELECT dialer.purge_conversations('aaaaaaaa-0000-4000-8000-000000000000', now(), 0)$$,
                 '22023', 'batch size 0 is not a positive number', '001: a bad batch size is 22023');

-- ---- 003 voice conversations: per-user rows, webhook end ---------------------------
SELECT is(pg_temp.as_user('d0000000-0000-4000-8000-0000000000d1', $q$
  INSERT INTO dialer.conversations (tenant_id, id, user_id, agent_id, channel, metadata)
  VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'c0de0000-0000-4000-8000-0000000000d1',
          'd0000000-0000-4000-8000-0000000000d1', 'agent_el_1', 'voice', '{"signed_url": "wss://x"}')$q$) ->> 'status',
  '201', '003: a user starts their own conversation');
INSERT INTO dialer.conversations (tenant_id, id, user_id, agent_id, created_at) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'c0de0000-0000-4000-8000-0000000000d2', 'd0000000-0000-4000-8000-0000000000d1', 'agent_el_1', now() - interval '1 hour'),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'c0de0000-0000-4000-8000-0000000000d3', 'd0000000-0000-4000-8000-0000000000d2', 'agent_el_1', now());
SELECT is(pg_temp.as_user('d0000000-0000-4000-8000-0000000000d1', $q$
  INSERT INTO dialer.conversations (tenant_id, user_id, agent_id)
  VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'd0000000-0000-4000-8000-0000000000d2', 'agent_el_1')$q$) ->> 'status',
  '403', '003: a user cannot create a conversation for someone else');
SELECT is(pg_temp.as_user('d0000000-0000-4000-8000-0000000000d1', $q$
  SELECT id FROM dialer.conversations ORDER BY created_at DESC LIMIT 10$q$) -> 'body',
  '[{"id": "c0de0000-0000-4000-8000-0000000000d1"}, {"id": "c0de0000-0000-4000-8000-0000000000d2"}]',
  '003: a user lists only their own conversations, newest first');
SELECT is(pg_temp.as_user('d0000000-0000-4000-8000-0000000000d2', $q$
  SELECT id FROM dialer.conversations WHERE id = 'c0de0000-0000-4000-8000-0000000000d2'$q$) -> 'body',
  '[]', '003: another user cannot read it');
SELECT is(test_helpers.table_request('service_role', NULL, $q$
  UPDATE dialer.conversations SET ended_at = started_at + interval '95 seconds', duration_seconds = 95,
         status = 'ended', summary = 'Booked a room', transcript = '{"turns": 12}'
   WHERE id = 'c0de0000-0000-4000-8000-0000000000d2'$q$), '{"rows": 1, "status": 204}',
  '003: the end-of-call webhook (service role) records transcript, summary, duration');
SELECT is(pg_temp.as_user('d0000000-0000-4000-8000-0000000000d2', $q$
  UPDATE dialer.conversations SET summary = 'mine now' WHERE id = 'c0de0000-0000-4000-8000-0000000000d2'$q$),
  '{"rows": 0, "status": 204}', '003: another user cannot update it');

-- ---- 004 support agent: sessions, messages by role, escalation workflow -----------
INSERT INTO dialer.conversations (tenant_id, session_id, channel)
VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'session-a1', 'chat');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a3', $q$
  SELECT id FROM dialer.conversations WHERE session_id = 'session-a1'$q$) #>> '{body,0,id}' IS NOT NULL, true,
  '004: an agent finds a conversation by session id');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a3', $q$
  INSERT INTO dialer.conversations (tenant_id, session_id, channel)
  VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'session-a1', 'chat')$q$) ->> 'status',
  '409', '004: a session id is unique per tenant (409)');
SELECT is(pg_temp.as_user('b0000000-0000-4000-8000-0000000000b1', $q$
  INSERT INTO dialer.conversations (tenant_id, session_id) VALUES ('bbbbbbbb-0000-4000-8000-000000000000', 'session-a1')$q$) ->> 'status',
  '201', '004: the same session id in another tenant is fine');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a3', $q$
  INSERT INTO dialer.messages (tenant_id, conversation_id, role, content)
  VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'c0de0000-0000-4000-8000-0000000000d1', 'robot', 'x')$q$) ->> 'status',
  '400', '004: a message role outside user/assistant/system/tool is 400');
INSERT INTO dialer.escalations (tenant_id, id, conversation_id, issue_type, original_request, contact_info)
VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'e5c00000-0000-4000-8000-000000000001',
        'c0de0000-0000-4000-8000-0000000000d1', 'booking', 'Change my dates', '{"email": "x@y.example"}');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a3', $q$
  UPDATE dialer.escalations SET status = 'resolved' WHERE id = 'e5c00000-0000-4000-8000-000000000001'$q$) - 'status',
  '{"body": {"code": "PT409", "hint": "The next status of escalation e5c00000-0000-4000-8000-000000000001 is \"notified\".", "details": "Escalations move pending -> notified -> in_progress -> resolved, one step at a time, and a resolved escalation is final.", "message": "illegal escalation status move from \"pending\" to \"resolved\""}}',
  '004: skipping steps (pending -> resolved) is rejected with PT409');
SELECT is(pg_temp.as_user('a0000000-0000-4000-8000-0000000000a3', $q$
  UPDATE dialer.escalations SET status = 'resolved' WHERE id = 'e5c00000-0000-4000-8000-000000000001'$q$) ->> 'status',
  '409', '004: ... which PostgREST answers with HTTP 409');
UPDATE dialer.escalations SET status = 'notified' WHERE id = 'e5c00000-0000-4000-8000-000000000001';
UPDATE dialer.escalations SET status = 'in_progress' WHERE id = 'e5c00000-0000-4000-8000-000000000001';
UPDATE dialer.escalations SET status = 'resolved', resolution = 'Moved' WHERE id = 'e5c00000-0000-4000-8000-000000000001';
SELECT is((SELECT notified_at IS NOT NULL AND in_progress_at IS NOT NULL AND resolved_at IS NOT NULL
             FROM dialer.escalations WHERE id = 'e5c00000-0000-4000-8000-000000000001'), true,
          '004: pending -> notified -> in_progress -> resolved, each step stamped');
SELECT throws_ok($$UPDATE dialer.escalations SET status = 'pending' WHERE id = 'e5c00000-0000-4000-8000-000000000001'$$,
                 'PT409', 'illegal escalation status move from "resolved" to "pending"',
                 '004: a resolved escalation is final');
SELECT is(pg_temp.as_user('d0000000-0000-4000-8000-0000000000d1', $q$
  SELECT issue_type, status FROM dialer.escalations$q$) -> 'body', '[{"status": "resolved", "issue_type": "booking"}]',
  '004: the member sees the escalation of their own conversation');

SELECT * FROM finish();
ROLLBACK;
