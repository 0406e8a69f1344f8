-- Outcome classes and provider outcome mappings (global reference data), plus
-- per-tenant overrides. Every provider's raw call result (Retell's
-- disconnection_reason, Vapi's endedReason, ElevenLabs' recipient status, Twilio's
-- CallStatus) maps onto one small set of classes; retries and statistics are decided
-- on classes and their flags, never on raw provider strings.

CREATE TABLE dialer.outcome_classes (
  outcome_class   text PRIMARY KEY CHECK (outcome_class ~ '^[a-z][a-z_]*$'),
  answered        boolean NOT NULL,  -- the line was picked up (person or machine)
  human           boolean NOT NULL,  -- a live person answered
  machine         boolean NOT NULL,  -- an answering machine / voicemail answered
  contact         boolean NOT NULL,  -- counts as a contact with the person
  conversion      boolean NOT NULL,  -- the campaign's goal was reached
  abandoned       boolean NOT NULL,  -- a live answer the dialer dropped (TCPA/Ofcom abandon rate)
  terminal        boolean NOT NULL,  -- the lead is finished: never retried
  unknown_result  boolean NOT NULL,  -- the dispatch's result is unknown: never auto-redialled
  transport_error boolean NOT NULL,  -- failed before reaching the network (provider/transport)
  lead_status     text NOT NULL CHECK (lead_status IN ('retry', 'completed', 'converted', 'refused',
                                                       'do_not_call', 'invalid', 'failed')),
  description     text NOT NULL
);
COMMENT ON TABLE dialer.outcome_classes IS
  'The small set of call outcome classes with the flags retries and statistics are defined on (reference data).';
COMMENT ON COLUMN dialer.outcome_classes.lead_status IS
  'What a lead becomes after a call of this class: retry (scheduled again by the retry policy) or a final status.';

INSERT INTO dialer.outcome_classes VALUES
  ('no_answer',        false, false, false, false, false, false, false, false, false, 'retry',       'Rang out, nobody answered.'),
  ('busy',             false, false, false, false, false, false, false, false, false, 'retry',       'The line was busy.'),
  ('voicemail',        true,  false, true,  false, false, false, false, false, false, 'retry',       'An answering machine or voicemail answered.'),
  ('human_incomplete', true,  true,  false, true,  false, false, false, false, false, 'retry',       'A person answered but the conversation did not reach an end (hung up early, silence).'),
  ('callback',         true,  true,  false, true,  false, false, false, false, false, 'retry',       'A person asked to be called back later.'),
  ('completed',        true,  true,  false, true,  false, false, true,  false, false, 'completed',   'A person answered and the conversation ended normally without the goal.'),
  ('converted',        true,  true,  false, true,  true,  false, true,  false, false, 'converted',   'A person answered and the campaign goal was reached.'),
  ('refused',          true,  true,  false, true,  false, false, true,  false, false, 'refused',     'A person answered and refused (not interested).'),
  ('do_not_call',      true,  true,  false, true,  false, false, true,  false, false, 'do_not_call', 'A person asked not to be called again: the number is suppressed.'),
  ('abandoned',        true,  true,  false, false, false, true,  false, false, false, 'retry',       'A person answered but the dialer dropped the call (no agent available).'),
  ('failed',           false, false, false, false, false, false, false, false, false, 'retry',       'The carrier or network failed the call.'),
  ('transport_error',  false, false, false, false, false, false, false, false, true,  'retry',       'The provider failed before dialling (rate limit, concurrency limit, API error).'),
  ('invalid_number',   false, false, false, false, false, false, true,  false, false, 'invalid',     'The number is not reachable or not valid.'),
  ('unknown',          false, false, false, false, false, false, false, true,  false, 'retry',       'The result of the dispatch is unknown (provider timeout after dialling).');

CREATE TABLE dialer.provider_outcomes (
  provider      text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]*$'),
  raw_outcome   text NOT NULL,
  is_prefix     boolean NOT NULL DEFAULT false,
  outcome_class text NOT NULL REFERENCES dialer.outcome_classes,
  PRIMARY KEY (provider, raw_outcome)
);
COMMENT ON TABLE dialer.provider_outcomes IS
  'Global map from a provider''s raw call outcome to an outcome class; is_prefix rows match every raw outcome starting with raw_outcome (reference data).';

