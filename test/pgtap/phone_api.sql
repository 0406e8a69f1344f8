-- The phone functions as PostgREST and SQL users meet them: one function per name
-- (no overloads), read-only requests, 22023 -> HTTP 400 with message, details and
-- hint, JSON shapes; the GUC refuses unknown regions; the domain refuses
-- non-canonical text; volatility as declared.
BEGIN;
SELECT plan(22);

-- Grants come from the API grants registry (sql_src/25_grants.sql): authenticated
-- may run the phone functions, anon may not.
SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'dialer'::regnamespace
             AND proname IN ('e164', 'try_e164', 'e164_default', 'try_e164_default', 'phone_info',
                             'phone_timezones', 'phone_library_version')),
          7::bigint, 'one function per name: PostgREST never sees an overload');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.e164',
            '{"phone": "(415) 555-2671", "region": "US"}', 'authenticated'),
          '{"status": 200, "body": "+14155552671"}', 'POST e164 returns the E.164 text');
SELECT is(test_helpers.postgrest_request('GET', 'dialer.e164',
            '{"phone": "+44 20 7946 0958", "region": null}', 'authenticated'),
          '{"status": 200, "body": "+442079460958"}', 'GET works (IMMUTABLE: a read-only request)');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.try_e164',
            '{"phone": "not a number", "region": "US"}', 'authenticated'),
          '{"status": 200, "body": null}', 'try_e164 answers null for a bad number');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.e164',
            '{"phone": "415 555", "region": "US"}', 'authenticated'),
          jsonb_build_object('status', 400, 'body', jsonb_build_object(
            'code', '22023', 'message', 'invalid phone number "415 555" for region US',
            'details', 'Reason: too_short. The number is shorter than any number of its country.',
            'hint', 'Check the digits and the region; dialer.phone_info() shows how the input was read, '
                    'and dialer.try_e164() returns NULL instead of raising.')),
          'an invalid number is HTTP 400 with code, message, details and hint');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.e164',
            '{"phone": "+1 650 253 0000", "region": "UK"}', 'authenticated') #>> '{body,hint}',
          'The United Kingdom is ''GB''.', 'an unknown region is HTTP 400 with a hint naming GB');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.e164', '{"phone": "+1 650 253 0000"}',
            'authenticated') #>> '{body,code}', 'PGRST202',
          'region is required, as in PostgREST (send null for international-only input)');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.phone_info',
            '{"phone": "+1 650 253 0000 ext. 7", "region": null}', 'authenticated')
            #>> '{body,extension}', '7', 'phone_info answers a JSON object');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.phone_timezones',
            '{"phone": "+1 208 200 1234", "region": null}', 'authenticated') -> 'body',
          '["America/Boise", "America/Los_Angeles"]', 'phone_timezones answers a JSON array');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.e164_default', '{"phone": "+33 1 42 68 53 00"}',
            'authenticated'),
          '{"status": 200, "body": "+33142685300"}', 'e164_default is callable by its own name');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.try_e164',
            '{"phone": "+1 650 253 0000", "region": null}', 'anon') -> 'status',
          '401', 'anon has no access to the phone functions');

-- GUC dialer.default_region.
SELECT throws_ok($$SELECT set_config('dialer.default_region', 'XX', true)$$, '22023',
                 'unknown region code "XX" for dialer.default_region', 'the GUC refuses unknown regions');
SELECT lives_ok($$SELECT set_config('dialer.default_region', 'fr', true)$$, 'the GUC takes any case');
SELECT is(dialer.e164_default('01 42 68 53 00'), '+33142685300', 'e164_default reads the GUC');
SELECT is(dialer.try_e164_default('01 42'), NULL, 'try_e164_default gives NULL for a bad number');
SELECT lives_ok($$SELECT set_config('dialer.default_region', '', true)$$, 'an empty GUC is allowed');
SELECT throws_ok($$SELECT dialer.e164_default('01 42 68 53 00')$$, '22023',
                 'invalid phone number "01 42 68 53 00" without a region',
                 'with the GUC empty, national numbers need a region');

-- The domain.
CREATE TEMP TABLE phone_domain_probe (phone dialer.phone_e164) ON COMMIT DROP;
SELECT lives_ok($$INSERT INTO phone_domain_probe VALUES ('+14155552671')$$, 'canonical E.164 is accepted');
SELECT throws_ok($$INSERT INTO phone_domain_probe VALUES ('+1 415 555 2671')$$, '23514', NULL,
                 'non-canonical text is refused');
SELECT throws_ok($$INSERT INTO phone_domain_probe VALUES ('+15555550100')$$, '23514', NULL,
                 'a canonical-looking but invalid number is refused');

-- Volatility: pure functions IMMUTABLE, GUC readers STABLE.
SELECT volatility_is('dialer', 'e164', ARRAY['text', 'text'], 'immutable', 'e164 is IMMUTABLE');
SELECT volatility_is('dialer', 'e164_default', ARRAY['text'], 'stable', 'e164_default is STABLE');

SELECT * FROM finish();
ROLLBACK;
