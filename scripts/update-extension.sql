-- Updates pg_dialer to the newest installed version, safely under load (docs/upgrading.md):
-- one release at a time, each step committed on its own, so a worker's call that began
-- under release N only ever meets the objects of release N+1, which keep everything
-- release N's functions call. Why not the whole chain in one transaction: a completion
-- that started its old function body and then waited for the update's table locks would
-- run that body against the last release's objects, and fail to find a function a middle
-- release dropped (42883; test/scripts/update_extension_steps.sh shows it).
-- Before each step after the first, the update waits until every transaction of this
-- database that was running when the previous step committed has ended (at most
-- dialer_update.max_wait seconds, default 60; then 55006 names them, and the extension
-- stays at a complete release: run the script again). Each step gives way (55P03,
-- lock_not_available) rather than deadlock with a worker, and is tried again, up to 100
-- times over about a minute. Run it with psql outside a transaction block
-- (psql -f scripts/update-extension.sql); a single step also runs inside one (a migration).
-- One statement, no meta-commands.
DO $update$
DECLARE
  v_target text := (SELECT default_version FROM pg_catalog.pg_available_extensions WHERE name = 'pg_dialer');
  v_from text;
  v_next text;
  v_step integer := 0;
  v_try integer;
  v_max_wait numeric := coalesce(nullif(current_setting('dialer_update.max_wait', true), '')::numeric, 60);
  v_older text[];
  v_pids text;
  v_waited_since timestamptz;
BEGIN
  LOOP
    v_from := (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer');
    IF v_from IS NULL THEN
      RAISE EXCEPTION 'pg_dialer is not installed in database %', current_database()
        USING ERRCODE = '42704', HINT = 'Install it with CREATE EXTENSION pg_dialer;';
    END IF;
    EXIT WHEN v_from = v_target;
    -- The next release on the shortest path the installed scripts offer.
    v_next := (SELECT split_part(p.path, '--', 2)
                 FROM pg_catalog.pg_extension_update_paths('pg_dialer') p
                WHERE p.source = v_from AND p.target = v_target);
    IF v_next IS NULL THEN
      RAISE EXCEPTION 'no update path from pg_dialer % to %', v_from, v_target
        USING ERRCODE = '22023', HINT = 'Install the upgrade scripts of every release in between (make install).';
    END IF;
    IF v_step > 0 THEN
      -- The transactions running now, in this database, of a signed-in role (not autovacuum),
      -- by virtual transaction id: a new transaction of the same backend has a new id.
      v_older := ARRAY(SELECT l.virtualxid FROM pg_catalog.pg_locks l
                         JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
                        WHERE l.locktype = 'virtualxid' AND l.granted AND l.pid <> pg_catalog.pg_backend_pid()
                          AND a.datid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
                          AND a.usesysid IS NOT NULL);
      v_waited_since := clock_timestamp();
      LOOP
        -- Why pg_locks and not pg_stat_activity here: the latter is read once per transaction.
        v_pids := (SELECT string_agg(DISTINCT l.pid::text, ', ') FROM pg_catalog.pg_locks l
                    WHERE l.locktype = 'virtualxid' AND l.granted AND l.virtualxid = ANY (v_older));
        EXIT WHEN v_pids IS NULL;
        IF clock_timestamp() - v_waited_since > make_interval(secs => v_max_wait) THEN
          RAISE EXCEPTION 'pg_dialer is at % and waits for transactions older than that release: backends %', v_from, v_pids
            USING ERRCODE = '55006',
                  DETAIL = format('The update to %s waited %s seconds (dialer_update.max_wait) for them to end.', v_next, v_max_wait),
                  HINT = 'End those transactions (or wait for them), then run the script again; the extension is at a complete release.';
        END IF;
        PERFORM pg_catalog.pg_sleep(0.05);
      END LOOP;
    ELSIF transaction_timestamp() <> statement_timestamp()
          AND (SELECT p.path FROM pg_catalog.pg_extension_update_paths('pg_dialer') p
                WHERE p.source = v_from AND p.target = v_target) LIKE '%--%--%' THEN
      -- Why check first: the COMMIT between steps fails inside a transaction block.
      RAISE EXCEPTION 'pg_dialer % -> % takes several steps, each committed, and this runs inside a transaction block', v_from, v_target
        USING ERRCODE = '25001',
              HINT = 'Run psql -f scripts/update-extension.sql outside BEGIN/COMMIT, or apply the releases'' migrations one at a time.';
    END IF;
    v_try := 0;
    LOOP
      v_try := v_try + 1;
      BEGIN
        EXECUTE format('ALTER EXTENSION pg_dialer UPDATE TO %L', v_next);
        EXIT;
      EXCEPTION WHEN lock_not_available THEN
        IF v_try >= 100 THEN
          RAISE;
        END IF;
        PERFORM pg_catalog.pg_sleep(least(0.05 * v_try, 1.0));
      END;
    END LOOP;
    RAISE NOTICE 'pg_dialer % -> % (try %)', v_from, v_next, v_try;
    v_step := v_step + 1;
    -- Why here, outside the retry block: a COMMIT cannot end a subtransaction.
    IF v_next <> v_target THEN
      COMMIT;
    END IF;
  END LOOP;
  RAISE NOTICE 'pg_dialer is at %', v_target;
END
$update$;
