-- dialer.default_rule_packs remembers its answers per region and NANP area code in each
-- backend (src/pg/default_rule_packs.cpp): the answers are those of the tables, for every
-- built-in area code and for numbers of other countries, and a change of dialer.rule_packs
-- or dialer.rule_pack_area_codes is followed by the next call of the same session.
\set QUIET on
BEGIN;
SELECT plan(12);
SET LOCAL client_min_messages = warning;

-- What 0.5.0's PL/pgSQL function selected, straight from the tables.
CREATE FUNCTION pg_temp.packs_in_tables(p_phone text) RETURNS text[] LANGUAGE sql AS $$
  SELECT CASE WHEN dialer._number_region(p_phone) IS NULL THEN '{}'::text[] ELSE coalesce((
    SELECT array_agg(p.name ORDER BY p.default_scope DESC, p.name) FROM dialer.rule_packs p
     WHERE p.country = dialer._number_region(p_phone)
       AND (p.default_scope = 'country'
            OR (p.default_scope = 'area_codes' AND p_phone LIKE '+1%'
                AND EXISTS (SELECT 1 FROM dialer.rule_pack_area_codes a
                             WHERE a.rule_pack = p.name AND a.area_code = substr(p_phone, 3, 3))))),
    '{}') END
$$;
-- Numbers of every NANP area code the packs name, twice (the second answer from the
-- cache), and of other countries.
CREATE TEMP TABLE numbers AS
SELECT '+1' || a.area_code || '5550123' AS phone FROM dialer.rule_pack_area_codes a
UNION ALL SELECT n FROM unnest(ARRAY['+12125550123', '+14165550123', '+33612345678', '+442079460018',
                                     '+4915112345678', '+81312345678', '+19999999999']) n;

SELECT is((SELECT count(*) FROM numbers n, generate_series(1, 2)
            WHERE dialer.default_rule_packs(n.phone) IS DISTINCT FROM pg_temp.packs_in_tables(n.phone)),
          0::bigint, 'every built-in area code and other countries: the tables'' answer, first and cached');
SELECT cmp_ok((SELECT count(DISTINCT dialer.default_rule_packs(n.phone)) FROM numbers n), '>=', 6::bigint,
              '... among many different answers');
SELECT is(dialer.default_rule_packs(NULL), '{}', 'a NULL number gets no pack');
SELECT is(dialer.default_rule_packs('+19999999999'), '{}', 'an invalid number gets no pack');
SELECT is(dialer.default_rule_packs('+4915112345678'), '{}', 'a German number gets none (no German pack)');

-- ---- changes are followed by the next call ----------------------------------------------
SELECT is(dialer.default_rule_packs('+15125550100'), '{us_federal}', 'Austin: the federal pack only');
INSERT INTO dialer.rule_packs (name, title, country, default_scope) VALUES ('us_tx_demo', 'Texas (demo)', 'US', 'area_codes');
SELECT is(dialer.default_rule_packs('+15125550100'), '{us_federal}', 'a new pack without area codes changes nothing');
INSERT INTO dialer.rule_pack_area_codes (rule_pack, area_code) VALUES ('us_tx_demo', '512');
SELECT is(dialer.default_rule_packs('+15125550100'), '{us_federal,us_tx_demo}',
          'an area code added to it: the next call gets the pack');
SELECT is(dialer.default_rule_packs('+13055550100'), '{us_federal,us_fl}', '... and other area codes do not');
DELETE FROM dialer.rule_pack_area_codes WHERE rule_pack = 'us_tx_demo';
SELECT is(dialer.default_rule_packs('+15125550100'), '{us_federal}', 'the area code removed: the pack is gone');
INSERT INTO dialer.rule_packs (name, title, country, default_scope) VALUES ('de_demo', 'Germany (demo)', 'DE', 'none');
SELECT is(dialer.default_rule_packs('+4915112345678'), '{}', 'a German pack that is no default: none');
UPDATE dialer.rule_packs SET default_scope = 'country' WHERE name = 'de_demo';
SELECT is(dialer.default_rule_packs('+4915112345678'), '{de_demo}', 'made the country''s default: the next call gets it');

SELECT * FROM finish();
ROLLBACK;
