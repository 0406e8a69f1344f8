-- The hostile signed-in user's findings against 0.3.0 (issue "Tenant isolation that
-- holds against a hostile signed-in user"), one group per finding, each made the way
-- PostgREST makes the request. Every test here failed on 0.3.0:
--   1 import_leads_from read any RLS-protected table as its owner (every tenant's data)
--   2 campaign_timeseries' bucket bound was bypassed by an overflowing range
--   3 tenant identifiers: a 409 revealed another tenant's identifier, a claim rerouted traffic
--   4 suspension not enforced, NaN costs, any p_now from a worker, unbounded imports and
--     slot counts, talk_time_buckets granted but failing
\set QUIET on
BEGIN;
\i test/helpers/queue_fixture.sql
\ir ../helpers/table_request.sql
-- US numbers are under us_federal's calling hours: a zone where it is midday now.
\ir ../helpers/contacts_midday.sql
SELECT plan(60);
SET LOCAL client_min_messages = warning;

-- Tenant B's secrets: a contact, a suppression, a campaign with a lead and a call.
INSERT INTO dialer.contacts (tenant_id, phone, first_name, email)
VALUES ('bbbbbbbb-0000-0000-0000-0000000000b1', '+442079460101', 'Bobsecret', 'bob@b.example');
INSERT INTO dialer.suppressions (tenant_id, phone) VALUES ('bbbbbbbb-0000-0000-0000-0000000000b1', '+442079460102');
INSERT INTO dialer.campaigns (tenant_id, id, name) VALUES
  ('bbbbbbbb-0000-0000-0000-0000000000b1', 'cccccccc-0000-0000-0000-0000000000b1', 'B1');
INSERT INTO dialer.leads (tenant_id, campaign_id, phone) VALUES
  ('bbbbbbbb-0000-0000-0000-0000000000b1', 'cccccccc-0000-0000-0000-0000000000b1', '+442079460101');
INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status)
SELECT tenant_id, campaign_id, id, phone, 'completed' FROM dialer.leads
 WHERE tenant_id = 'bbbbbbbb-0000-0000-0000-0000000000b1';
-- An application table in public with RLS (Supabase grants SELECT on it to authenticated).
CREATE TABLE public.crm_people (tenant_id uuid NOT NULL, phone text, first_name text);
ALTER TABLE public.crm_people ENABLE ROW LEVEL SECURITY;
CREATE POLICY crm_people_member ON public.crm_people FOR SELECT TO authenticated
  USING (tenant_id = ANY ((SELECT dialer.user_tenant_ids())::uuid[]));
GRANT SELECT ON public.crm_people TO authenticated;
INSERT INTO public.crm_people VALUES
  ('aaaaaaaa-0000-0000-0000-0000000000a1', '+12125550199', 'Alice'),
  ('bbbbbbbb-0000-0000-0000-0000000000b1', '+442079460103', 'Bobsecret'),
  ('bbbbbbbb-0000-0000-0000-0000000000b1', '12', 'Bobsecret');

-- One RPC as a signed-in user (sub) or another role; returns {status, body}.
CREATE FUNCTION pg_temp.rpc(p_function text, p_body jsonb, p_sub text, p_role text DEFAULT 'authenticated')
RETURNS jsonb LANGUAGE sql AS $$
  SELECT test_helpers.postgrest_request('POST', p_function, p_body, p_role,
                                        CASE WHEN p_sub IS NOT NULL THEN jsonb_build_object('sub', p_sub) END)
$$;
-- One table request as a signed-in user, kept (not rolled back) unless it fails.
CREATE FUNCTION pg_temp.as_user(p_sub text, p_sql text) RETURNS jsonb LANGUAGE sql AS $$
  SELECT test_helpers.table_request('authenticated', p_sub, p_sql)
$$;
-- Whether a response mentions any of tenant B's phone numbers or names.
CREATE FUNCTION pg_temp.mentions_b(p_response jsonb) RETURNS boolean LANGUAGE sql AS $$
  SELECT p_response::text ~ '(4420794601|Bobsecret|bob@b\.example)'
