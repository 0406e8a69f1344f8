-- Variant for scripts/ab-workers.sh: the slot triggers' functions as PL/pgSQL, the definitions
-- shipped up to 0.9.0 (pinned in sql_upgrade/objects/; psql runs the backquoted command in the
-- checkout's top directory, where scripts/ab-workers.sh runs).
\set slot_plpgsql `cat sql_upgrade/objects/dialer._free_slot/0.5.0.sql sql_upgrade/objects/dialer._occupy_call_slot/0.5.0.sql sql_upgrade/objects/dialer._call_leaves_flight/0.6.0.sql`
:slot_plpgsql
-- Why the check: a definition the command above failed to find would leave the other variant's.
DO $$
BEGIN
  IF (SELECT count(*) FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
       WHERE p.oid IN ('dialer._occupy_call_slot'::regproc, 'dialer._call_leaves_flight'::regproc)
         AND l.lanname = 'plpgsql') <> 2 THEN
    RAISE EXCEPTION 'the slot triggers are not in plpgsql: the variant did not apply';
  END IF;
END
$$;
SELECT dialer.set_campaign_stats_enabled(true);
