-- Variant for scripts/ab-workers.sh: the statistics triggers on, every counter table at
-- fillfactor 10 (each shard's row on fewer shared pages). Tried on 2 Dec 2026: no gain
-- (docs/stats.md).
ALTER TABLE dialer.campaign_call_stats SET (fillfactor = 10);
ALTER TABLE dialer.campaign_call_buckets SET (fillfactor = 10);
ALTER TABLE dialer.campaign_lead_stats SET (fillfactor = 10);
VACUUM FULL dialer.campaign_call_stats, dialer.campaign_call_buckets, dialer.campaign_lead_stats;
SELECT dialer.set_campaign_stats_enabled(true);
