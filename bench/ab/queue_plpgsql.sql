-- Variant for scripts/ab-workers.sh: claim_calls and complete_call both as PL/pgSQL (0.9.0).
\ir claim_plpgsql.sql
\ir complete_plpgsql.sql
