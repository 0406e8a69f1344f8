-- Variant for scripts/ab-workers.sh: the statistics triggers off.
SELECT dialer.set_campaign_stats_enabled(false);
