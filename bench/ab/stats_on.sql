-- Variant for scripts/ab-workers.sh: the statistics triggers on (the default).
SELECT dialer.set_campaign_stats_enabled(true);
