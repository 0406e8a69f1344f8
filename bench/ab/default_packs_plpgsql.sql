-- Variant for scripts/ab-workers.sh: dialer.default_rule_packs as 0.5.0 shipped it (PL/pgSQL, an
-- SPI query of dialer.rule_packs and dialer.rule_pack_area_codes per call): its pinned definition.
\i sql_upgrade/objects/dialer.default_rule_packs/0.5.0.sql
SELECT dialer.set_campaign_stats_enabled(true);
