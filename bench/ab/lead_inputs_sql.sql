-- Variant for scripts/ab-workers.sh: the schedule inputs read by 0.6.0's inlined SQL query
-- (eight relations joined and aggregated per decision).
\i sql_upgrade/objects/dialer._lead_schedule_inputs/0.6.0.sql
