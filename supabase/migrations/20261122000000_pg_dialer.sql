-- pg_dialer for a Supabase project: creates the extension (schema `dialer`), grants the
-- API roles exactly what they need, adds the live tables to Realtime, and asks
-- PostgREST to reload its schema cache. One transaction, no psql meta-commands, so the
-- Supabase CLI (`supabase db reset`, `supabase db push`) runs it as is.
--
-- Expose the tables and functions to the API by adding "dialer" to [api].schemas in
-- supabase/config.toml (done in this project's config.toml), then
--   supabase.schema('dialer').from('campaigns').select()
--   supabase.schema('dialer').rpc('add_lead', { p_campaign_id, p_phone })
--
-- Self-hosted Supabase runs migrations as `postgres`, which is not a superuser: list
-- pg_dialer in supautils.privileged_extensions and install its after-create script
-- (docs/self-hosted-supabase.md), or CREATE EXTENSION below is refused.

CREATE EXTENSION IF NOT EXISTS pg_dialer;

-- API grants and Realtime are applied by the extension's owner: the install script (and,
-- on Supabase, supautils' after-create script supabase/extension-scripts/pg_dialer/
-- after-create.sql) has already run them. A runner that owns the extension (plain
-- PostgreSQL, a superuser) re-applies them here; Supabase's postgres is not the owner
-- (supautils created the extension as supabase_admin) and must not grant as itself.
--   authenticated: the schema, each table command some RLS policy allows (UPDATE on
--   non-key columns), reference tables read-only, the signed-in functions.
--   service_role: every table (it bypasses RLS) and the back-office functions.
--   anon: nothing.
--   Realtime (postgres_changes, RLS-filtered): campaigns, leads and calls join the
--   supabase_realtime publication when the project has it.
DO $$
BEGIN
  IF pg_catalog.pg_has_role((SELECT extowner FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer'), 'USAGE') THEN
    PERFORM dialer.grant_api_access();
    PERFORM dialer.join_realtime_publication();
  ELSIF NOT pg_catalog.has_schema_privilege('dialer', 'USAGE WITH GRANT OPTION') THEN
    -- The after-create script gives the runner USAGE WITH GRANT OPTION on the schema
    -- (grant options are not inherited from the API roles postgres is a member of).
    RAISE EXCEPTION 'pg_dialer was created without its supautils after-create script'
      USING ERRCODE = '42501',
            DETAIL = format('%s does not own the extension (%s does) and was not given its schema, '
                            'so the API grants and Realtime tables cannot be checked or applied.', current_user,
                            (SELECT extowner::regrole FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer')),
            HINT = 'Install supabase/extension-scripts/pg_dialer/after-create.sql as '
                   '<supautils custom scripts path>/pg_dialer/after-create.sql, DROP EXTENSION pg_dialer '
                   'and run the migration again, or have the extension''s owner run that script '
                   '(docs/self-hosted-supabase.md).';
  END IF;
END
$$;

NOTIFY pgrst, 'reload schema';
