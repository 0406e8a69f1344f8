-- Next-attempt scheduling (issue 5): the earliest legal moment to call a lead, or
-- never, with the reason. Layer (a): pure functions over explicit inputs. Layer
-- (b), dialer.why_not_dialable over the data model, is in 35_schedule_model.sql.

CREATE FUNCTION dialer.check_retry_policy(p_retry_policy jsonb)
RETURNS boolean
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_check_retry_policy';
COMMENT ON FUNCTION dialer.check_retry_policy(jsonb) IS
  'True when the retry policy is valid; otherwise raises 22023 naming the bad field''s JSON path. For CHECK constraints.';
REVOKE EXECUTE ON FUNCTION dialer.check_retry_policy(jsonb) FROM PUBLIC;

CREATE FUNCTION dialer.check_calling_windows(p_calling_windows jsonb)
RETURNS boolean
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_check_calling_windows';
COMMENT ON FUNCTION dialer.check_calling_windows(jsonb) IS
  'True when the calling windows document is valid; otherwise raises 22023 naming the bad field''s JSON path. For CHECK constraints.';
REVOKE EXECUTE ON FUNCTION dialer.check_calling_windows(jsonb) FROM PUBLIC;

CREATE FUNCTION dialer.next_attempt_at(
  p_lead_id uuid,
  p_retry_policy jsonb,
  p_zones text[],
  p_attempts integer DEFAULT 0,
  p_last_outcome text DEFAULT NULL,
  p_class_attempts integer DEFAULT 0,
  p_last_attempt_at timestamptz DEFAULT NULL,
  p_recent_calls timestamptz[] DEFAULT NULL,
  p_last_abandoned_at timestamptz DEFAULT NULL,
  p_last_refusal_at timestamptz DEFAULT NULL,
  p_calling_windows jsonb DEFAULT NULL,
  p_contact_windows jsonb DEFAULT NULL,
  p_rule_packs text[] DEFAULT NULL,
  p_suppressed boolean DEFAULT false,
  p_artificial_voice boolean DEFAULT true,
  p_has_consent boolean DEFAULT false,
  p_campaign_starts_at timestamptz DEFAULT NULL,
  p_campaign_ends_at timestamptz DEFAULT NULL,
  p_now timestamptz DEFAULT now())
RETURNS timestamptz
-- STABLE, not IMMUTABLE: the answer depends on the system's time-zone data.
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_next_attempt_at';
COMMENT ON FUNCTION dialer.next_attempt_at IS
  'The earliest instant at or after p_now and the retry policy''s retry time at which every rule allows calling the lead (law rule packs, campaign and contact windows in every candidate zone, caps, gap, cool-downs), or NULL for never. See dialer.explain_next_attempt for the reason.';
REVOKE EXECUTE ON FUNCTION dialer.next_attempt_at FROM PUBLIC;

CREATE FUNCTION dialer.explain_next_attempt(
  p_lead_id uuid,
  p_retry_policy jsonb,
  p_zones text[],
  p_attempts integer DEFAULT 0,
  p_last_outcome text DEFAULT NULL,
  p_class_attempts integer DEFAULT 0,
  p_last_attempt_at timestamptz DEFAULT NULL,
  p_recent_calls timestamptz[] DEFAULT NULL,
  p_last_abandoned_at timestamptz DEFAULT NULL,
  p_last_refusal_at timestamptz DEFAULT NULL,
  p_calling_windows jsonb DEFAULT NULL,
  p_contact_windows jsonb DEFAULT NULL,
  p_rule_packs text[] DEFAULT NULL,
  p_suppressed boolean DEFAULT false,
  p_artificial_voice boolean DEFAULT true,
  p_has_consent boolean DEFAULT false,
  p_campaign_starts_at timestamptz DEFAULT NULL,
  p_campaign_ends_at timestamptz DEFAULT NULL,
  p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_explain_next_attempt';
COMMENT ON FUNCTION dialer.explain_next_attempt IS
  'The same decision as dialer.next_attempt_at, explained: {next_attempt_at, status (scheduled|never), reason, detail, zones, trail: [{rule, owner, source, zone, until, detail}, ...]}.';
REVOKE EXECUTE ON FUNCTION dialer.explain_next_attempt FROM PUBLIC;

-- Every input of one decision, one field per scheduler argument above, named as the
-- argument without "p_" (the C++ boundary reads the fields by these names: one mapping,
-- src/pg/schedule.cpp). Built from the tables by dialer._lead_schedule_inputs.
CREATE TYPE dialer.schedule_inputs AS (
  lead_id uuid,
  retry_policy jsonb,
  zones text[],
  attempts integer,
  last_outcome text,
  class_attempts integer,
  last_attempt_at timestamptz,
  recent_calls timestamptz[],
  last_abandoned_at timestamptz,
  last_refusal_at timestamptz,
  calling_windows jsonb,
  contact_windows jsonb,
  rule_packs text[],
  suppressed boolean,
  artificial_voice boolean,
  has_consent boolean,
  campaign_starts_at timestamptz,
  campaign_ends_at timestamptz);
COMMENT ON TYPE dialer.schedule_inputs IS
  'Every input of one scheduling decision, a field per argument of dialer.next_attempt_at (same name without p_).';

-- The queue's lean variant: the decision and the binding rule's name, no explanation.
CREATE FUNCTION dialer._decide(p_inputs dialer.schedule_inputs, p_now timestamptz,
  OUT next_attempt_at timestamptz, OUT reason text, OUT legal_until timestamptz)
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_decide_inputs';
COMMENT ON FUNCTION dialer._decide IS
  'Internal: dialer.next_attempt_at with the reason (the binding rule, as in explain_next_attempt) '
  'and without the explanation; what the queue needs per call. legal_until: when the lead is '
  'callable at p_now, the first instant its calling windows close (at most two days on).';
REVOKE EXECUTE ON FUNCTION dialer._decide FROM PUBLIC;

-- The explanation of one decision over its inputs row (why_not_dialable).
CREATE FUNCTION dialer._explain_inputs(p_inputs dialer.schedule_inputs, p_now timestamptz)
RETURNS jsonb
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_explain_inputs';
COMMENT ON FUNCTION dialer._explain_inputs IS
  'Internal: dialer.explain_next_attempt over a dialer.schedule_inputs row.';
REVOKE EXECUTE ON FUNCTION dialer._explain_inputs FROM PUBLIC;

-- Why regproc: the two scheduler functions are not overloaded, so their names alone
-- find them (their 19-argument signatures are written once, above).
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regproc::oid::regprocedure, g
  FROM unnest(ARRAY['dialer.check_retry_policy', 'dialer.check_calling_windows',
                    'dialer.next_attempt_at', 'dialer.explain_next_attempt']) f,
       unnest(ARRAY['authenticated', 'service_role']) g;
