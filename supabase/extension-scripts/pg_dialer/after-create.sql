-- pg_dialer's after-create script for supautils (self-hosted Supabase).
--
-- On Supabase the migration runner `postgres` is not a superuser. With pg_dialer in
-- supautils.privileged_extensions, `CREATE EXTENSION pg_dialer` run by postgres is
-- carried out as the superuser (supautils.privileged_extensions_superuser, Supabase's
-- supabase_admin), so the extension, its schema `dialer` and every object in it belong
-- to that superuser; supautils then runs this file, still as the superuser, from
--   <supautils.extension_custom_scripts_path>/pg_dialer/after-create.sql
-- (older supautils: supautils.privileged_extensions_custom_scripts_path). Install it
-- there (docs/self-hosted-supabase.md; deploy/supabase/enable-pg-dialer.sh does it).
--
-- What it does, as the owner:
--   1. the API grants (dialer.grant_api_access: authenticated and service_role exactly
--      what they need, anon nothing) -- the install script has already applied them
--      where the roles exist, so this is normally a no-op;
--   2. campaigns, leads and calls into supabase_realtime when the publication exists
--      (postgres could not: adding a table to a publication takes its owner);
--   3. gives postgres what Supabase gives it on its own extensions' schemas (pg_cron's
--      after-create script does the same for cron): USAGE on the schema and every
--      privilege on its tables, sequences and functions, WITH GRANT OPTION, also for
--      objects a later ALTER EXTENSION ... UPDATE creates (default privileges of the
--      superuser in schema dialer). Two exceptions keep the owner's rights the owner's:
--      the grant registry dialer.api_grants is read-only for postgres (grant_api_access
--      grants what it lists), and grant_api_access / join_realtime_publication are not
--      executable by postgres (run by postgres they would grant as postgres, duplicating
--      every API grant under a second grantor that a later owner's REVOKE would leave
--      behind); the first migration calls them only when the runner is the owner.
--
-- One DO statement: supautils executes the file with SPI and expects a utility
-- statement's result. Idempotent (supautils runs it on each CREATE EXTENSION).
DO $after_create$
DECLARE
  v_superuser name := current_user;
BEGIN
  PERFORM dialer.grant_api_access();
  PERFORM dialer.join_realtime_publication();

  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'postgres')
     AND v_superuser <> 'postgres' THEN
    GRANT USAGE ON SCHEMA dialer TO postgres WITH GRANT OPTION;
    GRANT ALL ON ALL TABLES IN SCHEMA dialer TO postgres WITH GRANT OPTION;
    GRANT ALL ON ALL SEQUENCES IN SCHEMA dialer TO postgres WITH GRANT OPTION;
    GRANT ALL ON ALL ROUTINES IN SCHEMA dialer TO postgres WITH GRANT OPTION;
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA dialer '
                   'GRANT ALL ON TABLES TO postgres WITH GRANT OPTION', v_superuser);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA dialer '
                   'GRANT ALL ON SEQUENCES TO postgres WITH GRANT OPTION', v_superuser);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA dialer '
                   'GRANT ALL ON ROUTINES TO postgres WITH GRANT OPTION', v_superuser);

    REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON dialer.api_grants FROM postgres CASCADE;
    REVOKE EXECUTE ON FUNCTION dialer.grant_api_access() FROM postgres CASCADE;
    REVOKE EXECUTE ON FUNCTION dialer.join_realtime_publication(name) FROM postgres CASCADE;
  END IF;
END
$after_create$;
