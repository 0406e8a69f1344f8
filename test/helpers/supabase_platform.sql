-- Supabase's role model, faithfully, for a cluster whose bootstrap superuser is
-- supabase_admin (test/scripts/supabase_roles.sh starts one): run as supabase_admin in
-- the project database. What it reproduces, from supabase/postgres's init scripts and
-- migrations (00000000000000-initial-schema, 00000000000001-auth-schema,
-- 00000000000003-post-setup, 10000000000000_demote-postgres, 20230529180330):
--   * postgres is NOT a superuser: NOSUPERUSER CREATEDB CREATEROLE LOGIN REPLICATION
--     BYPASSRLS, member of anon, authenticated and service_role (it may SET ROLE to
--     them, as `supabase test db` suites do), search_path "$user", public, extensions;
--   * anon and authenticated (NOLOGIN INHERIT; statement_timeout 3s / 8s),
--     service_role (NOLOGIN INHERIT BYPASSRLS), authenticator (LOGIN NOINHERIT, member
--     of the three API roles);
--   * the project database owned by postgres, ALL on it granted to postgres;
--   * schemas extensions and auth (owned by supabase_admin, USAGE for the API roles);
--     auth.uid(), auth.role(), auth.jwt() reading request.jwt.claims;
--   * Supabase's default privileges on public: everything postgres or supabase_admin
--     creates there is granted (ALL) to postgres, anon, authenticated and service_role;
--   * the supabase_realtime publication (empty, owned by supabase_admin).
-- supautils itself is not installed (no package): test/helpers/supautils_emulation.sh
-- does what it does for a privileged extension. Idempotent.

DO $platform$
BEGIN
  IF current_user <> 'supabase_admin'
     OR NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    RAISE EXCEPTION 'supabase_platform.sql runs as the superuser supabase_admin, not %', current_user;
  END IF;

  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'postgres') THEN
    CREATE ROLE postgres;
  END IF;
  ALTER ROLE postgres NOSUPERUSER CREATEDB CREATEROLE LOGIN REPLICATION BYPASSRLS;
  ALTER ROLE postgres SET search_path TO "$user", public, extensions;

  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'anon') THEN
    CREATE ROLE anon NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated') THEN
    CREATE ROLE authenticated NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
    CREATE ROLE service_role NOLOGIN;
  END IF;
  ALTER ROLE anon NOLOGIN INHERIT;
  ALTER ROLE authenticated NOLOGIN INHERIT;
  ALTER ROLE service_role NOLOGIN INHERIT BYPASSRLS;
  ALTER ROLE anon SET statement_timeout = '3s';
  ALTER ROLE authenticated SET statement_timeout = '8s';
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticator') THEN
    CREATE ROLE authenticator LOGIN NOINHERIT;
  END IF;
  GRANT anon, authenticated, service_role TO authenticator;
  GRANT anon, authenticated, service_role TO postgres;

  EXECUTE format('ALTER DATABASE %I OWNER TO postgres', current_database());
  EXECUTE format('GRANT ALL ON DATABASE %I TO postgres', current_database());

  CREATE SCHEMA IF NOT EXISTS extensions;
  GRANT USAGE ON SCHEMA extensions TO postgres, anon, authenticated, service_role;
  GRANT ALL ON SCHEMA extensions TO postgres;

  CREATE SCHEMA IF NOT EXISTS auth;
  GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
  GRANT ALL ON SCHEMA auth TO postgres;

  GRANT USAGE ON SCHEMA public TO postgres, anon, authenticated, service_role;
  ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public
    GRANT ALL ON TABLES TO postgres, anon, authenticated, service_role;
  ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public
    GRANT ALL ON FUNCTIONS TO postgres, anon, authenticated, service_role;
  ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public
    GRANT ALL ON SEQUENCES TO postgres, anon, authenticated, service_role;
  ALTER DEFAULT PRIVILEGES FOR ROLE supabase_admin IN SCHEMA public
    GRANT ALL ON TABLES TO postgres, anon, authenticated, service_role;
  ALTER DEFAULT PRIVILEGES FOR ROLE supabase_admin IN SCHEMA public
    GRANT ALL ON FUNCTIONS TO postgres, anon, authenticated, service_role;
  ALTER DEFAULT PRIVILEGES FOR ROLE supabase_admin IN SCHEMA public
    GRANT ALL ON SEQUENCES TO postgres, anon, authenticated, service_role;

  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = 'supabase_realtime') THEN
    CREATE PUBLICATION supabase_realtime;
  END IF;

  COMMENT ON ROLE postgres IS 'Supabase''s project admin and migration runner: not a superuser (emulated Supabase role model).';
  COMMENT ON ROLE anon IS 'Supabase API role of requests without a signed-in user (emulated Supabase role model).';
  COMMENT ON ROLE authenticated IS 'Supabase API role of signed-in users (emulated Supabase role model).';
  COMMENT ON ROLE service_role IS 'Supabase API role of trusted back ends; bypasses RLS (emulated Supabase role model).';
  COMMENT ON ROLE authenticator IS 'PostgREST''s login role; switches to an API role per request (emulated Supabase role model).';
  COMMENT ON SCHEMA extensions IS 'Supabase''s schema for extensions (emulated Supabase role model).';
  COMMENT ON SCHEMA auth IS 'Supabase Auth''s schema: here only uid(), role() and jwt() (emulated Supabase role model).';
  COMMENT ON PUBLICATION supabase_realtime IS 'Supabase Realtime''s publication (emulated Supabase role model).';
END
$platform$;

-- The auth functions: created by the shared bootstrap, which leaves anything that
-- already exists alone (as on a real Supabase database).
\ir supabase_bootstrap.sql
