-- Variant for scripts/ab-workers.sh: statistics on (bench/ab/stats_on.sql) and the campaign
-- slot rows spread over more pages (campaign_slots at fillfactor 10, rewritten): whether
-- the buffer-content waits are on the slot pages (docs/queue.md, Performance).
\i bench/ab/stats_on.sql
ALTER TABLE dialer.campaign_slots SET (fillfactor = 10);
VACUUM FULL dialer.campaign_slots;
