-- Variant for scripts/ab-workers.sh: dialer.claim_calls as PL/pgSQL, the definition shipped
-- from 0.8.0 to 0.9.0 (pinned in sql_upgrade/objects/; psql runs the backquoted command in the
-- checkout's top directory, where scripts/ab-workers.sh runs).
\set claim_plpgsql `cat sql_upgrade/objects/dialer.claim_calls/0.8.0.sql`
:claim_plpgsql
-- Why the check: a definition the command above failed to find would leave the other variant's.
DO $$
BEGIN
  IF (SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
       WHERE p.oid = 'dialer.claim_calls'::regproc) <> 'plpgsql' THEN
    RAISE EXCEPTION 'claim_calls is not in plpgsql: the variant did not apply';
  END IF;
END
$$;
SELECT dialer.set_campaign_stats_enabled(true);
