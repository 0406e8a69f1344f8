-- The single-column CHECKs of leads and calls as domains of their columns (0.18.0,
-- sql_src/21_model.sql says why): the tables keep only their checks over several columns,
-- each changed column has its domain, and every value a CHECK refused is still refused, by
-- INSERT and by UPDATE, with 23514 naming the domain; the values it took are still taken.
BEGIN;
\i test/helpers/queue_fixture.sql
\set QUIET on
SELECT plan(35);

SELECT is((SELECT array_agg(conname ORDER BY conname) FROM pg_constraint
            WHERE conrelid = 'dialer.calls'::regclass AND contype = 'c'),
          ARRAY['calls_outbound_has_lead', 'calls_time_order']::name[],
          'calls keeps only its CHECKs over several columns');
SELECT is((SELECT count(*) FROM pg_constraint WHERE conrelid = 'dialer.leads'::regclass AND contype = 'c'),
          0::bigint, 'leads has no CHECK of its own');
SELECT col_type_is('dialer', 'calls', 'phone', 'dialer', 'e164_format', 'calls.phone is dialer.e164_format');
SELECT col_type_is('dialer', 'calls', 'caller_id', 'dialer', 'e164_format', 'calls.caller_id is dialer.e164_format');
SELECT col_type_is('dialer', 'calls', 'attempt_number', 'dialer', 'attempt_number',
                   'calls.attempt_number is dialer.attempt_number');
SELECT col_type_is('dialer', 'calls', 'provider', 'dialer', 'provider_name', 'calls.provider is dialer.provider_name');
SELECT col_type_is('dialer', 'calls', 'duration_seconds', 'dialer', 'non_negative_integer',
                   'calls.duration_seconds is dialer.non_negative_integer');
SELECT col_type_is('dialer', 'calls', 'cost', 'dialer', 'call_cost', 'calls.cost is dialer.call_cost');
SELECT col_type_is('dialer', 'calls', 'metadata', 'dialer', 'json_object', 'calls.metadata is dialer.json_object');
SELECT col_type_is('dialer', 'leads', 'attempts', 'dialer', 'non_negative_integer',
                   'leads.attempts is dialer.non_negative_integer');
SELECT col_type_is('dialer', 'leads', 'custom_fields', 'dialer', 'json_object', 'leads.custom_fields is dialer.json_object');

-- A call and a lead to change.
CREATE TEMP TABLE probe AS
SELECT l.id AS lead, l.phone, gen_random_uuid() AS call
  FROM dialer.leads l WHERE l.campaign_id = 'cccccccc-0000-0000-0000-0000000000c1' ORDER BY l.phone LIMIT 1;
INSERT INTO dialer.calls (tenant_id, id, campaign_id, lead_id, phone, status, provider, cost, duration_seconds)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', call, 'cccccccc-0000-0000-0000-0000000000c1', lead, phone,
       'completed', 'twilio', 0.012, 31
  FROM probe;
SELECT is((SELECT (attempt_number::integer, metadata::jsonb, cost::numeric, duration_seconds::integer)::text
             FROM dialer.calls WHERE id = (SELECT call FROM probe)),
          '(1,{},0.012000,31)', 'a call takes valid values and the defaults (attempt 1, metadata {})');

-- Refused by INSERT: a value outside the column's domain, 23514 naming the domain.
SELECT throws_ok(format($$INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status)
                          VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c1',
                                  %L, '2125550100', 'completed')$$, (SELECT lead FROM probe)),
                 '23514', 'value for domain dialer.e164_format violates check constraint "e164_format_check"',
                 'INSERT: a phone not in E.164 form is refused (23514, naming the domain)');
SELECT throws_ok(format($$INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number)
                          VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c1',
                                  %L, '+12125550100', 'completed', 0)$$, (SELECT lead FROM probe)),
                 '23514', 'value for domain dialer.attempt_number violates check constraint "attempt_number_check"',
                 'INSERT: attempt number 0 is refused');

-- Refused by UPDATE, column by column.
CREATE FUNCTION pg_temp.refused(p_set text, p_domain text, p_what text) RETURNS text LANGUAGE sql AS $$
  SELECT throws_ok(format('UPDATE dialer.calls SET %s WHERE id = %L', p_set, (SELECT call FROM probe)),
                   '23514', format('value for domain dialer.%s violates check constraint "%s_check"', p_domain, p_domain),
                   'UPDATE: ' || p_what)
