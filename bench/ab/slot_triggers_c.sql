-- Variant for scripts/ab-workers.sh / scripts/ab-concurrent.sh: the slot triggers of
-- dialer.calls in C (0.16.0, src/pg/call_slot_triggers.cpp), the declarations of
-- sql_src/55_call_slot.sql with the library named as installed; compare with
-- bench/ab/slot_triggers_plpgsql.sql.
\set slot_c `awk '/^CREATE FUNCTION dialer._(occupy_call_slot|call_leaves_flight)[(]/,/^AS /' sql_src/55_call_slot.sql | sed "s/^CREATE FUNCTION/CREATE OR REPLACE FUNCTION/; s|'MODULE_PATHNAME'|'\$libdir/pg_dialer'|"`
:slot_c
DROP FUNCTION IF EXISTS dialer._free_slot(uuid, uuid, integer, uuid);
-- Why the check: a definition the command above failed to find would leave the other variant's.
DO $$
BEGIN
  IF (SELECT count(*) FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
       WHERE p.oid IN ('dialer._occupy_call_slot()'::regprocedure, 'dialer._call_leaves_flight()'::regprocedure)
         AND l.lanname = 'c') <> 2 THEN
    RAISE EXCEPTION 'the slot triggers are not in c: the variant did not apply';
  END IF;
END
$$;
SELECT dialer.set_campaign_stats_enabled(true);