$$;
-- A's admin (...a0), agent (...a9), viewer (...a5); B's admin (...b0).
\set admin_a '''00000000-0000-0000-0000-0000000000a0'''
\set agent_a '''00000000-0000-0000-0000-0000000000a9'''
\set admin_b '''00000000-0000-0000-0000-0000000000b0'''

-- ---- 1: import_leads_from reads with the caller's rights -----------------------------
CREATE TEMP TABLE leak AS
SELECT src, pg_temp.rpc('dialer.import_leads_from',
                        jsonb_build_object('p_campaign_id', 'cccccccc-0000-0000-0000-0000000000c1', 'p_source', src),
                        :admin_a) AS r
  FROM unnest(ARRAY['dialer.contacts', 'dialer.suppressions', 'dialer.leads', 'dialer.calls',
                    'public.crm_people']) AS src;
SELECT is(ARRAY(SELECT src FROM leak WHERE pg_temp.mentions_b(r) ORDER BY src), '{}'::text[],
          '1: no import_leads_from report (dialer.contacts, suppressions, leads, calls, an RLS table in public) names B''s numbers or people');
SELECT is((SELECT count(*) FROM dialer.leads WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1'
                                             AND phone LIKE '+44%'), 0::bigint,
          '1: and campaign A1 received none of B''s numbers as leads');
