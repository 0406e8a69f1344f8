-- The model's structural promises, checked from the catalog: tenancy keys (ready for
-- Citus), indexed foreign keys, RLS and policies on every tenant table, updated_at
-- triggers, pg_dump membership, grants (nothing for anon or PUBLIC), comments, the
-- identity helpers, and Realtime publication membership.
BEGIN;
SELECT plan(31);
SET LOCAL client_min_messages = warning;

CREATE TEMP VIEW tenant_tables AS
SELECT c.oid AS rel, c.relname
  FROM pg_class c
 WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind IN ('r', 'p')
   AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                   AND NOT a.attisdropped)
        OR c.relname = 'tenants');
CREATE TEMP VIEW model_tables AS
SELECT unnest(ARRAY['tenants', 'tenant_members', 'tenant_identifiers', 'contacts', 'suppressions',
                    'global_suppressions', 'campaigns', 'leads', 'calls', 'conversations',
                    'messages', 'escalations']) AS relname;

-- ---- tenancy keys ---------------------------------------------------------------
SELECT is(ARRAY(SELECT t.relname FROM tenant_tables t
                  JOIN pg_index i ON i.indrelid = t.rel AND i.indisprimary
                  JOIN pg_attribute a ON a.attrelid = t.rel AND a.attnum = i.indkey[0]
                 WHERE a.attname <> CASE t.relname WHEN 'tenants' THEN 'id' ELSE 'tenant_id' END
                 ORDER BY 1), '{}'::name[], 'every tenant table''s primary key starts with its tenant id');
SELECT is(ARRAY(SELECT i.indexrelid::regclass::text FROM tenant_tables t JOIN pg_index i ON i.indrelid = t.rel
                 WHERE i.indisunique AND t.relname <> 'tenants'
                   AND NOT (SELECT attnum FROM pg_attribute WHERE attrelid = t.rel AND attname = 'tenant_id') = ANY (i.indkey)
                 ORDER BY 1),
          ARRAY['dialer.tenant_identifiers_route_idx'],
          'every unique constraint of a tenant table includes tenant_id, except the global routing key of verified identifiers');
SELECT is(ARRAY(SELECT conname::text FROM pg_constraint f JOIN tenant_tables t ON t.rel = f.conrelid
                 WHERE f.contype = 'f' AND f.confrelid IN (SELECT rel FROM tenant_tables)
                   AND f.confrelid <> 'dialer.tenants'::regclass
                   AND f.conkey[1] <> (SELECT attnum FROM pg_attribute WHERE attrelid = t.rel AND attname = 'tenant_id')
                 ORDER BY 1), '{}'::text[],
          'every foreign key between tenant tables leads with tenant_id');
SELECT is(ARRAY(SELECT format('%s(%s)', f.conrelid::regclass, f.conkey) FROM pg_constraint f
                 JOIN tenant_tables t ON t.rel = f.conrelid
                 WHERE f.contype = 'f'
                   AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = f.conrelid
                                      AND (i.indkey::int2[])[0:cardinality(f.conkey) - 1] @> f.conkey
                                      AND (i.indkey::int2[])[0:cardinality(f.conkey) - 1] <@ f.conkey)
                 ORDER BY 1), '{}'::text[],
          'every foreign key of a tenant table is the leading part of an index');
SELECT is((SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind = 'r' AND a.attname = 'id'
              AND a.atttypid <> 'uuid'::regtype), 0::bigint, 'every id column is a uuid');

-- ---- RLS, policies, triggers, dump ----------------------------------------------
SELECT is(ARRAY(SELECT t.relname FROM tenant_tables t JOIN pg_class c ON c.oid = t.rel
                 WHERE NOT c.relrowsecurity ORDER BY 1), '{}'::name[],
          'every tenant table has row-level security enabled');
SELECT is(ARRAY(SELECT t.relname FROM tenant_tables t
                 WHERE NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = t.rel AND p.polcmd IN ('r', '*'))
                 ORDER BY 1), '{}'::name[], 'every tenant table has a SELECT policy');
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'dialer.global_suppressions'::regclass)
          AND NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = 'dialer.global_suppressions'::regclass),
          'global_suppressions: RLS without policies (only roles that bypass RLS)');
SELECT is(ARRAY(SELECT DISTINCT r.rolname::text FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid,
                       unnest(p.polroles) AS role_oid JOIN pg_roles r ON r.oid = role_oid
                 WHERE c.relnamespace = 'dialer'::regnamespace), ARRAY['authenticated'],
          'policies apply to the authenticated role only');
SELECT is(ARRAY(SELECT polname::text FROM pg_policy p, LATERAL (SELECT pg_get_expr(p.polqual, p.polrelid) || ' '
                                                       || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '') AS e) x
                 WHERE p.polrelid IN (SELECT rel FROM tenant_tables)
                   AND (regexp_count(x.e, 'dialer\.(user_tenant_ids|current_user_id)\(')
                        <> regexp_count(x.e, 'SELECT dialer\.(user_tenant_ids|current_user_id)\('))
                 ORDER BY 1), '{}'::text[],
          'policies call identity helpers only as (SELECT ...), once per statement');
SELECT is(ARRAY(SELECT relname FROM model_tables m
                 WHERE NOT EXISTS (SELECT 1 FROM pg_trigger tg
                                    WHERE tg.tgrelid = ('dialer.' || m.relname)::regclass
                                      AND tg.tgfoid = 'dialer.set_updated_at'::regproc)
                 ORDER BY 1), '{}'::text[], 'every model table keeps updated_at with dialer.set_updated_at()');
