-- First test of `make installcheck`: turns pg_regress's fresh database into a Supabase-like
-- one on whatever server it runs against. Adds Supabase's roles where missing and the auth
-- schema (test/helpers/supabase_bootstrap.sql), then runs supabase/migrations/ in order
-- (build/regress_migrations.sql, written by the Makefile), which create the extension.
-- Roles this run created are marked by their comment; regress_teardown drops them.
\set ECHO none
\o /dev/null
SET client_min_messages = warning;
CREATE TEMP TABLE roles_before AS SELECT rolname FROM pg_roles;
\i test/helpers/supabase_bootstrap.sql
\i build/regress_migrations.sql
SELECT format('COMMENT ON ROLE %I IS %L', rolname, 'created by pg_dialer make installcheck; dropped at its end')
  FROM pg_roles WHERE rolname NOT IN (SELECT rolname FROM roles_before) \gexec
RESET client_min_messages;
\o
\set ECHO all
SELECT extname, extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'pg_dialer') AS default_version
  FROM pg_extension WHERE extname = 'pg_dialer';
SELECT rolname, rolcanlogin, rolbypassrls FROM pg_roles
 WHERE rolname IN ('anon', 'authenticated', 'service_role', 'authenticator') ORDER BY 1;
SELECT to_regprocedure('public.get_campaign_stats(uuid)') IS NOT NULL AS rpc_present,
       to_regprocedure('auth.uid()') IS NOT NULL AS auth_uid_present;