INSERT INTO dialer.provider_outcomes (provider, raw_outcome, is_prefix, outcome_class)
SELECT 'dialer', outcome_class, false, outcome_class FROM dialer.outcome_classes
UNION ALL VALUES
  -- Retell: disconnection_reason
  ('retell', 'user_hangup', false, 'human_incomplete'),
  ('retell', 'agent_hangup', false, 'completed'),
  ('retell', 'call_transfer', false, 'completed'),
  ('retell', 'max_duration_reached', false, 'completed'),
  ('retell', 'inactivity', false, 'human_incomplete'),
  ('retell', 'voicemail_reached', false, 'voicemail'),
  ('retell', 'machine_detected', false, 'voicemail'),
  ('retell', 'dial_busy', false, 'busy'),
  ('retell', 'dial_no_answer', false, 'no_answer'),
  ('retell', 'dial_failed', false, 'failed'),
  ('retell', 'invalid_destination', false, 'invalid_number'),
  ('retell', 'marked_as_spam', false, 'failed'),
  ('retell', 'concurrency_limit_reached', false, 'transport_error'),
  ('retell', 'no_valid_payment', false, 'transport_error'),
  ('retell', 'scam_detected', false, 'failed'),
  ('retell', 'error_', true, 'transport_error'),
  -- Vapi: endedReason (about 570 values; the families below cover them by prefix)
  ('vapi', 'customer-ended-call', false, 'human_incomplete'),
  ('vapi', 'assistant-ended-call', false, 'completed'),
  ('vapi', 'assistant-said-end-call-phrase', false, 'completed'),
  ('vapi', 'assistant-forwarded-call', false, 'completed'),
  ('vapi', 'exceeded-max-duration', false, 'completed'),
  ('vapi', 'silence-timed-out', false, 'human_incomplete'),
  ('vapi', 'customer-did-not-answer', false, 'no_answer'),
  ('vapi', 'customer-busy', false, 'busy'),
  ('vapi', 'voicemail', false, 'voicemail'),
  ('vapi', 'customer-did-not-give-microphone-permission', false, 'failed'),
  ('vapi', 'twilio-failed-to-connect-call', false, 'failed'),
  ('vapi', 'vonage-failed-to-connect-call', false, 'failed'),
  ('vapi', 'call.in-progress.error-', true, 'unknown'),
  ('vapi', 'pipeline-error-', true, 'transport_error'),
  ('vapi', 'call.start.error-', true, 'transport_error'),
  ('vapi', 'phone-call-provider-', true, 'transport_error'),
  -- ElevenLabs batch calling: recipient status
  ('elevenlabs', 'completed', false, 'completed'),
  ('elevenlabs', 'voicemail', false, 'voicemail'),
  ('elevenlabs', 'failed', false, 'failed'),
  ('elevenlabs', 'cancelled', false, 'transport_error'),
  -- Twilio: CallStatus (AnsweredBy=machine_* should be reported as voicemail)
  ('twilio', 'completed', false, 'completed'),
  ('twilio', 'busy', false, 'busy'),
  ('twilio', 'no-answer', false, 'no_answer'),
  ('twilio', 'failed', false, 'failed'),
  ('twilio', 'canceled', false, 'transport_error'),
  ('twilio', 'machine_start', false, 'voicemail'),
  ('twilio', 'machine_end_beep', false, 'voicemail');

CREATE TABLE dialer.tenant_outcome_mappings (
  tenant_id     uuid NOT NULL REFERENCES dialer.tenants (id) ON DELETE CASCADE,
  provider      text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]*$'),
  raw_outcome   text NOT NULL,
  is_prefix     boolean NOT NULL DEFAULT false,
  outcome_class text NOT NULL REFERENCES dialer.outcome_classes,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider, raw_outcome)
);
CREATE INDEX tenant_outcome_mappings_class_idx ON dialer.tenant_outcome_mappings (outcome_class);
COMMENT ON TABLE dialer.tenant_outcome_mappings IS
  'A tenant''s own provider outcome mappings; they win over dialer.provider_outcomes (for a new '
  'provider, or a raw outcome the tenant classifies differently).';
SELECT dialer.track_updated_at('dialer.tenant_outcome_mappings');
SELECT pg_catalog.pg_extension_config_dump('dialer.tenant_outcome_mappings', '');
ALTER TABLE dialer.tenant_outcome_mappings ENABLE ROW LEVEL SECURITY;
SELECT dialer._create_policy('dialer.tenant_outcome_mappings', 'tenant_outcome_mappings_select', 'SELECT',
  'tenant_id = ANY ((SELECT dialer.user_tenant_ids())::uuid[])');
SELECT dialer._create_policy('dialer.tenant_outcome_mappings', 'tenant_outcome_mappings_' || lower(cmd), cmd,
  CASE WHEN cmd = 'INSERT' THEN NULL ELSE 'tenant_id = ANY ((SELECT dialer.user_tenant_ids(''admin''))::uuid[])' END,
  CASE WHEN cmd = 'DELETE' THEN NULL ELSE 'tenant_id = ANY ((SELECT dialer.user_tenant_ids(''admin''))::uuid[])' END)
  FROM unnest(ARRAY['INSERT', 'UPDATE', 'DELETE']) AS cmd;

-- The outcome class of a provider's raw outcome for a tenant: the tenant's exact
-- mapping, else its longest prefix mapping, else the global exact, else the global
-- longest prefix; NULL when nothing matches.
CREATE FUNCTION dialer.map_outcome(p_tenant_id uuid, p_provider text, p_raw_outcome text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN (
      SELECT m.outcome_class FROM (
        SELECT t.outcome_class, 0 AS source, t.is_prefix, length(t.raw_outcome) AS len
          FROM dialer.tenant_outcome_mappings t
         WHERE t.tenant_id = p_tenant_id AND t.provider = lower(p_provider)
           AND (t.raw_outcome = p_raw_outcome OR (t.is_prefix AND starts_with(p_raw_outcome, t.raw_outcome)))
        UNION ALL
        SELECT g.outcome_class, 1, g.is_prefix, length(g.raw_outcome)
          FROM dialer.provider_outcomes g
         WHERE g.provider = lower(p_provider)
           AND (g.raw_outcome = p_raw_outcome OR (g.is_prefix AND starts_with(p_raw_outcome, g.raw_outcome)))
      ) m
      ORDER BY m.source, m.is_prefix, m.len DESC
      LIMIT 1);
END
$$;
COMMENT ON FUNCTION dialer.map_outcome(uuid, text, text) IS
  'The outcome class (dialer.outcome_classes) of a provider''s raw call outcome for a tenant: '
  'tenant mappings win over global ones, exact matches over prefixes, longer prefixes over shorter; NULL if unmapped.';
REVOKE EXECUTE ON FUNCTION dialer.map_outcome(uuid, text, text) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT 'dialer.map_outcome(uuid, text, text)'::regprocedure, g FROM unnest(ARRAY['authenticated', 'service_role']) g;
