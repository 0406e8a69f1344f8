-- Variant for scripts/ab-workers.sh: dialer._caller_bypasses_rls in C, from the role cache
-- (0.6.0, src/pg/caller.cpp).
CREATE OR REPLACE FUNCTION dialer._caller_bypasses_rls()
RETURNS boolean
LANGUAGE c STABLE
AS '$libdir/pg_dialer', 'dialer_caller_bypasses_rls';
SELECT dialer.set_campaign_stats_enabled(true);
