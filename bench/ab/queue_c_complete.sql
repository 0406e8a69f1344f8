-- Variant for scripts/ab-workers.sh: claim_calls as PL/pgSQL (0.9.0), complete_call in C.
\ir claim_plpgsql.sql
\ir complete_c.sql
