-- Variant for scripts/ab-workers.sh: claim_calls and complete_call both in C (0.10.0).
\ir claim_c.sql
\ir complete_c.sql
