-- Updates pg_dialer to the newest installed version, safely under load: the update
-- script gives way (55P03, lock_not_available) rather than deadlock with a worker, and
-- this block tries again, up to 100 times over about a minute. Run it with psql
-- (psql -f scripts/update-extension.sql) or paste it into a migration; workers, claims
-- and completions keep running (docs/upgrading.md). One statement, no meta-commands.
DO $update$
DECLARE
  v_try integer := 0;
BEGIN
  LOOP
    v_try := v_try + 1;
    BEGIN
      ALTER EXTENSION pg_dialer UPDATE;
      RAISE NOTICE 'pg_dialer is at % (try %)',
        (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer'), v_try;
      RETURN;
    EXCEPTION WHEN lock_not_available THEN
      IF v_try >= 100 THEN
        RAISE;
      END IF;
      PERFORM pg_catalog.pg_sleep(least(0.05 * v_try, 1.0));
    END;
  END LOOP;
END
$update$;
