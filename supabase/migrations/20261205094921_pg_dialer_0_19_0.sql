-- pg_dialer 0.19.0 (CHANGELOG.md): brings a project at an earlier release to 0.19.0; on a new project
-- (or one already past it) the first migration has installed 0.19.0 or later and this does nothing.
-- Retried while the update gives way to running workers (55P03; docs/upgrading.md). One statement,
-- no psql meta-commands (Supabase CLI migration).
DO $$
DECLARE
  v_try integer := 0;
BEGIN
  -- Why a list of the older releases and not "until it is 0.19.0": a project whose first
  -- migration installed a later release would otherwise be asked to go back to 0.19.0.
  IF (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer') NOT IN ('0.1.0', '0.2.0', '0.3.0', '0.4.0', '0.5.0', '0.6.0', '0.7.0', '0.8.0', '0.9.0', '0.10.0', '0.11.0', '0.12.0', '0.13.0', '0.14.0', '0.15.0', '0.16.0', '0.17.0', '0.18.0') THEN
    RETURN;
  END IF;
  LOOP
    v_try := v_try + 1;
    BEGIN
      ALTER EXTENSION pg_dialer UPDATE TO '0.19.0';
      RETURN;
    EXCEPTION WHEN lock_not_available THEN
      IF v_try >= 100 THEN
        RAISE;
      END IF;
      PERFORM pg_catalog.pg_sleep(least(0.05 * v_try, 1.0));
    END;
  END LOOP;
END
$$;
