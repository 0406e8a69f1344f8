-- Updates pg_dialer to the newest installed version, safely under load (docs/upgrading.md):
-- one release at a time, each step committed on its own, so a worker's call that began
-- under release N only ever meets the objects of release N+1 and, until it ends, the
-- functions that step dropped (kept, below). Why not the whole chain in one transaction:
-- a completion that started its old function body and then waited for the update's table
-- locks would run that body against the last release's objects, and fail to find a
-- function a middle release dropped (42883; test/scripts/update_extension_steps.sh shows it).
-- Before each step after the first, the update waits until every transaction of this
-- database that was running when the previous step committed has ended (at most
-- dialer_update.max_wait seconds, default 60; then 55006 names them, and the extension
-- stays at a complete release: run the script again). A function a step drops (0.5.0 ->
-- 0.6.0 dropped _advance_lead(uuid, uuid, text, timestamptz), which 0.5.0's completion
-- calls) is created again with its old body right after the step, outside the extension,
-- and dropped after that wait, when no call that began before the step can still need it.
-- Each step gives way (55P03, lock_not_available) rather than deadlock with a worker, and
-- is tried again, up to 100 times over about a minute. Run it with psql outside a
-- transaction block (psql -f scripts/update-extension.sql); a single step also runs
-- inside one (a migration).
-- One statement, no meta-commands.
DO $update$
DECLARE
  v_target text := (SELECT default_version FROM pg_catalog.pg_available_extensions WHERE name = 'pg_dialer');
  -- Why: COMMIT between steps fails inside a transaction block (psql -1, a migration).
  v_in_block boolean := transaction_timestamp() <> statement_timestamp();
  v_marker constant text := 'Kept by scripts/update-extension.sql';
  v_from text;
  v_next text;
  v_step integer := 0;
  v_try integer;
  v_max_wait numeric := coalesce(nullif(current_setting('dialer_update.max_wait', true), '')::numeric, 60);
  v_older text[];
  v_pids text;
  v_waited_since timestamptz;
  v_kept text[];
  v_item text;
  v_check_bodies text;
  v_before jsonb;
  v_f record;
BEGIN
  LOOP
    v_from := (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer');
    IF v_from IS NULL THEN
      RAISE EXCEPTION 'pg_dialer is not installed in database %', current_database()
        USING ERRCODE = '42704', HINT = 'Install it with CREATE EXTENSION pg_dialer;';
    END IF;
    -- The functions an earlier step kept for calls already running (below), found by comment.
    v_kept := ARRAY(SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
                     WHERE p.pronamespace = 'dialer'::regnamespace
                       AND pg_catalog.obj_description(p.oid, 'pg_proc') LIKE v_marker || '%');
    EXIT WHEN v_from = v_target AND cardinality(v_kept) = 0;
    IF v_step > 0 OR cardinality(v_kept) > 0 THEN
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
                  DETAIL = format('The update waited %s seconds (dialer_update.max_wait) for them to end.', v_max_wait),
                  HINT = 'End those transactions (or wait for them), then run the script again; the extension is at a complete release.';
        END IF;
        PERFORM pg_catalog.pg_sleep(0.05);
      END LOOP;
      FOREACH v_item IN ARRAY v_kept LOOP
        EXECUTE 'DROP FUNCTION ' || v_item;
      END LOOP;
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
    IF v_in_block AND v_next <> v_target THEN
      RAISE EXCEPTION 'pg_dialer % -> % takes several steps, each committed, and this runs inside a transaction block', v_from, v_target
        USING ERRCODE = '25001',
              HINT = 'Run psql -f scripts/update-extension.sql outside BEGIN/COMMIT, or apply the releases'' migrations one at a time.';
    END IF;
    -- The extension's functions before the step: signature -> definition, grants, arity.
    v_before := (SELECT jsonb_object_agg(p.oid::regprocedure::text,
                          jsonb_build_object('def', pg_catalog.pg_get_functiondef(p.oid), 'name', p.proname,
                                             'nargs', p.pronargs, 'ndefaults', p.pronargdefaults,
                                             'grantees', (SELECT coalesce(jsonb_agg(DISTINCT a.grantee::regrole::text), '[]')
                                                            FROM aclexplode(p.proacl) a
                                                           WHERE a.grantee <> 0 AND a.grantee <> p.proowner)))
                   FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_depend d
                     ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                    AND d.refclassid = 'pg_extension'::regclass
                    AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'pg_dialer')
                  WHERE p.prokind = 'f');
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
    -- Why keep what the step dropped: a call that began before the step and waited for its
    -- locks runs its old body after the commit, and that body may call it. Not when a
    -- remaining function of the same name takes as many arguments (a call could become
    -- ambiguous), nor inside a transaction block (no later step would drop it).
    -- Why check_function_bodies off meanwhile: a kept SQL function may call another kept
    -- one not created yet.
    v_check_bodies := current_setting('check_function_bodies');
    PERFORM set_config('check_function_bodies', 'off', true);
    FOR v_f IN SELECT b.key AS sig, b.value AS f FROM jsonb_each(v_before) b
                WHERE NOT v_in_block AND to_regprocedure(b.key) IS NULL
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc o
                                   WHERE o.pronamespace = 'dialer'::regnamespace AND o.proname = b.value ->> 'name'
                                     AND o.pronargs >= (b.value ->> 'nargs')::int - (b.value ->> 'ndefaults')::int
                                     AND o.pronargs - o.pronargdefaults <= (b.value ->> 'nargs')::int) LOOP
      BEGIN
        EXECUTE v_f.f ->> 'def';
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_f.sig);
        FOR v_item IN SELECT g FROM jsonb_array_elements_text(v_f.f -> 'grantees') g LOOP
          EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %s', v_f.sig, v_item);
        END LOOP;
        EXECUTE format('COMMENT ON FUNCTION %s IS %L', v_f.sig,
                       format('%s from pg_dialer %s for calls that began before the update to %s; dropped once they ended.',
                              v_marker, v_from, v_next));
      EXCEPTION WHEN OTHERS THEN
        -- Why go on: its types or callees may be gone too; the update itself succeeded.
        RAISE NOTICE 'pg_dialer %: % not kept: %', v_next, v_f.sig, SQLERRM;
      END;
    END LOOP;
    PERFORM set_config('check_function_bodies', v_check_bodies, true);
    v_step := v_step + 1;
    -- Why here, outside the retry block: a COMMIT cannot end a subtransaction.
    IF NOT v_in_block THEN
      COMMIT;
    END IF;
  END LOOP;
  RAISE NOTICE 'pg_dialer is at %', v_target;
END
$update$;
