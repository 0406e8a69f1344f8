-- Variant for scripts/ab-workers.sh / scripts/ab-concurrent.sh: the slot triggers of
-- dialer.calls in PL/pgSQL as released up to 0.15.0 (the trigger that frees calling
-- dialer._free_slot), from the pinned definitions; compare with bench/ab/slot_triggers_c.sql.
\ir ../../sql_upgrade/objects/dialer._free_slot/0.5.0.sql
\ir ../../sql_upgrade/objects/dialer._occupy_call_slot/0.5.0.sql
\ir ../../sql_upgrade/objects/dialer._call_leaves_flight/0.6.0.sql
SELECT dialer.set_campaign_stats_enabled(true);
