-- Variant for scripts/ab-workers.sh: the two helpers every decision and queue call asks, as 0.5.0
-- shipped them (PL/pgSQL, a query each): dialer.default_rule_packs and dialer._caller_bypasses_rls.
\i bench/ab/default_packs_plpgsql.sql
\i bench/ab/caller_bypasses_sql.sql
