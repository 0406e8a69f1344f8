-- Variant for scripts/ab-workers.sh: dialer.complete_call as PL/pgSQL, the definition shipped
-- from 0.6.0 to 0.9.0 (pinned in sql_upgrade/objects/; psql runs the backquoted command in the
-- checkout's top directory, where scripts/ab-workers.sh runs).
\set complete_plpgsql `cat sql_upgrade/objects/dialer.complete_call/0.6.0.sql`
:complete_plpgsql
-- Why the check: a definition the command above failed to find would leave the other variant's.
DO $$
BEGIN
  IF (SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
       WHERE p.oid = 'dialer.complete_call'::regproc) <> 'plpgsql' THEN
    RAISE EXCEPTION 'complete_call is not in plpgsql: the variant did not apply';
  END IF;
END
$$;
SELECT dialer.set_campaign_stats_enabled(true);
