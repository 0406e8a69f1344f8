-- Variant for scripts/ab-workers.sh: the statistics triggers on (the default), counter
-- tables with their released fillfactors (50, 70, 50), rewritten so earlier runs' bloat
-- does not carry over.
ALTER TABLE dialer.campaign_call_stats SET (fillfactor = 50);
ALTER TABLE dialer.campaign_call_buckets SET (fillfactor = 70);
ALTER TABLE dialer.campaign_lead_stats SET (fillfactor = 50);
VACUUM FULL dialer.campaign_call_stats, dialer.campaign_call_buckets, dialer.campaign_lead_stats;
SELECT dialer.set_campaign_stats_enabled(true);
