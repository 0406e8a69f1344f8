-- pg_dialer in a Supabase project (`supabase test db`): the extension is installed by the
-- migration, every table is under RLS, tenants are isolated, anon gets nothing, and the
-- seed designs' conflicts answer with the right SQLSTATE.
BEGIN;
SELECT plan(12);

SELECT has_extension('pg_dialer', 'the migration installed pg_dialer');
SELECT is((SELECT count(*) FROM pg_class c
            WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind = 'r'
              AND c.relname IN ('tenants', 'tenant_members', 'tenant_identifiers', 'contacts',
                                'suppressions', 'global_suppressions', 'campaigns', 'leads', 'calls',
                                'conversations', 'messages', 'escalations')
              AND c.relrowsecurity), 12::bigint, 'every model table has row-level security');
SELECT ok(NOT has_schema_privilege('anon', 'dialer', 'USAGE'), 'anon cannot use the dialer schema');
SELECT ok(has_table_privilege('authenticated', 'dialer.campaigns', 'SELECT'),
          'signed-in users may query campaigns (rows decided by RLS)');

INSERT INTO dialer.tenants (id, name) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'Tenant A'), ('bbbbbbbb-0000-4000-8000-000000000000', 'Tenant B');
INSERT INTO dialer.tenant_members (tenant_id, user_id, role) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'a0000000-0000-4000-8000-0000000000a1', 'admin'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-0000000000b1', 'admin');
INSERT INTO dialer.campaigns (tenant_id, id, name) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000a1', 'A'),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'ca000000-0000-4000-8000-0000000000b1', 'B');

SET LOCAL role authenticated;
SELECT set_config('request.jwt.claims', '{"role": "authenticated", "sub": "a0000000-0000-4000-8000-0000000000a1"}', true);
SELECT results_eq('SELECT name FROM dialer.campaigns', ARRAY['A'], 'a member of A sees only A''s campaigns');
SELECT throws_ok($$INSERT INTO dialer.campaigns (tenant_id, name) VALUES ('bbbbbbbb-0000-4000-8000-000000000000', 'x')$$,
                 '42501', NULL, 'and cannot write into B (403)');
SELECT is((dialer.add_lead('ca000000-0000-4000-8000-0000000000a1', '+1 (415) 555-2671')).phone, '+14155552671',
          'add_lead stores the E.164 number');
SELECT throws_ok($$SELECT dialer.add_lead('ca000000-0000-4000-8000-0000000000a1', '+1-415-555-2671')$$,
                 '23505', NULL, 'the same number again is a duplicate (409)');
SELECT set_config('request.jwt.claims', '{"role": "authenticated", "sub": "b0000000-0000-4000-8000-0000000000b1"}', true);
SELECT is((SELECT count(*) FROM dialer.leads), 0::bigint, 'a member of B sees none of A''s leads');
RESET role;

INSERT INTO dialer.escalations (tenant_id, id, call_id, issue_type, original_request)
VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'e5c00000-0000-4000-8000-000000000001', NULL, 'billing', 'help');
SELECT throws_ok($$UPDATE dialer.escalations SET status = 'resolved' WHERE id = 'e5c00000-0000-4000-8000-000000000001'$$,
                 'PT409', NULL, 'an escalation cannot skip steps (409)');
SELECT lives_ok($$UPDATE dialer.escalations SET status = 'notified' WHERE id = 'e5c00000-0000-4000-8000-000000000001'$$,
                'pending -> notified is legal');

SET LOCAL role anon;
SELECT throws_ok('SELECT count(*) FROM dialer.campaigns', '42501', NULL, 'anon is refused (401)');
RESET role;

SELECT * FROM finish();
ROLLBACK;
