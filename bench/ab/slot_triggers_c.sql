-- Variant for scripts/ab-workers.sh: the slot triggers' functions in C (0.10.0,
-- src/pg/call_slot.cpp), the declarations of sql_src/55_call_slot.sql with the library named
-- as installed.
\set slot_c `for f in _occupy_call_slot _call_leaves_flight; do awk "/^CREATE FUNCTION dialer.$f[(]/,/^AS /" sql_src/55_call_slot.sql; done | sed "s/^CREATE FUNCTION/CREATE OR REPLACE FUNCTION/; s|'MODULE_PATHNAME'|'\$libdir/pg_dialer'|"`
:slot_c
-- Why the check: a definition the command above failed to find would leave the other variant's.
DO $$
BEGIN
  IF (SELECT count(*) FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
       WHERE p.oid IN ('dialer._occupy_call_slot'::regproc, 'dialer._call_leaves_flight'::regproc)
         AND l.lanname = 'c') <> 2 THEN
    RAISE EXCEPTION 'the slot triggers are not in c: the variant did not apply';
  END IF;
END
$$;
SELECT dialer.set_campaign_stats_enabled(true);
