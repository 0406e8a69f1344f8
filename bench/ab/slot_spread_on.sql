-- Variant for scripts/ab-workers.sh (experiment of commit this file came with, removed after): the claim's slot take from a random slot (on; dialer.slot_spread, a temporary setting).
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET dialer.slot_spread = on', current_database()); END $$;
SELECT dialer.set_campaign_stats_enabled(true);