SELECT is((SELECT r #>> '{body,inserted}' FROM leak WHERE src = 'public.crm_people'), '1',
          '1: the RLS table in public gives the caller exactly the one row they can SELECT');
SELECT is((SELECT count(*) FROM dialer.contacts WHERE tenant_id = 'aaaaaaaa-0000-0000-0000-0000000000a1'
                                               AND first_name = 'Bobsecret'), 0::bigint,
          '1: no contact of A carries B''s names');
-- A table the caller may not read at all is 403, not read as the owner.
CREATE TABLE public.private_people (phone text);
INSERT INTO public.private_people VALUES ('+442079460104');
SELECT is(pg_temp.rpc('dialer.import_leads_from',
                      '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_source": "public.private_people"}',
                      :admin_a) -> 'status', '403', '1: a table without SELECT for the caller is 403');
-- Column privileges hold too: SELECT on phone alone does not expose first_name.
CREATE TABLE public.half_visible (phone text, first_name text);
GRANT SELECT (phone) ON public.half_visible TO authenticated;
INSERT INTO public.half_visible VALUES ('+12125550198', 'Hidden');
SELECT is(pg_temp.rpc('dialer.import_leads_from',
                      '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_source": "public.half_visible"}',
                      :admin_a) -> 'status', '403', '1: a column the caller may not read is 403');
-- The intended use still works: the caller's own staging table, lines kept in the report.
SET LOCAL ROLE authenticated;
SELECT FROM set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-0000000000a0", "role": "authenticated"}', true);
CREATE TEMP TABLE my_stage (line bigint, phone text, first_name text);
INSERT INTO my_stage VALUES (10, '(212) 555-0197', 'Own'), (20, 'nope', 'Bad');
SELECT is(dialer.import_leads_from('cccccccc-0000-0000-0000-0000000000c1', 'my_stage') #> '{rejects,0,row}', '20',
          '1: a staging table of the caller''s own imports, and a reject''s row is its line');
RESET ROLE;
SELECT set_config('request.jwt.claims', '', true);
SELECT is((SELECT first_name FROM dialer.contacts WHERE phone = '+12125550197'), 'Own',
          '1: ... with its optional columns');

-- ---- 2: campaign_timeseries ranges are bounded without overflow ----------------------
SELECT is(pg_temp.rpc('dialer.campaign_timeseries',
                      '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_bucket": "1 hour", "p_from": "0001-01-01T00:00:00Z", "p_to": "294276-12-31T23:59:59Z"}',
                      :admin_a) #>> '{body,code}', '22023',
          '2: the overflowing range year 1 .. 294276 is refused (400) before any work');
SELECT matches(pg_temp.rpc('dialer.campaign_timeseries',
                      '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_bucket": "1 hour", "p_from": "2020-01-01T00:00:00Z", "p_to": "2026-01-01T00:00:00Z"}',
                      :admin_a) #>> '{body,message}', 'over the limit dialer\.max_timeseries_buckets = 10000',
          '2: six years of hours is over the limit, and the message names it');
SELECT is(pg_temp.rpc('dialer.campaign_timeseries',
                      '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_from": "-infinity"}',
                      :admin_a) #>> '{body,code}', '22023', '2: an infinite p_from is 400');
SELECT is(jsonb_array_length(pg_temp.rpc('dialer.campaign_timeseries',
                      '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_bucket": "1 day", "p_from": "2026-01-01T00:00:00Z", "p_to": "2026-01-31T00:00:00Z"}',
                      :admin_a) -> 'body'), 30, '2: a range within the limit answers one row per bucket');
SET LOCAL dialer.max_timeseries_buckets = 20;
SELECT is(pg_temp.rpc('dialer.campaign_timeseries',
                      '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_bucket": "1 day", "p_from": "2026-01-01T00:00:00Z", "p_to": "2026-01-31T00:00:00Z"}',
                      :admin_a) -> 'status', '400', '2: the limit is the superuser-set GUC dialer.max_timeseries_buckets');
RESET dialer.max_timeseries_buckets;

-- ---- 3: tenant identifiers: claims are unverified and never route ---------------------
INSERT INTO dialer.tenant_identifiers (tenant_id, kind, value, channel)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'phone', '+12125550150', 'voice');
SELECT is(pg_temp.as_user(:admin_b, $q$INSERT INTO dialer.tenant_identifiers (tenant_id, kind, value, channel)
            VALUES ('bbbbbbbb-0000-0000-0000-0000000000b1', 'phone', '+1 212 555 0150', 'voice')$q$) -> 'status',
          '201', '3: claiming A''s routed number is not a 409 (no existence oracle)');
SELECT is(dialer.resolve_tenant('+12125550150', 'voice'), 'aaaaaaaa-0000-0000-0000-0000000000a1'::uuid,
          '3: ... and A''s number still routes to A');
SELECT is(pg_temp.as_user(:admin_b, $q$INSERT INTO dialer.tenant_identifiers (tenant_id, kind, value)
            VALUES ('bbbbbbbb-0000-0000-0000-0000000000b1', 'email', 'sales@unclaimed.example')$q$) -> 'status',
          '201', '3: a member may claim an address nobody holds');
SELECT is(dialer.resolve_tenant('sales@unclaimed.example'), NULL, '3: ... but an unverified claim does not route');
SELECT is((SELECT verified_at FROM dialer.tenant_identifiers WHERE value = 'sales@unclaimed.example'), NULL,
          '3: a member''s claim is stored unverified');
SELECT is(pg_temp.as_user(:admin_b, $q$UPDATE dialer.tenant_identifiers SET verified_at = now()
            WHERE value = 'sales@unclaimed.example'$q$) -> 'status', '403', '3: a member cannot verify their own claim');
SELECT is(test_helpers.table_request('service_role', NULL, $q$UPDATE dialer.tenant_identifiers SET verified_at = now()
            WHERE value = 'sales@unclaimed.example'$q$) -> 'status', '204', '3: the service role verifies it');
SELECT is(dialer.resolve_tenant('sales@unclaimed.example'), 'bbbbbbbb-0000-0000-0000-0000000000b1'::uuid,
          '3: ... and then it routes');
SELECT is(pg_temp.as_user(:admin_b, $q$UPDATE dialer.tenant_identifiers SET value = 'sales2@unclaimed.example'
            WHERE value = 'sales@unclaimed.example'$q$) -> 'status', '204', '3: a member may change their identifier');
SELECT is((SELECT verified_at FROM dialer.tenant_identifiers WHERE value = 'sales2@unclaimed.example'), NULL,
          '3: ... which withdraws its verification');
SELECT is(test_helpers.table_request('service_role', NULL, $q$UPDATE dialer.tenant_identifiers SET verified_at = now()
            WHERE tenant_id = 'bbbbbbbb-0000-0000-0000-0000000000b1' AND value = '+12125550150'$q$) -> 'status', '409',
          '3: verifying a claim on a number another tenant routes is a conflict the service role sees');

-- ---- 4a: suspension ---------------------------------------------------------------
UPDATE dialer.tenants SET status = 'suspended' WHERE id = 'aaaaaaaa-0000-0000-0000-0000000000a1';
SELECT is(pg_temp.as_user(:admin_a, $q$UPDATE dialer.tenants SET status = 'active'
            WHERE id = 'aaaaaaaa-0000-0000-0000-0000000000a1'$q$) -> 'status', '403',
          '4: a suspended tenant''s admin cannot lift the suspension');
SELECT is(pg_temp.rpc('dialer.start_campaign', '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1"}', :admin_a) #>> '{body,code}',
          'PT403', '4: a suspended tenant''s campaign cannot be started (403)');
UPDATE dialer.campaigns SET status = 'running' WHERE id = 'cccccccc-0000-0000-0000-0000000000c1';
SELECT is(pg_temp.rpc('dialer.claim_calls', '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_worker_id": "w"}', :agent_a) #>> '{body,code}',
          'PT403', '4: nor claimed from');
SELECT is(pg_temp.rpc('dialer.claim_tenant_calls', '{"p_tenant_id": "aaaaaaaa-0000-0000-0000-0000000000a1", "p_worker_id": "w"}', :agent_a) #>> '{body,code}',
          'PT403', '4: nor claimed from tenant-wide');
UPDATE dialer.campaigns SET status = 'paused' WHERE id = 'cccccccc-0000-0000-0000-0000000000c1';
SELECT is(pg_temp.rpc('dialer.resume_campaign', '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1"}', :admin_a) #>> '{body,code}',
          'PT403', '4: nor resumed');
SELECT is(test_helpers.table_request('service_role', NULL, $q$UPDATE dialer.tenants SET status = 'active'
            WHERE id = 'aaaaaaaa-0000-0000-0000-0000000000a1'$q$) -> 'status', '204', '4: the service role lifts it');
SELECT is(pg_temp.rpc('dialer.resume_campaign', '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1"}', :admin_a) #>> '{body,status}',
          'running', '4: ... and the campaign can run again');
-- A call claimed before a suspension is not dialled after it.
CREATE TEMP TABLE claimed AS SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w', 1, '5 minutes');
UPDATE dialer.tenants SET status = 'suspended' WHERE id = 'aaaaaaaa-0000-0000-0000-0000000000a1';
SELECT is(pg_temp.rpc('dialer.mark_call_dialing', jsonb_build_object('p_call_id', (SELECT call_id FROM claimed)), :agent_a) #>> '{body,code}',
          'PT403', '4: a call claimed before the suspension is not dialled after it');
SELECT is(pg_temp.rpc('dialer.release_call', jsonb_build_object('p_call_id', (SELECT call_id FROM claimed)), :agent_a) #>> '{body,call_status}',
          'cancelled', '4: ... it can be given back');
UPDATE dialer.tenants SET status = 'active' WHERE id = 'aaaaaaaa-0000-0000-0000-0000000000a1';

-- ---- 4b: NaN and infinite costs -----------------------------------------------------
CREATE TEMP TABLE claimed2 AS SELECT * FROM dialer.claim_calls('cccccccc-0000-0000-0000-0000000000c1', 'w', 1, '5 minutes');
SELECT is(pg_temp.rpc('dialer.complete_call', jsonb_build_object('p_call_id', (SELECT call_id FROM claimed2),
                      'p_outcome', 'no_answer', 'p_cost', 'NaN'), :agent_a) #>> '{body,code}', '22023', '4: a NaN cost is 400');
SELECT is(pg_temp.rpc('dialer.complete_call', jsonb_build_object('p_call_id', (SELECT call_id FROM claimed2),
                      'p_outcome', 'no_answer', 'p_cost', 'Infinity'), :agent_a) #>> '{body,code}', '22023', '4: an infinite cost is 400');
SELECT throws_ok($$ UPDATE dialer.calls SET cost = 'NaN' WHERE id = (SELECT call_id FROM claimed2) $$, '23514', NULL,
                 '4: the table refuses a NaN cost written directly');
SELECT is(pg_temp.rpc('dialer.complete_call', jsonb_build_object('p_call_id', (SELECT call_id FROM claimed2),
                      'p_outcome', 'no_answer', 'p_cost', 0.12), :agent_a) #>> '{body,call_status}', 'completed', '4: a finite cost is recorded');
SELECT is(jsonb_typeof(dialer.campaign_stats('cccccccc-0000-0000-0000-0000000000c1') #> '{cost,total}'), 'number',
          '4: campaign_stats reports the cost as a number');

-- ---- 4c: instants from signed-in callers ----------------------------------------------
SELECT is(pg_temp.rpc('dialer.claim_calls', '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_worker_id": "w", "p_now": "0001-01-01T00:00:00Z"}', :agent_a) #>> '{body,code}',
          '22023', '4: a worker cannot claim at year 1');
SELECT is(pg_temp.rpc('dialer.claim_calls', '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_worker_id": "w", "p_now": "-infinity"}', :agent_a) #>> '{body,code}',
          '22023', '4: nor at -infinity');
SELECT matches(pg_temp.rpc('dialer.claim_calls', jsonb_build_object('p_campaign_id', 'cccccccc-0000-0000-0000-0000000000c1', 'p_worker_id', 'w',
                           'p_now', now() + interval '1 hour'), :agent_a) #>> '{body,message}',
               'p_now .* is more than 300 seconds from the server clock', '4: nor an hour ahead, and the message names the skew');
SELECT is(pg_temp.rpc('dialer.claim_calls', jsonb_build_object('p_campaign_id', 'cccccccc-0000-0000-0000-0000000000c1', 'p_worker_id', 'w',
                      'p_now', now() + interval '1 minute', 'p_max_calls', 1), :agent_a) -> 'status', '200',
          '4: a client clock a minute ahead is within dialer.max_clock_skew');
SELECT is(pg_temp.rpc('dialer.release_lead', jsonb_build_object('p_lead_id', (SELECT id FROM dialer.leads WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1' ORDER BY phone LIMIT 1), 'p_now', '2000-01-01T00:00:00Z'), :admin_a) #>> '{body,code}',
          '22023', '4: release_lead refuses a backdated p_now');
SELECT is(pg_temp.rpc('dialer.stop_campaign', '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_now": "2000-01-01T00:00:00Z"}', :admin_a) #>> '{body,code}',
          '22023', '4: stop_campaign refuses a backdated p_now');
SELECT is(pg_temp.rpc('dialer.complete_call', jsonb_build_object('p_call_id', (SELECT call_id FROM claimed2),
                      'p_outcome', 'no_answer', 'p_ended_at', '2000-01-01T00:00:00Z'), :agent_a) #>> '{body,code}', '22023',
          '4: complete_call refuses a backdated p_ended_at');
SELECT is(ARRAY(SELECT f || ' ' || (pg_temp.rpc('dialer.' || f, b || '{"p_now": "2000-01-01T00:00:00Z"}', :admin_a) ->> 'status')
                  FROM (VALUES ('why_not_dialable', jsonb_build_object('p_lead_id', (SELECT id FROM dialer.leads WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1' LIMIT 1))),
                               ('campaign_stats', '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1"}'),
                               ('campaign_dialability', '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1"}')) AS x(f, b)),
          ARRAY['why_not_dialable 400', 'campaign_stats 400', 'campaign_dialability 400'],
          '4: the read functions take no p_now far from the server clock either');
SELECT is(pg_temp.rpc('dialer.claim_calls', '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_worker_id": "w", "p_now": "2030-01-01T15:00:00Z"}', NULL, 'service_role') -> 'status',
          '200', '4: the service role keeps full control of p_now (tests, back-fills)');

-- ---- 4d: sizes ---------------------------------------------------------------------
SELECT matches(pg_temp.rpc('dialer.import_leads', jsonb_build_object('p_campaign_id', 'cccccccc-0000-0000-0000-0000000000c1',
                           'p_leads', (SELECT jsonb_agg(jsonb_build_object('phone', '12')) FROM generate_series(1, 100001))), :admin_a) #>> '{body,message}',
               '^the number of leads to import \(100001\) is over the limit dialer\.max_import_rows = 100000',
               '4: import_leads refuses more than dialer.max_import_rows rows, naming the limit');
SET LOCAL dialer.max_import_rows = 2;
SELECT throws_ok($$ SELECT dialer.import_leads_from('cccccccc-0000-0000-0000-0000000000c1', 'public.crm_people') $$,
          '22023', NULL, '4: import_leads_from too (3 rows over a limit of 2)');
RESET dialer.max_import_rows;
SELECT is(pg_temp.as_user(:admin_a, $q$UPDATE dialer.campaigns SET max_concurrent_calls = 200000
            WHERE id = 'cccccccc-0000-0000-0000-0000000000c1'$q$) #>> '{body,code}', '22023',
          '4: max_concurrent_calls = 200000 is refused before 200,000 slot rows are written');
SELECT is(pg_temp.as_user(:admin_a, $q$INSERT INTO dialer.campaigns (tenant_id, name, max_concurrent_calls)
            VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'huge', 5000)$q$) #>> '{body,code}', '22023',
          '4: ... at INSERT as well');
SELECT is((SELECT count(*) FROM dialer.campaign_slots WHERE campaign_id = 'cccccccc-0000-0000-0000-0000000000c1'), 3::bigint,
          '4: and the campaign keeps its slots');
SELECT is(pg_temp.as_user(:admin_a, $q$UPDATE dialer.campaigns SET max_concurrent_calls = 1000
            WHERE id = 'cccccccc-0000-0000-0000-0000000000c1'$q$) -> 'status', '204', '4: 1000 (the default limit) is accepted');

-- ---- 4e: every grant works ------------------------------------------------------------
SELECT is(jsonb_array_length(pg_temp.rpc('dialer.talk_time_buckets', '{}', :admin_a) -> 'body'), 57,
          '4: talk_time_buckets() works for a signed-in user');

-- ---- the limits themselves ---------------------------------------------------------
SELECT is((SELECT context FROM pg_settings WHERE name = 'dialer.max_clock_skew'), 'superuser',
          'the limits can be raised by a superuser only');
SELECT is(pg_temp.rpc('dialer.claim_calls', jsonb_build_object('p_campaign_id', 'cccccccc-0000-0000-0000-0000000000c1', 'p_worker_id', 'w',
                      'p_now', now() + interval '2 hours', 'p_max_calls', 1), :agent_a) -> 'status', '400',
          'a p_now two hours ahead is refused with the default skew');
SET LOCAL dialer.max_clock_skew = '3h';
SELECT is(pg_temp.rpc('dialer.claim_calls', jsonb_build_object('p_campaign_id', 'cccccccc-0000-0000-0000-0000000000c1', 'p_worker_id', 'w',
                      'p_now', now() + interval '2 hours', 'p_max_calls', 1), :agent_a) -> 'status', '200',
          '... and accepted once a superuser allows three hours');

-- The skew's edges, where the claim's check in C (src/pg/queue_checks.cpp) answers without
-- the SQL function: 300 s either side passes, a microsecond more does not.
RESET dialer.max_clock_skew;
SELECT is(ARRAY(SELECT pg_temp.rpc('dialer.claim_calls', jsonb_build_object('p_campaign_id', 'cccccccc-0000-0000-0000-0000000000c1',
                         'p_worker_id', 'w', 'p_now', now() + d, 'p_max_calls', 1), :agent_a) ->> 'status'
                  FROM unnest(ARRAY[interval '300 seconds', interval '-300 seconds']) d),
          ARRAY['200', '200'], 'a p_now exactly dialer.max_clock_skew ahead or behind is accepted');
SELECT is(pg_temp.rpc('dialer.claim_calls', jsonb_build_object('p_campaign_id', 'cccccccc-0000-0000-0000-0000000000c1',
                      'p_worker_id', 'w', 'p_now', now() + interval '300.000001 seconds', 'p_max_calls', 1), :agent_a) #>> '{body,code}',
          '22023', '... a microsecond more ahead is refused');
SELECT is(pg_temp.rpc('dialer.claim_calls', jsonb_build_object('p_campaign_id', 'cccccccc-0000-0000-0000-0000000000c1',
                      'p_worker_id', 'w', 'p_now', now() - interval '300.000001 seconds', 'p_max_calls', 1), :agent_a) #>> '{body,code}',
          '22023', '... and a microsecond more behind');

SELECT * FROM finish();
ROLLBACK;
