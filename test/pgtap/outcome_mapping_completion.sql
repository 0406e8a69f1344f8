-- dialer.complete_call (C, src/pg/complete_call.cpp) maps a report to its outcome class with
-- a copy of dialer.map_outcome's query; for every kind of match (a tenant's exact and prefix
-- mappings over the global ones, longer prefixes over shorter, exact over prefix, provider
-- names in any case, nothing mapped) a completion records the class map_outcome answers.
\set QUIET on
BEGIN;
SELECT plan(3);
SET LOCAL client_min_messages = warning;

\i test/helpers/numbered_campaign.sql
CREATE TEMP TABLE started AS
SELECT pg_temp.numbered_campaign('aaaaaaaa-0000-0000-0000-0000000000d1', 'c0000000-0000-0000-0000-0000000000d1', 50, 40);
-- The tenant's own: an exact one over a global exact one, a prefix over a global prefix,
-- a longer prefix over its shorter one, an exact one over its own prefix.
INSERT INTO dialer.tenant_outcome_mappings (tenant_id, provider, raw_outcome, outcome_class, is_prefix) VALUES
  ('aaaaaaaa-0000-0000-0000-0000000000d1', 'vapi', 'customer-busy', 'no_answer', false),
  ('aaaaaaaa-0000-0000-0000-0000000000d1', 'vapi', 'pipeline-error-', 'unknown', true),
  ('aaaaaaaa-0000-0000-0000-0000000000d1', 'acme', 'sip-', 'failed', true),
  ('aaaaaaaa-0000-0000-0000-0000000000d1', 'acme', 'sip-486', 'busy', true),
  ('aaaaaaaa-0000-0000-0000-0000000000d1', 'acme', 'sip-486-x', 'voicemail', false);

-- Each report: (provider as passed, raw outcome). One claimed call completes each.
CREATE TEMP TABLE reports (n serial, provider text, raw text);
INSERT INTO reports (provider, raw) VALUES
  ('vapi', 'customer-busy'), ('VAPI', 'customer-busy'), ('vapi', 'pipeline-error-openai-llm-failed'),
  ('vapi', 'call.start.error-get-org'), ('vapi', 'phone-call-provider-closed-websocket'),
  ('retell', 'error_llm_websocket_open'), ('retell', 'dial_no_answer'), ('twilio', 'no-answer'),
  ('acme', 'sip-500'), ('acme', 'sip-486'), ('acme', 'sip-486-x'), ('acme', 'sip-486-xy'), ('Acme', 'SIP-486'),
  ('dialer', 'busy'), ('dialer', 'human'), (NULL, 'no_answer'), ('vapi', 'never-heard-of-it'), ('acme', 'ok');

-- The class each completion recorded (NULL when it refused the report), next to map_outcome's.
CREATE FUNCTION pg_temp.both(p_provider text, p_raw text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  v_call uuid;
  v_class text;
BEGIN
  SELECT call_id INTO v_call FROM dialer.claim_calls('c0000000-0000-0000-0000-0000000000d1', 'w', 1, '1 hour',
                                                     '2026-11-24T15:00:00Z');
  BEGIN
    v_class := dialer.complete_call(v_call, p_raw, p_provider, p_now => '2026-11-24T15:00:00Z') ->> 'outcome_class';
  EXCEPTION WHEN invalid_parameter_value THEN
    v_class := NULL;
    PERFORM dialer.release_call(v_call);
  END;
  RETURN ARRAY[v_class, dialer.map_outcome('aaaaaaaa-0000-0000-0000-0000000000d1',
                                           lower(coalesce(p_provider, 'dialer')), p_raw)];
END
$$;
CREATE TEMP TABLE answers AS SELECT r.n, r.provider, r.raw, pg_temp.both(r.provider, r.raw) AS a FROM reports r ORDER BY r.n;

SELECT is((SELECT count(*) FROM answers WHERE a[1] IS DISTINCT FROM a[2]), 0::bigint,
          'every completion records the class dialer.map_outcome gives its report');
SELECT is((SELECT string_agg(coalesce(a[1], '-'), ',' ORDER BY n) FROM answers WHERE provider ILIKE 'acme'),
          'failed,busy,voicemail,busy,-,-', 'the tenant''s prefixes: longer over shorter, exact over prefix; the provider in any case, the raw outcome as written');
SELECT cmp_ok((SELECT count(DISTINCT a[1]) FROM answers), '>=', 6::bigint,
              'the reports cover at least six classes (and some none)');

SELECT * FROM finish();
ROLLBACK;
