-- Variant for scripts/ab-workers.sh: the slot freed by the trigger dialer_call_leaves_flight
-- (0.6.0), with this release's complete_call assembled from sql_src/ again.
\! mkdir -p build && printf -- '-- @function sql_src/45_complete.sql dialer.complete_call\n' | awk -f tools/assemble_sql.awk > build/ab_complete_call.sql
\i build/ab_complete_call.sql
DROP TRIGGER IF EXISTS dialer_call_leaves_flight ON dialer.calls;
\! printf -- '-- @statement sql_src/55_call_slot.sql CREATE TRIGGER dialer_call_leaves_flight\n' | awk -f tools/assemble_sql.awk > build/ab_leaves_flight.sql
\i build/ab_leaves_flight.sql
SELECT dialer.set_campaign_stats_enabled(true);