$$;
SELECT pg_temp.refused($$phone = '+0123456789'$$, 'e164_format', 'a phone starting +0 is refused');
SELECT pg_temp.refused($$phone = '+1234567890123456'$$, 'e164_format', 'a phone of 16 digits is refused');
SELECT pg_temp.refused($$caller_id = '+1 212 555 0100'$$, 'e164_format', 'a caller id with spaces is refused');
SELECT pg_temp.refused($$attempt_number = -1$$, 'attempt_number', 'attempt number -1 is refused');
SELECT pg_temp.refused($$provider = 'Twilio'$$, 'provider_name', 'an upper-case provider is refused');
SELECT pg_temp.refused($$provider = '1x'$$, 'provider_name', 'a provider starting with a digit is refused');
SELECT pg_temp.refused($$duration_seconds = -1$$, 'non_negative_integer', 'a negative duration is refused');
SELECT pg_temp.refused($$cost = -0.000001$$, 'call_cost', 'a negative cost is refused');
SELECT pg_temp.refused($$cost = 'NaN'$$, 'call_cost', 'a NaN cost is refused');
SELECT pg_temp.refused($$metadata = '[]'$$, 'json_object', 'metadata that is an array is refused');
SELECT pg_temp.refused($$metadata = 'null'$$, 'json_object', 'metadata that is JSON null is refused');
SELECT throws_ok(format($$UPDATE dialer.leads SET attempts = -1 WHERE id = %L$$, (SELECT lead FROM probe)),
                 '23514', 'value for domain dialer.non_negative_integer violates check constraint "non_negative_integer_check"',
                 'UPDATE: a negative lead attempt count is refused');
SELECT throws_ok(format($$UPDATE dialer.leads SET custom_fields = '"x"' WHERE id = %L$$, (SELECT lead FROM probe)),
                 '23514', 'value for domain dialer.json_object violates check constraint "json_object_check"',
                 'UPDATE: custom fields that are a JSON string are refused');

-- Still taken: the edges of each domain.
SELECT lives_ok(format($$UPDATE dialer.calls
                           SET phone = '+1234567', caller_id = '+123456789012345', provider = 'a1_b',
                               attempt_number = 1, duration_seconds = 0, cost = 0, metadata = '{"a": [1]}'
                         WHERE id = %L$$, (SELECT call FROM probe)),
                'UPDATE: 7 and 15 digits, a provider a1_b, attempt 1, 0 s, cost 0 and an object are taken');
SELECT lives_ok(format($$UPDATE dialer.calls SET caller_id = NULL, provider = NULL, duration_seconds = NULL, cost = NULL
                         WHERE id = %L$$, (SELECT call FROM probe)),
                'UPDATE: NULL is taken where the column allows it');
SELECT is((SELECT cost::text FROM dialer.calls WHERE id = (SELECT call FROM probe)), NULL, 'the cost is NULL');
SELECT lives_ok(format($$UPDATE dialer.calls SET cost = 1.0000004 WHERE id = %L$$, (SELECT call FROM probe)),
                'UPDATE: a cost with more than 6 decimals is taken');
SELECT is((SELECT cost::text FROM dialer.calls WHERE id = (SELECT call FROM probe)), '1.000000',
          'rounded to the domain''s 6 decimal places, as numeric(12, 6) did');
SELECT throws_ok(format($$UPDATE dialer.calls SET cost = 1000000 WHERE id = %L$$, (SELECT call FROM probe)),
                 '22003', NULL, 'a cost over numeric(12, 6)''s range is refused (22003), as before');
SELECT throws_ok(format($$UPDATE dialer.calls SET phone = NULL WHERE id = %L$$, (SELECT call FROM probe)),
                 '23502', NULL, 'calls.phone stays NOT NULL (23502)');
SELECT lives_ok(format($$UPDATE dialer.leads SET attempts = 0, custom_fields = '{}' WHERE id = %L$$, (SELECT lead FROM probe)),
                'UPDATE: a lead''s 0 attempts and empty object are taken');

SELECT * FROM finish();
ROLLBACK;
