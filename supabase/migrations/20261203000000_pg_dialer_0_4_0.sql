-- pg_dialer 0.4.0: brings a project created with 0.3.0 (or brought to it by the previous
-- migrations) to 0.4.0: tenant isolation against a hostile signed-in user (docs/security.md;
-- the README's Upgrading section). On a new project the first migration has already
-- installed 0.4.0 and this one does nothing. One statement, no psql meta-commands
-- (Supabase CLI migration).
DO $$
BEGIN
  IF (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer') IN ('0.1.0', '0.2.0', '0.3.0') THEN
    ALTER EXTENSION pg_dialer UPDATE TO '0.4.0';
  END IF;
END
$$;
