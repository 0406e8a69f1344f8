-- Variant for scripts/ab-workers.sh: the slot freed as up to 0.5.0, by complete_call itself
-- (0.5.0's completion, pinned in sql_upgrade/objects/), without the trigger
-- dialer_call_leaves_flight. What bench/ab/queue_slot_by_trigger.sql is measured against.
DROP TRIGGER IF EXISTS dialer_call_leaves_flight ON dialer.calls;
\i sql_upgrade/objects/dialer.complete_call/0.5.0.sql
SELECT dialer.set_campaign_stats_enabled(true);
