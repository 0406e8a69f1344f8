-- Variant for scripts/ab-workers.sh: dialer.default_rule_packs in C, remembered per region and
-- NANP area code in each backend (0.6.0, src/pg/default_rule_packs.cpp).
CREATE OR REPLACE FUNCTION dialer.default_rule_packs(p_phone text)
RETURNS text[]
LANGUAGE c STABLE PARALLEL SAFE
AS '$libdir/pg_dialer', 'dialer_default_rule_packs';
SELECT dialer.set_campaign_stats_enabled(true);