SELECT is(ARRAY(SELECT relname FROM model_tables m
                 WHERE NOT ('dialer.' || m.relname)::regclass = ANY
                       ((SELECT extconfig FROM pg_extension WHERE extname = 'pg_dialer')::oid[])
                 ORDER BY 1), '{}'::text[], 'every user-data table is marked for pg_dump (pg_extension_config_dump)');
SELECT is(ARRAY(SELECT c.relname FROM pg_class c
                 WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind IN ('r', 'p', 'v')
                   AND obj_description(c.oid, 'pg_class') IS NULL ORDER BY 1), '{}'::name[],
          'every dialer table has a comment');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                 WHERE p.pronamespace = 'dialer'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL
                 ORDER BY 1), '{}'::text[], 'every dialer function has a comment');

-- ---- grants ---------------------------------------------------------------------
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                 WHERE p.pronamespace = 'dialer'::regnamespace
                   AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))
                 ORDER BY 1), '{}'::text[], 'no dialer function is executable by PUBLIC');
SELECT is(ARRAY(SELECT c.relname FROM pg_class c
                 WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind IN ('r', 'p', 'v')
                   AND (has_table_privilege('anon', c.oid, 'SELECT') OR has_table_privilege('anon', c.oid, 'INSERT')
                        OR has_table_privilege('anon', c.oid, 'UPDATE') OR has_table_privilege('anon', c.oid, 'DELETE'))
                 ORDER BY 1), '{}'::name[], 'anon has no privilege on any dialer table');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                 WHERE p.pronamespace = 'dialer'::regnamespace AND has_function_privilege('anon', p.oid, 'EXECUTE')
                 ORDER BY 1), '{}'::text[], 'anon can execute no dialer function');
SELECT ok(NOT has_schema_privilege('anon', 'dialer', 'USAGE'), 'anon cannot even use the dialer schema');
SELECT is(ARRAY(SELECT f FROM unnest(ARRAY['dialer.resolve_tenant(text,text)',
                                           'dialer.purge_conversations(uuid,timestamp with time zone,integer)',
                                           'dialer.run_retention(timestamp with time zone,integer)',
                                           'dialer.track_updated_at(regclass,name,boolean)',
                                           'dialer.grant_api_access()',
                                           'dialer.join_realtime_publication(name)']) f
                 WHERE has_function_privilege('authenticated', f, 'EXECUTE')), '{}'::text[],
          'signed-in users cannot run back-office functions');
SELECT ok(has_function_privilege('service_role', 'dialer.resolve_tenant(text,text)', 'EXECUTE')
          AND has_function_privilege('service_role', 'dialer.purge_conversations(uuid,timestamptz,integer)', 'EXECUTE'),
          'the service role runs tenant resolution and retention');
SELECT ok(NOT has_column_privilege('authenticated', 'dialer.leads', 'tenant_id', 'UPDATE')
          AND NOT has_column_privilege('authenticated', 'dialer.leads', 'id', 'UPDATE')
          AND has_column_privilege('authenticated', 'dialer.leads', 'status', 'UPDATE'),
          'signed-in users update non-key columns only');
SELECT ok(NOT has_table_privilege('authenticated', 'dialer.tenants', 'INSERT')
          AND NOT has_table_privilege('authenticated', 'dialer.global_suppressions', 'SELECT'),
          'no grant where no policy allows the command');

-- ---- identity helpers -------------------------------------------------------------
SELECT is(dialer.current_user_id(), NULL, 'no claims: no user');
SELECT set_config('request.jwt.claims', '', true);
SELECT is(dialer.current_user_id(), NULL, 'empty claims: no user');
SELECT set_config('request.jwt.claims', '{"role": "anon"}', true);
SELECT is(dialer.current_user_id(), NULL, 'claims without sub: no user');
SELECT set_config('request.jwt.claims', '{"sub": "user-123"}', true);
SELECT is(dialer.current_user_id(), NULL, 'a sub that is not a uuid: no user');
SELECT set_config('request.jwt.claims', '{"sub": "0F6E1F4E-0000-4000-8000-000000000001"}', true);
SELECT is(dialer.current_user_id(), '0f6e1f4e-0000-4000-8000-000000000001'::uuid, 'the sub claim, as auth.uid() reads it');
INSERT INTO dialer.tenants (id, name) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'A');
INSERT INTO dialer.tenant_members VALUES
  ('aaaaaaaa-0000-4000-8000-000000000000', '0f6e1f4e-0000-4000-8000-000000000001', 'agent');
SET LOCAL role authenticated;
SELECT is(ARRAY[dialer.has_tenant_role('aaaaaaaa-0000-4000-8000-000000000000'),
                dialer.has_tenant_role('aaaaaaaa-0000-4000-8000-000000000000', 'agent'),
                dialer.has_tenant_role('aaaaaaaa-0000-4000-8000-000000000000', 'admin'),
                dialer.has_tenant_role('bbbbbbbb-0000-4000-8000-000000000000')],
          ARRAY[true, true, false, false], 'has_tenant_role: a member''s role decides, other tenants are out');
SET LOCAL role service_role;
SELECT ok(dialer.has_tenant_role('bbbbbbbb-0000-4000-8000-000000000000', 'owner'),
          'has_tenant_role: the service role may act on any tenant');
RESET role;

-- ---- Realtime --------------------------------------------------------------------
CREATE PUBLICATION supabase_realtime;
SELECT is(ARRAY(SELECT dialer.join_realtime_publication()::text ORDER BY 1),
          ARRAY['dialer.calls', 'dialer.campaigns', 'dialer.leads'],
          'campaigns, leads and calls join the supabase_realtime publication');
SELECT is(ARRAY(SELECT dialer.join_realtime_publication()::text), '{}'::text[], 'joining twice changes nothing');

SELECT * FROM finish();
ROLLBACK;
