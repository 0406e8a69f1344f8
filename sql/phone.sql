-- Phone numbers: E.164 answers for messy input, and the exact error texts for
-- hostile input (empty, blank, very long, punctuation only, letters, SQL
-- metacharacters, unknown regions, NULLs). Leaves no state behind.
SELECT input, region, dialer.e164(input, region)
  FROM (VALUES ('(415) 555-2671', 'US'), ('415.555.2671', 'us'), ('+1-800-FLOWERS', NULL),
               ('tel:+33 1 42 68 53 00', NULL), ('0044 20 7946 0958', 'DE'),
               ('011 44 20 7946 0958', 'US'), ('020 7946 0958', 'GB'),
               ('030 123456 ext. 12', 'DE'), ('+1 650 253 0000 x 123', NULL),
               ('＋１ ６５０ ２５３ ００００', NULL), ('Tel: (650) 253-0000.', 'US'),
               ('+49 (0)30 123456', ''), ('☎ +44 20 7946 0958', NULL)) AS t(input, region);
-- try_e164: NULL instead of an error for bad numbers.
SELECT left(input, 20) AS input, length(input), region, dialer.try_e164(input, region)
  FROM (VALUES ('+1 650 253 0000', NULL), ('415 555 2671', NULL), ('+1 555 555 0100', NULL),
               ('', 'US'), ('not a number', 'US'), (repeat('9', 301), 'US')) AS t(input, region);
-- NULLs: a NULL phone gives NULL; a NULL region means international input only.
SELECT dialer.e164(NULL, 'US') IS NULL AS null_phone, dialer.e164(NULL, NULL) IS NULL AS both_null,
       dialer.try_e164(NULL, NULL) IS NULL AS try_null, dialer.e164('+14155552671', NULL) AS null_region,
       dialer.phone_info(NULL, 'US') IS NULL AS info_null,
       dialer.phone_timezones(NULL, NULL) IS NULL AS zones_null,
       dialer.e164_default(NULL) IS NULL AS default_null;
-- Hostile inputs, one pinned error each.
SELECT dialer.e164('', 'US');
SELECT dialer.e164('', NULL);
SELECT dialer.e164('   ', 'US');
SELECT dialer.e164(repeat('9', 301), 'US');
SELECT dialer.e164(repeat(' ', 240) || '+1 650 253 0000', 'US');
SELECT dialer.try_e164(repeat('1', 1000000), 'US') IS NULL AS megabyte_refused_at_once,
       dialer.phone_info(repeat('1-', 100000), 'US') ->> 'reason' AS reason;
SELECT dialer.e164(repeat('ab', 200), 'GB');
SELECT dialer.e164('()-./ +', 'US');
SELECT dialer.e164('CALL ME MAYBE', 'US');
SELECT dialer.e164('''; DROP TABLE dialer.contacts; --', 'US');
SELECT dialer.e164('1'' OR ''1''=''1', 'US');
SELECT dialer.e164(E'+1 650\n253 0000\t--', 'US');
SELECT dialer.e164('415 555 2671', NULL);
SELECT dialer.e164('+999 1234 5678', NULL);
SELECT dialer.e164('011 1', 'US');
SELECT dialer.e164('+44 20 7946 0958 12345', NULL);
SELECT dialer.e164('253 0000', 'US');
SELECT dialer.e164('+1 555 555 0100', NULL);
SELECT dialer.e164('+1 650 253 0000', 'XX');
SELECT dialer.e164('+1 650 253 0000', 'UK');
SELECT dialer.try_e164('+1 650 253 0000', 'usa');
SELECT dialer.try_e164('+1 650 253 0000', '001');
SELECT dialer.phone_info('+1 650 253 0000', 'ZZ');
SELECT dialer.phone_timezones('+1 650 253', NULL);
-- The default-region forms read dialer.default_region; bad values are refused when set.
BEGIN;
SELECT dialer.try_e164_default('020 7946 0958') AS no_default_region;
SET LOCAL dialer.default_region = 'gb';
SELECT dialer.e164_default('020 7946 0958'), dialer.try_e164_default('020 7946') AS too_short;
SELECT dialer.e164_default('020 7946');
ROLLBACK;
SET dialer.default_region = 'UK';
SET dialer.default_region = 'United States';
SELECT current_setting('dialer.default_region') = '' AS still_unset;
-- phone_info: every fact, never an error for a bad number.
SELECT jsonb_pretty(dialer.phone_info('+1 650-253-0000 ext. 42', NULL));
SELECT jsonb_pretty(dialer.phone_info('911', 'US'));
SELECT p ->> 'reason' AS reason, p ->> 'type' AS type, (p ->> 'safe_to_dial')::boolean AS safe
  FROM (VALUES ('+1 900 234 5678'), ('+44 7911 123456'), ('+1 555 555 0100'), ('112'), ('garbage'))
       AS t(input), dialer.phone_info(input, 'DE') AS p;
-- Time zones: most specific prefix, all candidates, single-zone regions from tzdata.
SELECT input, dialer.phone_timezones(input, NULL)
  FROM (VALUES ('+1 208 200 1234'), ('+1 208 231 1234'), ('+1 212 555 0100'), ('+44 20 7946 0958'),
               ('+61 2 9374 4000'), ('+1 876 555 1234'), ('+800 1234 5678')) AS t(input);
SELECT cardinality(dialer.phone_timezones('+1 800 555 0100', NULL)) AS toll_free_candidates;
-- Area-code precision (the scheduler's default): every zone under the NANP area code.
SELECT input, dialer.phone_timezones(input, NULL) AS exchange, dialer.phone_area_timezones(input, NULL) AS area_code
  FROM (VALUES ('+1 270 200 1234'), ('+1 850 200 1234'), ('+1 212 555 0100'), ('+44 20 7946 0958')) AS t(input);
SELECT dialer.phone_area_timezones(NULL, NULL) IS NULL AS null_phone,
       cardinality(dialer.phone_area_timezones('+1 800 555 0100', NULL)) AS toll_free_candidates;
SELECT dialer.phone_area_timezones('12', NULL);
-- The domain holds canonical valid E.164 only.
SELECT '+14155552671'::dialer.phone_e164 AS ok;
SELECT '+1 415 555 2671'::dialer.phone_e164;
SELECT '+15555550100'::dialer.phone_e164;
SELECT dialer.phone_library_version() ~ '^[0-9.]+ \(metadata [0-9a-f]{16}\)$' AS version_shape;
-- Volatility and strictness as declared.
SELECT p.oid::regprocedure, p.provolatile, p.proisstrict, p.proparallel
  FROM pg_proc p WHERE p.pronamespace = 'dialer'::regnamespace
   AND p.proname IN ('e164', 'try_e164', 'e164_default', 'try_e164_default', 'phone_info',
                     'phone_timezones', 'phone_area_timezones', 'phone_library_version', 'phone_e164_check')
 ORDER BY 1::text;
