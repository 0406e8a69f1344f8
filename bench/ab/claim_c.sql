-- Variant for scripts/ab-workers.sh: dialer.claim_calls in C (0.10.0, src/pg/claim_calls.cpp),
-- the declaration of sql_src/44_claim.sql with the library named as installed.
\set claim_c `awk '/^CREATE FUNCTION dialer.claim_calls[(]/,/^AS /' sql_src/44_claim.sql | sed "s/^CREATE FUNCTION/CREATE OR REPLACE FUNCTION/; s|'MODULE_PATHNAME'|'\$libdir/pg_dialer'|"`
:claim_c
-- Why the check: a definition the command above failed to find would leave the other variant's.
DO $$
BEGIN
  IF (SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
       WHERE p.oid = 'dialer.claim_calls'::regproc) <> 'c' THEN
    RAISE EXCEPTION 'claim_calls is not in c: the variant did not apply';
  END IF;
END
$$;
SELECT dialer.set_campaign_stats_enabled(true);
