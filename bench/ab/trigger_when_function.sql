-- Variant for scripts/ab-workers.sh: the slot triggers' WHEN clauses as 0.6.0 wrote them,
-- calling dialer.call_in_flight (an SQL function PostgreSQL inlines, parsing its body, in
-- every statement that fires them).
DROP TRIGGER dialer_occupy_call_slot ON dialer.calls;
\ir ../../sql_upgrade/objects/create_trigger_dialer_occupy_call_slot/0.6.0.sql
DROP TRIGGER dialer_call_leaves_flight ON dialer.calls;
\ir ../../sql_upgrade/objects/create_trigger_dialer_call_leaves_flight/0.6.0.sql
SELECT dialer.set_campaign_stats_enabled(true);
