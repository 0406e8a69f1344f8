-- Bulk import: the report names every rejected row with its reason; nothing is
-- dropped silently; contacts are reused; the whole import is one transaction.
BEGIN;
\i test/helpers/queue_fixture.sql
SELECT plan(16);
INSERT INTO dialer.suppressions (tenant_id, phone) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', '+14155550123');
INSERT INTO dialer.contacts (tenant_id, phone, first_name) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', '+442079460958', 'Existing');

CREATE TEMP TABLE report AS SELECT dialer.import_leads('cccccccc-0000-0000-0000-0000000000c1', $$[
  {"phone": "(415) 555-2671", "first_name": "Ada", "custom_fields": {"plan": "gold"}, "priority": 5},
  {"phone": "+1 415-555-2671"},
  {"phone": "+1 212 555 0101"},
  {"phone": "12"},
  {"phone": ""},
  {"first_name": "No phone"},
  "not an object",
  {"phone": "+33 1 42 68 53 00", "priority": "high"},
  {"phone": "+33 1 42 68 53 00", "time_zone": "Mars/Olympus"},
  {"phone": "415 555 0123"},
  {"phone": "011 44 20 7946 0958"},
  {"phone": "+49 30 901820", "time_zone": "Europe/Berlin", "consent_ai_voice_at": "2026-01-02T10:00:00Z"}
]$$) AS r;

SELECT is((SELECT r - 'rejects' - 'campaign_id' FROM report),
  '{"received": 12, "inserted": 3, "contacts_created": 2, "contacts_reused": 1, "duplicates": 2, "suppressed": 1, "invalid": 6,
    "rejected_by_reason": {"duplicate_in_batch": 1, "duplicate_in_campaign": 1, "invalid_phone": 1, "missing_phone": 2, "invalid_field": 3, "suppressed": 1},
    "rejects_truncated": false}', 'the report counts every outcome');
SELECT is((SELECT jsonb_agg(x ORDER BY (x ->> 'row')::int) FROM report, jsonb_array_elements(r -> 'rejects') x),
  $$[{"row": 2, "input": "+1 415-555-2671", "reason": "duplicate_in_batch"},
     {"row": 3, "input": "+1 212 555 0101", "reason": "duplicate_in_campaign"},
     {"row": 4, "input": "12", "reason": "invalid_phone: too_short"},
     {"row": 5, "input": "", "reason": "missing_phone"},
     {"row": 6, "input": null, "reason": "missing_phone"},
     {"row": 7, "input": null, "reason": "invalid_field: not an object"},
     {"row": 8, "input": "+33 1 42 68 53 00", "reason": "invalid_field: priority must be an integer"},
     {"row": 9, "input": "+33 1 42 68 53 00", "reason": "invalid_field: unknown time_zone"},
     {"row": 10, "input": "415 555 0123", "reason": "suppressed"}]$$,
  'each rejected row is listed with its row number, input and reason');
SELECT is((SELECT array_agg(phone ORDER BY phone) FROM dialer.leads WHERE created_at = now() AND campaign_id = 'cccccccc-0000-0000-0000-0000000000c1'
             AND phone NOT LIKE '+1212555010_'), '{+14155552671,+442079460958,+4930901820}',
  'national numbers are read in the tenant''s region (US), US IDD (011) and international forms normalised');
SELECT is((SELECT priority FROM dialer.leads WHERE phone = '+14155552671'), 5, 'priority is kept');
SELECT is((SELECT custom_fields FROM dialer.leads WHERE phone = '+14155552671'), '{"plan": "gold"}', 'custom fields are kept');
SELECT is((SELECT first_name FROM dialer.contacts WHERE phone = '+442079460958'), 'Existing', 'an existing contact is reused untouched');
SELECT is((SELECT time_zone || ' ' || consent_ai_voice_at FROM dialer.contacts WHERE phone = '+4930901820'),
          'Europe/Berlin 2026-01-02 10:00:00+00', 'time zone and consent land on the new contact');

-- Errors: the whole import fails and nothing is written.
SELECT throws_ok($$ SELECT dialer.import_leads('cccccccc-0000-0000-0000-0000000000c1', '{"phone": "+14155552672"}') $$,
  '22023', 'p_leads must be a JSON array, not object', 'a non-array is refused');
SELECT throws_ok($$ SELECT dialer.import_leads('cccccccc-0000-0000-0000-0000000000c1', '[{"phone": "4155552672"}]', 'ZZ') $$,
  '22023', NULL, 'an unknown region is refused');
SELECT is((SELECT count(*) FROM dialer.leads WHERE phone = '+14155552672'), 0::bigint, 'and nothing was imported');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.import_leads',
            '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_leads": [{"phone": "+14155552672"}]}',
            'authenticated', '{"sub": "00000000-0000-0000-0000-0000000000a9"}') -> 'status', '403', 'an agent may not import (403)');
SELECT is(test_helpers.postgrest_request('POST', 'dialer.import_leads',
            '{"p_campaign_id": "cccccccc-0000-0000-0000-0000000000c1", "p_leads": [{"phone": "+14155552672"}]}',
            'authenticated', '{"sub": "00000000-0000-0000-0000-0000000000a0"}') #>> '{body,inserted}', '1', 'an admin may, over RPC');

-- The staging-table path for large loads.
CREATE TEMP TABLE staging (line int, phone text, first_name text, priority int);
INSERT INTO staging SELECT g, '+1 (646) 555-' || lpad(g::text, 4, '0'), 'S' || g, g % 3 FROM generate_series(1000, 1999) g;
INSERT INTO staging VALUES (5000, 'garbage', 'G', 0), (5001, '+1 (646) 555-1000', 'dup', 0);
CREATE TEMP TABLE staged_report AS
  SELECT dialer.import_leads_from('cccccccc-0000-0000-0000-0000000000c1', 'staging', 'US') AS r;
SELECT is((SELECT (r ->> 'inserted')::int FROM staged_report), 1000, 'the staging path imports every good row');
SELECT is((SELECT r -> 'rejects' FROM staged_report),
  '[{"row": 5000, "input": "garbage", "reason": "invalid_phone: not_a_number"}, {"row": 5001, "input": "+1 (646) 555-1000", "reason": "duplicate_in_batch"}]',
  'and reports its rejects by the table''s own line numbers');
SELECT throws_ok($$ SELECT dialer.import_leads_from('cccccccc-0000-0000-0000-0000000000c1', 'dialer.tenants') $$,
  '42703', NULL, 'a staging table without a phone column is refused');
UPDATE dialer.campaigns SET status = 'completed' WHERE id = 'cccccccc-0000-0000-0000-0000000000c1';
SELECT throws_ok($$ SELECT dialer.import_leads('cccccccc-0000-0000-0000-0000000000c1', '[]') $$,
  'PT409', NULL, 'a finished campaign takes no leads');

SELECT * FROM finish();
ROLLBACK;
