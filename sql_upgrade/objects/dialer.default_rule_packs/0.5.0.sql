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
COMMENT ON FUNCTION dialer.default_rule_packs(text) IS
  'The rule packs for a number when its campaign names none: the packs of its country with '
  'default_scope country, and for a NANP number those of its area code (dialer.rule_pack_area_codes): '
  'US numbers us_federal plus their state''s, French fr, UK uk; {} for a country without packs '
  '(its calls obey the campaign''s and contact''s windows only).';
