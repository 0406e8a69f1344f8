-- Variant for scripts/ab-workers.sh: dialer.default_rule_packs as 0.5.0 shipped it (PL/pgSQL, an
-- SPI query of dialer.rule_packs and dialer.rule_pack_area_codes per call).
CREATE OR REPLACE FUNCTION dialer.default_rule_packs(p_phone text)
RETURNS text[]
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
  v_region text := dialer._number_region(p_phone);
BEGIN
  IF v_region IS NULL THEN
    RETURN '{}';
  END IF;
  -- Country-wide packs first (us_federal before a state's), then by name.
  RETURN coalesce((
    SELECT array_agg(p.name ORDER BY p.default_scope DESC, p.name) FROM dialer.rule_packs p
     WHERE p.country = v_region
       AND (p.default_scope = 'country'
            OR (p.default_scope = 'area_codes' AND p_phone LIKE '+1%'
                AND EXISTS (SELECT 1 FROM dialer.rule_pack_area_codes a
                             WHERE a.rule_pack = p.name AND a.area_code = substr(p_phone, 3, 3))))),
    '{}');
END
$$;
SELECT dialer.set_campaign_stats_enabled(true);
