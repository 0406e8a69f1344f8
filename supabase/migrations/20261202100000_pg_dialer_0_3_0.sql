-- pg_dialer 0.3.0: brings a project created with 0.2.0 to 0.3.0 (a cheaper queue hot path;
-- the README's Upgrading section lists the changes). A project still at 0.1.0 has been
-- brought to 0.2.0 by the previous migration; on a new project the first migration has
-- already installed 0.3.0 and this one does nothing. One statement, no psql meta-commands
-- (Supabase CLI migration).
DO $$
BEGIN
  IF (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer') IN ('0.1.0', '0.2.0') THEN
    ALTER EXTENSION pg_dialer UPDATE TO '0.3.0';
  END IF;
END
$$;
