-- pg_dialer 0.2.0: brings a project created with 0.1.0 to 0.2.0 (a faster queue, a fix for
-- campaigns left running when their last two calls ended together, cheaper statistics; the
-- README's Upgrading section lists the changes). On a new project the first migration has
-- already installed 0.2.0 and this one does nothing. One statement, no psql meta-commands
-- (Supabase CLI migration).
DO $$
BEGIN
  IF (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer') = '0.1.0' THEN
    ALTER EXTENSION pg_dialer UPDATE TO '0.2.0';
  END IF;
END
$$;
