-- The SQL functions against libphonenumber's own Parse + IsValidNumber +
-- Format(E164), through SQL: 24,000 messy inputs generated from valid numbers of
-- 30 regions (national, international, IDD, punctuation, letters, extensions,
-- tel: URIs, truncated and overlong numbers, garbage), read in their own region,
-- in none and in a foreign one. try_e164 and e164 must agree on every row.
BEGIN;
SELECT plan(7);

-- libphonenumber's straightforward path, only for this comparison.
CREATE FUNCTION pg_temp.lpn_e164(phone text, region text) RETURNS text
  LANGUAGE c IMMUTABLE AS 'pg_dialer', 'pg_dialer_phone_reference_e164';
-- dialer.e164's answer, or the SQLSTATE it raised.
CREATE FUNCTION pg_temp.e164_or_sqlstate(phone text, region text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  RETURN dialer.e164(phone, region);
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR ' || SQLSTATE;
END $$;

CREATE TEMP TABLE seed (region text, e164 text) ON COMMIT DROP;
INSERT INTO seed VALUES
  ('US', '+12015550123'), ('US', '+16502530000'), ('CA', '+15062345678'), ('CA', '+14165550123'),
  ('GB', '+447400123456'), ('GB', '+441212345678'), ('DE', '+4915123456789'), ('DE', '+4930123456'),
  ('FR', '+33612345678'), ('FR', '+33123456789'), ('IT', '+393123456789'), ('IT', '+390212345678'),
  ('ES', '+34612345678'), ('ES', '+34810123456'), ('NL', '+31612345678'), ('NL', '+31101234567'),
  ('BE', '+32470123456'), ('BE', '+3212345678'), ('CH', '+41781234567'), ('CH', '+41212345678'),
  ('AT', '+43664123456'), ('AT', '+431234567890'), ('SE', '+46701234567'), ('SE', '+468123456'),
  ('NO', '+4740612345'), ('NO', '+4721234567'), ('PL', '+48512345678'), ('PL', '+48123456789'),
  ('IE', '+353850123456'), ('IE', '+3532212345'), ('PT', '+351912345678'), ('PT', '+351212345678'),
  ('BR', '+5511961234567'), ('BR', '+551123456789'), ('AR', '+5491123456789'), ('AR', '+541123456789'),
  ('MX', '+522221234567'), ('MX', '+522001234567'), ('CO', '+573211234567'), ('CO', '+576012345678'),
  ('IN', '+918123456789'), ('IN', '+917410410123'), ('CN', '+8613123456789'), ('CN', '+861012345678'),
  ('JP', '+819012345678'), ('JP', '+81312345678'), ('KR', '+821020000000'), ('KR', '+8222123456'),
  ('AU', '+61412345678'), ('AU', '+61212345678'), ('NZ', '+64211234567'), ('NZ', '+6432345678'),
  ('ZA', '+27711234567'), ('ZA', '+27101234567'), ('NG', '+2348021234567'), ('NG', '+23418040123'),
  ('RU', '+79123456789'), ('RU', '+73011234567'), ('SG', '+6581234567'), ('SG', '+6561234567');

SELECT setseed(0.3);
CREATE TEMP TABLE messy ON COMMIT DROP AS
WITH variant AS (
  SELECT s.region, left(s.e164, -4) || lpad(floor(random() * 10000)::int::text, 4, '0') AS e164,
         random() AS style, random() AS pick, random() AS extra
    FROM seed s, generate_series(1, 400)
), facts AS (
  SELECT v.*, dialer.phone_info(v.e164, NULL) AS p FROM variant v
), written AS (
  SELECT region, pick, CASE
    WHEN style < 0.18 THEN coalesce(p ->> 'national_format', e164)
    WHEN style < 0.30 THEN coalesce(p ->> 'international_format', e164)
    WHEN style < 0.38 THEN e164
    WHEN style < 0.46 THEN '00' || substr(e164, 2)
    WHEN style < 0.50 THEN '011 ' || substr(e164, 2)
    WHEN style < 0.58 THEN translate(coalesce(p ->> 'national_format', e164), ' ', '.')
    WHEN style < 0.63 THEN coalesce(p ->> 'international_format', e164)
                           || (ARRAY[' ext. ', ' x', ' #', ';ext=', ' ,, '])[1 + floor(extra * 5)::int]
                           || (1 + floor(extra * 9999))::int
    WHEN style < 0.68 THEN left(coalesce(p ->> 'national_format', e164), -4)
                           || translate(right(coalesce(p ->> 'national_format', e164), 4), '23456789', 'ADGJmptw')
    WHEN style < 0.72 THEN 'tel:' || replace(coalesce(p ->> 'international_format', e164), ' ', '-')
    WHEN style < 0.76 THEN 'Tel: (' || coalesce(p ->> 'national_format', e164) || ').'
    WHEN style < 0.84 THEN left(e164, -1 - floor(extra * 4)::int)
    WHEN style < 0.90 THEN e164 || floor(extra * 100)::int
    WHEN style < 0.94 THEN translate(e164, '0123456789', '０１２３４５６７８９')
    ELSE (ARRAY['', ' ', 'n/a', '()', '+', '12', '911', '+999 123 456', 'CALL ME', '--'])[1 + floor(extra * 10)::int]
  END AS input
  FROM facts
)
SELECT input,
       CASE WHEN pick < 0.70 THEN region
            WHEN pick < 0.85 THEN NULL
            ELSE (SELECT s.region FROM seed s ORDER BY s.e164 OFFSET floor(pick * 60)::int % 60 LIMIT 1)
       END AS region
  FROM written;

CREATE TEMP TABLE verdict ON COMMIT DROP AS
SELECT input, region, pg_temp.lpn_e164(input, region) AS want, dialer.try_e164(input, region) AS got,
       pg_temp.e164_or_sqlstate(input, region) AS raised
  FROM messy;

SELECT cmp_ok((SELECT count(*) FROM verdict), '>=', 24000::bigint, 'at least 24,000 generated inputs');
SELECT cmp_ok((SELECT count(DISTINCT region) FROM verdict), '>=', 25::bigint, 'from at least 25 regions');
SELECT ok((SELECT count(want) BETWEEN count(*) * 0.3 AND count(*) * 0.9 FROM verdict),
          'the corpus holds both valid and invalid numbers');
SELECT is((SELECT count(*) FROM verdict WHERE got IS DISTINCT FROM want), 0::bigint,
          'try_e164 agrees with libphonenumber on every input');
SELECT is((SELECT count(*) FROM verdict WHERE raised <> coalesce(want, 'ERROR 22023')), 0::bigint,
          'e164 returns libphonenumber''s E.164, or raises 22023 exactly when it finds no valid number');
SELECT is((SELECT count(*) FROM verdict WHERE want IS NOT NULL AND NOT dialer.phone_e164_check(want)),
          0::bigint, 'every E.164 answer is accepted by the phone_e164 domain check');
SELECT is((SELECT count(*) FROM verdict v WHERE v.want IS NOT NULL
             AND dialer.try_e164(v.want, NULL) IS DISTINCT FROM v.want), 0::bigint,
          'normalising an E.164 answer again gives it back unchanged');

SELECT * FROM finish();
ROLLBACK;
