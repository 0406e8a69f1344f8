-- Variant for scripts/ab-workers.sh: dialer.complete_call in C (0.10.0, src/pg/complete_call.cpp),
-- the declaration of sql_src/45_complete.sql with the library named as installed.
\set complete_c `awk '/^CREATE FUNCTION dialer.complete_call[(]/,/^AS /' sql_src/45_complete.sql | sed "s/^CREATE FUNCTION/CREATE OR REPLACE FUNCTION/; s|'MODULE_PATHNAME'|'\$libdir/pg_dialer'|"`
:complete_c
-- Why the check: a definition the command above failed to find would leave the other variant's.
DO $$
BEGIN
  IF (SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
       WHERE p.oid = 'dialer.complete_call'::regproc) <> 'c' THEN
    RAISE EXCEPTION 'complete_call is not in c: the variant did not apply';
  END IF;
END
$$;
SELECT dialer.set_campaign_stats_enabled(true);
