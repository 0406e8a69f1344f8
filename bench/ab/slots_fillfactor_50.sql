-- Variant for scripts/ab-workers.sh: statistics on (bench/ab/stats_on.sql) and campaign_slots
-- at its released fillfactor (50), rewritten: the baseline of slots_fillfactor_10.sql.
\i bench/ab/stats_on.sql
ALTER TABLE dialer.campaign_slots SET (fillfactor = 50);
VACUUM FULL dialer.campaign_slots;
