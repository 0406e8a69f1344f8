-- pg_dialer 0.7.0 (CHANGELOG.md): brings a project at an earlier release to 0.7.0; on a new
-- project the first migration has installed 0.7.0 and this does nothing. Retried while the
-- update gives way to running workers (55P03; docs/upgrading.md). One statement, no psql
-- meta-commands (Supabase CLI migration).
DO $$
DECLARE
  v_try integer := 0;
BEGIN
  WHILE (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer') <> '0.7.0' LOOP
    v_try := v_try + 1;
    BEGIN
      ALTER EXTENSION pg_dialer UPDATE TO '0.7.0';
    EXCEPTION WHEN lock_not_available THEN
      IF v_try >= 100 THEN
        RAISE;
      END IF;
      PERFORM pg_catalog.pg_sleep(least(0.05 * v_try, 1.0));
    END;
  END LOOP;
END
$$;
