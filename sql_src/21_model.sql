-- The data model: tenants and their members, contacts, suppressions, campaigns,
-- leads, calls, conversations, messages and escalations.
--
-- Scale-out rule (DESIGN.md): every tenant table is keyed (tenant_id, id); tenant_id
-- leads every primary key, unique constraint and foreign key between tenant tables, so
-- a Citus deployment distributes them all by tenant_id and co-locates a tenant's rows.
-- tenants, tenant_members, tenant_identifiers and global_suppressions are small routing
-- and reference tables (Citus reference tables). Each table's updated_at is kept by
-- dialer.set_updated_at(); RLS policies are in 23_rls.sql.

-- ---- enumerations --------------------------------------------------------------

-- Declared lowest to highest: policies compare roles with >=.
CREATE TYPE dialer.member_role AS ENUM ('viewer', 'agent', 'admin', 'owner');
COMMENT ON TYPE dialer.member_role IS
  'A tenant member''s role, ordered viewer < agent < admin < owner: viewer reads, agent also '
  'works calls, leads, conversations and escalations, admin also manages campaigns, contacts, '
  'identifiers and members, owner also manages owners and deletes the tenant.';

CREATE TYPE dialer.tenant_status AS ENUM ('active', 'suspended');
COMMENT ON TYPE dialer.tenant_status IS 'Whether a tenant is active or suspended.';

CREATE TYPE dialer.identifier_kind AS ENUM ('phone', 'email', 'handle');
COMMENT ON TYPE dialer.identifier_kind IS
  'What a tenant identifier is: an E.164 phone number, a lower-cased email address, or an '
  'opaque channel handle (a WhatsApp business id, a page id, ...).';

CREATE TYPE dialer.campaign_status AS ENUM
  ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled');
COMMENT ON TYPE dialer.campaign_status IS
  'Campaign lifecycle: draft -> scheduled/running <-> paused -> completed / cancelled.';

CREATE TYPE dialer.lead_status AS ENUM
  ('pending', 'scheduled', 'in_progress', 'held', 'completed', 'converted', 'refused', 'do_not_call',
   'invalid', 'failed', 'cancelled');
COMMENT ON TYPE dialer.lead_status IS
  'A lead''s state: pending (never attempted), scheduled (a retry is due at next_attempt_at), '
  'in_progress (a call is in flight), held (the last call''s result is unknown and the policy '
  'does not redial it: waits for dialer.release_lead); final: completed, converted, refused, do_not_call, invalid, '
  'failed (retries used up), cancelled (campaign stopped). Final values match '
  'dialer.outcome_classes.lead_status.';

CREATE TYPE dialer.call_direction AS ENUM ('outbound', 'inbound');
COMMENT ON TYPE dialer.call_direction IS 'Whether we called the number or it called us.';

-- In flight first, then final (dialer.call_in_flight relies on this order).
CREATE TYPE dialer.call_status AS ENUM
  ('claimed', 'dialing', 'ringing', 'in_progress', 'completed', 'failed', 'cancelled', 'expired');
COMMENT ON TYPE dialer.call_status IS
  'One attempt''s state: in flight while claimed (leased to a worker), dialing, ringing or '
  'in_progress (answered); final: completed, failed, cancelled, expired (lease ran out).';

-- The one definition of "in flight": the statuses declared before 'completed' (the enum
-- above lists the in-flight ones first). Queries, triggers and the stats recount say
-- dialer.call_in_flight(status); the partial indexes on calls say status < 'completed'
-- (41_queue_state.sql), which is what the planner inlines the function to, so the indexes
-- serve those queries. Why not the function in the index predicates: the planner inlines a
-- SQL function only for a role that may execute it, and a predicate left un-inlined for one
-- role (first to load the index in a session) would no longer match the others' queries.
CREATE FUNCTION dialer.call_in_flight(p_status dialer.call_status)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT p_status < 'completed'::dialer.call_status
$$;
COMMENT ON FUNCTION dialer.call_in_flight(dialer.call_status) IS
  'Whether a call in this status is in flight (claimed, dialing, ringing, in_progress: the statuses before completed): it holds its lead and a slot.';
REVOKE EXECUTE ON FUNCTION dialer.call_in_flight(dialer.call_status) FROM PUBLIC;

CREATE TYPE dialer.conversation_status AS ENUM ('active', 'ended');
COMMENT ON TYPE dialer.conversation_status IS 'Whether a conversation is still going on.';

CREATE TYPE dialer.message_role AS ENUM ('user', 'assistant', 'system', 'tool');
COMMENT ON TYPE dialer.message_role IS 'Who wrote a conversation message.';

CREATE TYPE dialer.escalation_status AS ENUM ('pending', 'notified', 'in_progress', 'resolved');
COMMENT ON TYPE dialer.escalation_status IS
  'Escalation workflow, one step at a time: pending -> notified -> in_progress -> resolved.';

-- ---- value helpers -------------------------------------------------------------

-- Every stored phone goes through the phone core (10_phone.sql): the canonical E.164
-- form of a valid number, read in p_region when written in national form.
CREATE FUNCTION dialer._canonical_phone(p_phone text, p_raise boolean DEFAULT true, p_region text DEFAULT NULL)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
  SELECT CASE WHEN p_raise THEN dialer.e164(p_phone, p_region) ELSE dialer.try_e164(p_phone, p_region) END
$$;
COMMENT ON FUNCTION dialer._canonical_phone(text, boolean, text) IS
  'The canonical E.164 text of a valid phone number (dialer.e164), national input read in '
  'p_region; invalid input raises 22023, or returns NULL when p_raise is false.';
REVOKE EXECUTE ON FUNCTION dialer._canonical_phone(text, boolean, text) FROM PUBLIC;

CREATE FUNCTION dialer._is_time_zone(p_zone text)
RETURNS boolean
LANGUAGE plpgsql STABLE STRICT
SET search_path = ''
AS $$
BEGIN
  -- Why a trial conversion: the server's own zone lookup is cached per backend, while
  -- pg_timezone_names reads every zone file on each query.
  PERFORM pg_catalog.timezone(p_zone, timestamptz '2000-01-01 00:00:00+00');
  RETURN p_zone ~ '^[A-Za-z]';
EXCEPTION WHEN invalid_parameter_value THEN
  RETURN false;
END
$$;
COMMENT ON FUNCTION dialer._is_time_zone(text) IS
  'Whether the server knows the time zone name (IANA names such as America/New_York).';
REVOKE EXECUTE ON FUNCTION dialer._is_time_zone(text) FROM PUBLIC;

-- ---- tenants -------------------------------------------------------------------

CREATE TABLE dialer.tenants (
  id                uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  name              text NOT NULL CHECK (btrim(name) <> ''),
  slug              text UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  status            dialer.tenant_status NOT NULL DEFAULT 'active',
  default_time_zone text NOT NULL DEFAULT 'UTC' CHECK (dialer._is_time_zone(default_time_zone)),
  default_region    text CHECK (default_region ~ '^[A-Z]{2}$'),
  retention_days    integer CHECK (retention_days > 0),
  settings          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE dialer.tenants IS
  'A customer organisation (a hotel, a call centre, an app): every other row belongs to one.';
COMMENT ON COLUMN dialer.tenants.slug IS 'Optional unique readable key, e.g. hotel-test.';
COMMENT ON COLUMN dialer.tenants.default_time_zone IS
  'Zone used when neither the contact nor the campaign names one.';
COMMENT ON COLUMN dialer.tenants.default_region IS
  'ISO 3166-1 alpha-2 region for phone numbers written in national form.';
COMMENT ON COLUMN dialer.tenants.retention_days IS
  'Conversations (and their messages) older than this many days are purged by '
  'dialer.purge_conversations / dialer.run_retention; NULL keeps them.';

CREATE TABLE dialer.tenant_members (
  tenant_id  uuid NOT NULL REFERENCES dialer.tenants (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL,
  role       dialer.member_role NOT NULL DEFAULT 'viewer',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
-- Membership is looked up by user for every policy check (once per statement).
CREATE INDEX tenant_members_user_idx ON dialer.tenant_members (user_id) INCLUDE (tenant_id, role);
COMMENT ON TABLE dialer.tenant_members IS
  'Who may use a tenant and with which role; user_id is the JWT sub (auth.uid()).';

CREATE TABLE dialer.tenant_identifiers (
  tenant_id  uuid NOT NULL REFERENCES dialer.tenants (id) ON DELETE CASCADE,
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  kind       dialer.identifier_kind NOT NULL,
  value      text NOT NULL CHECK (value <> ''),
  channel    text CHECK (channel ~ '^[a-z][a-z0-9_]*$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  verified_at timestamptz DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  -- Why unique per tenant only: a member's claim must not collide with (and so reveal)
  -- another tenant's identifier; routing uniqueness is on verified rows (index below).
  CONSTRAINT tenant_identifiers_tenant_key UNIQUE NULLS NOT DISTINCT (tenant_id, kind, value, channel)
);
-- An incoming number or address routes to at most one tenant: the one whose claim the
-- operator verified. Global (no tenant_id): a routing table, a reference table under Citus.
CREATE UNIQUE INDEX tenant_identifiers_route_idx ON dialer.tenant_identifiers (kind, value, channel)
  NULLS NOT DISTINCT WHERE verified_at IS NOT NULL;
COMMENT ON TABLE dialer.tenant_identifiers IS
  'Phone numbers, email addresses and channel handles that identify a tenant for incoming '
  'traffic (dialer.resolve_tenant). Values are stored canonical: E.164 phones, lower-case emails.';
COMMENT ON COLUMN dialer.tenant_identifiers.verified_at IS
  'When the operator verified the tenant controls this identifier; NULL is an unverified claim '
  '(a member''s insert), which never routes. Set only by a role that bypasses RLS (service_role).';
COMMENT ON COLUMN dialer.tenant_identifiers.channel IS
  'The channel the identifier routes (whatsapp, voice, sms, email, ...); NULL routes every channel.';

-- ---- contacts and suppressions ------------------------------------------------

CREATE TABLE dialer.contacts (
  tenant_id           uuid NOT NULL REFERENCES dialer.tenants (id) ON DELETE CASCADE,
  id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  phone               text CONSTRAINT contacts_phone_e164 CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  first_name          text,
  last_name           text,
  email               text,
  custom_fields       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
  time_zone           text CHECK (dialer._is_time_zone(time_zone)),
  calling_windows     jsonb,
  consent_ai_voice_at timestamptz,
  consent_source      text,
  consent_revoked_at  timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, phone),
  CONSTRAINT contacts_reachable CHECK (phone IS NOT NULL OR email IS NOT NULL)
);
COMMENT ON TABLE dialer.contacts IS
  'A person a tenant talks to: one row per canonical E.164 phone per tenant (phone-less '
  'contacts, e.g. chat users, need an email).';
COMMENT ON COLUMN dialer.contacts.phone IS
  'Canonical E.164 number (normalised on write); unique per tenant.';
COMMENT ON COLUMN dialer.contacts.time_zone IS
  'Explicit IANA zone; wins over the zones derived from the phone number.';
COMMENT ON COLUMN dialer.contacts.calling_windows IS
  'Windows the contact agreed to be called in (same format as campaigns.calling_windows); NULL: no limit of their own.';
COMMENT ON COLUMN dialer.contacts.consent_ai_voice_at IS
  'When prior express consent to calls with an artificial or prerecorded voice was given '
  '(FCC 24-17). Consent holds while consent_revoked_at is NULL or earlier than this.';
COMMENT ON COLUMN dialer.contacts.consent_source IS
  'Where the consent was captured (form URL, call id, document reference).';
COMMENT ON COLUMN dialer.contacts.consent_revoked_at IS 'When the contact withdrew consent.';

CREATE TABLE dialer.suppressions (
  tenant_id  uuid NOT NULL REFERENCES dialer.tenants (id) ON DELETE CASCADE,
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  phone      text NOT NULL CONSTRAINT suppressions_phone_e164 CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  reason     text NOT NULL DEFAULT 'do_not_call' CHECK (reason <> ''),
  source     text,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, phone)
);
COMMENT ON TABLE dialer.suppressions IS
  'Tenant-wide do-not-call list: a number here is never called by the tenant until expires_at '
  '(NULL: never expires).';

CREATE TABLE dialer.global_suppressions (
  phone      text NOT NULL PRIMARY KEY
             CONSTRAINT global_suppressions_phone_e164 CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  reason     text NOT NULL DEFAULT 'do_not_call' CHECK (reason <> ''),
  source     text,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE dialer.global_suppressions IS
  'Do-not-call numbers for every tenant (national registries, legal holds); reference data '
  'maintained by the service role, never visible to tenant users.';

-- ---- campaigns and leads -------------------------------------------------------

CREATE TABLE dialer.campaigns (
  tenant_id            uuid NOT NULL REFERENCES dialer.tenants (id) ON DELETE CASCADE,
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  name                 text NOT NULL CHECK (btrim(name) <> ''),
  description          text,
  status               dialer.campaign_status NOT NULL DEFAULT 'draft',
  provider             text CHECK (provider ~ '^[a-z][a-z0-9_]*$'),
  agent_id             text,
  system_prompt        text,
  script_template      text,
  voice_id             text,
  uses_ai_voice        boolean NOT NULL DEFAULT true,
  caller_id            text CONSTRAINT campaigns_caller_id_e164 CHECK (caller_id ~ '^\+[1-9][0-9]{6,14}$'),
  schedule_start       timestamptz,
  schedule_end         timestamptz,
  calling_windows      jsonb,
  time_zone            text CHECK (dialer._is_time_zone(time_zone)),
  retry_policy         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(retry_policy) = 'object'),
  max_concurrent_calls integer NOT NULL DEFAULT 10 CHECK (max_concurrent_calls > 0),
  rule_packs           text[] NOT NULL DEFAULT '{}',
  metadata             jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  status_changed_at    timestamptz,
  status_changed_by    uuid,
  started_at           timestamptz,
  completed_at         timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  zone_precision       text NOT NULL DEFAULT 'area_code' CHECK (zone_precision IN ('area_code', 'exchange')),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT campaigns_schedule_order CHECK (schedule_end > schedule_start)
);
-- Lookups by id alone (workers, webhooks, service_role) without knowing the tenant.
CREATE INDEX campaigns_id_idx ON dialer.campaigns (id);
COMMENT ON COLUMN dialer.campaigns.zone_precision IS
  'Where a contact without a time zone may be, for calling hours: area_code (default: every zone '
  'under its NANP area code, dialer.phone_area_timezones; people keep mobile numbers when they '
  'move) or exchange (the zone where the number was issued, dialer.phone_timezones).';
COMMENT ON TABLE dialer.campaigns IS
  'An outbound calling campaign: who speaks (agent, prompt, voice), when (schedule, windows, '
  'time zone), how often (retry policy, concurrency) and under which law (rule packs).';
COMMENT ON COLUMN dialer.campaigns.uses_ai_voice IS
  'Calls use an artificial or prerecorded voice, so contacts need recorded consent (FCC 24-17).';
COMMENT ON COLUMN dialer.campaigns.calling_windows IS
  'Local-time calling windows (format defined by the scheduler); NULL: only the law''s windows.';
COMMENT ON COLUMN dialer.campaigns.time_zone IS
  'Zone for contacts whose own zone is unknown; NULL: the tenant''s default_time_zone.';
COMMENT ON COLUMN dialer.campaigns.retry_policy IS
  'Retry policy (format and validation by the scheduler), e.g. max attempts and delays per outcome class.';
COMMENT ON COLUMN dialer.campaigns.rule_packs IS
  'Named legal rule packs applied on top of the campaign''s own windows and caps.';
COMMENT ON COLUMN dialer.campaigns.status_changed_at IS 'When status last changed.';
COMMENT ON COLUMN dialer.campaigns.status_changed_by IS 'Who (JWT sub) last changed status.';

-- ---- value domains of leads and calls ----------------------------------------------

-- Why domains and not CHECK constraints of the tables (since 0.18.0): PostgreSQL reads every
-- CHECK of a table from its stored text again, plans and compiles it when each INSERT or
-- UPDATE statement starts, and evaluates all of them whichever columns an UPDATE sets; the
-- queue inserts and updates calls and leads in every cycle, through plans it keeps, whose
-- every execution starts afresh. A domain's check comes planned from the type cache and runs
-- only where a value is stored in a column of the domain (an UPDATE that does not set the
-- column keeps a value that was checked when stored). What it saves is small: the checks were
-- 4-5% of the queue's CPU under 16 workers, three quarters of that reading and planning them
-- (docs/queue.md, Performance). Checks over several columns stay on the tables. A value
-- outside a domain is refused with 23514, naming the domain.
CREATE DOMAIN dialer.e164_format AS text
  CONSTRAINT e164_format_check CHECK (VALUE ~ '^\+[1-9][0-9]{6,14}$');
COMMENT ON DOMAIN dialer.e164_format IS
  'Text in E.164 form: "+", then 7 to 15 digits, the first not 0 (the form only; '
  'dialer.phone_e164 also requires a valid number). Phones and caller ids of calls.';
CREATE DOMAIN dialer.provider_name AS text
  CONSTRAINT provider_name_check CHECK (VALUE ~ '^[a-z][a-z0-9_]*$');
COMMENT ON DOMAIN dialer.provider_name IS
  'A telephony or voice-agent provider''s name: lower-case letters, digits and _, starting '
  'with a letter (e.g. twilio, vapi, retell, elevenlabs).';
CREATE DOMAIN dialer.attempt_number AS integer
  CONSTRAINT attempt_number_check CHECK (VALUE >= 1);
COMMENT ON DOMAIN dialer.attempt_number IS 'An attempt''s number among a lead''s calls, from 1.';
CREATE DOMAIN dialer.non_negative_integer AS integer
  CONSTRAINT non_negative_integer_check CHECK (VALUE >= 0);
COMMENT ON DOMAIN dialer.non_negative_integer IS 'An integer that is not negative (a count, seconds).';
CREATE DOMAIN dialer.call_cost AS numeric(12, 6)
  CONSTRAINT call_cost_check CHECK (VALUE >= 0 AND VALUE <> 'NaN');
COMMENT ON DOMAIN dialer.call_cost IS
  'What a call cost, in the provider''s currency: not negative, not NaN, 6 decimal places.';
CREATE DOMAIN dialer.json_object AS jsonb
  CONSTRAINT json_object_check CHECK (jsonb_typeof(VALUE) = 'object');
COMMENT ON DOMAIN dialer.json_object IS 'A JSON object (not an array, scalar or null literal).';

CREATE TABLE dialer.leads (
  tenant_id          uuid NOT NULL,
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id        uuid NOT NULL,
  phone              text NOT NULL,
  status             dialer.lead_status NOT NULL DEFAULT 'pending',
  priority           integer NOT NULL DEFAULT 0,
  attempts           dialer.non_negative_integer NOT NULL DEFAULT 0,
  last_attempt_at    timestamptz,
  next_attempt_at    timestamptz,
  last_outcome_class text,
  custom_fields      dialer.json_object NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  released_at        timestamptz,
  PRIMARY KEY (tenant_id, id),
  -- The same person (canonical phone) is in a campaign once: adding it again is 23505 (409).
  UNIQUE (tenant_id, campaign_id, phone),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE,
  -- The lead's contact is the tenant's contact with this phone; a changed number follows.
  FOREIGN KEY (tenant_id, phone) REFERENCES dialer.contacts (tenant_id, phone)
    ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX leads_contact_idx ON dialer.leads (tenant_id, phone);
CREATE INDEX leads_id_idx ON dialer.leads (id);
COMMENT ON TABLE dialer.leads IS
  'A contact in a campaign: its dialling state (status, attempts, last/next attempt, priority). '
  'The contact is the tenant''s contacts row with the same phone.';
COMMENT ON COLUMN dialer.leads.phone IS 'The contact''s canonical E.164 phone (foreign key to contacts).';
COMMENT ON COLUMN dialer.leads.priority IS 'Higher is called first (callbacks above fresh leads).';
COMMENT ON COLUMN dialer.leads.attempts IS 'Calls placed for this lead so far.';
COMMENT ON COLUMN dialer.leads.next_attempt_at IS 'Earliest legal moment for the next call; NULL: not scheduled.';
COMMENT ON COLUMN dialer.leads.last_outcome_class IS 'Outcome class of the last completed call.';
COMMENT ON COLUMN dialer.leads.released_at IS
  'When a person last released the lead after a call with an unknown result (dialer.release_lead): '
  'until its next call the unknown result does not block it; every calling rule still does.';
COMMENT ON COLUMN dialer.leads.custom_fields IS 'Per-campaign data for the script (the contact''s own data is on contacts).';

-- ---- calls ---------------------------------------------------------------------

CREATE TABLE dialer.calls (
  tenant_id        uuid NOT NULL REFERENCES dialer.tenants (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id      uuid,
  lead_id          uuid,
  direction        dialer.call_direction NOT NULL DEFAULT 'outbound',
  phone            dialer.e164_format NOT NULL,
  caller_id        dialer.e164_format,
  status           dialer.call_status NOT NULL DEFAULT 'claimed',
  attempt_number   dialer.attempt_number NOT NULL DEFAULT 1,
  worker_id        text,
  claimed_at       timestamptz,
  lease_expires_at timestamptz,
  idempotency_key  text NOT NULL DEFAULT gen_random_uuid()::text,
  outcome_class    text,
  provider         dialer.provider_name,
  provider_call_id text,
  provider_outcome text,
  started_at       timestamptz,
  answered_at      timestamptz,
  ended_at         timestamptz,
  duration_seconds dialer.non_negative_integer,
  cost             dialer.call_cost,
  recording_url    text,
  transcript       jsonb,
  summary          text,
  notes            text,
  metadata         dialer.json_object NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, idempotency_key),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, lead_id) REFERENCES dialer.leads (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT calls_outbound_has_lead
    CHECK (direction = 'inbound' OR (campaign_id IS NOT NULL AND lead_id IS NOT NULL)),
  CONSTRAINT calls_time_order CHECK (answered_at >= started_at AND ended_at >= started_at)
);
CREATE INDEX calls_campaign_idx ON dialer.calls (tenant_id, campaign_id, created_at);
CREATE INDEX calls_lead_idx ON dialer.calls (tenant_id, lead_id, attempt_number);
CREATE INDEX calls_id_idx ON dialer.calls (id);
-- A provider's call id names at most one call of the tenant. Why a partial unique index
-- and not UNIQUE (tenant_id, provider, provider_call_id), as up to 0.14.0: a call gets its
-- provider id when it is dialled or completed, so every claim inserted the key (tenant, NULL,
-- NULL), one key for all calls in flight, whose entries B-tree orders by heap position: all
-- claims wrote the same rightmost leaf page, under its exclusive lock, and every completion
-- left a dead entry there. NULLs never conflicted, so the index holds the same uniqueness
-- without those entries (scripts/ab-workers.sh: 0.92x, 1.06x and 0.94x the CPU per cycle in
-- three runs, docs/queue.md).
-- Upserts name its predicate: ON CONFLICT (tenant_id, provider, provider_call_id)
-- WHERE provider_call_id IS NOT NULL.
CREATE UNIQUE INDEX calls_provider_call_idx ON dialer.calls (tenant_id, provider, provider_call_id)
  WHERE provider_call_id IS NOT NULL;
COMMENT ON TABLE dialer.calls IS
  'One row per call attempt (or inbound call): lease, provider outcome and its class, timing, '
  'cost, recording, transcript and summary.';
COMMENT ON COLUMN dialer.calls.phone IS 'The E.164 number called (outbound) or calling (inbound), as it was then.';
COMMENT ON COLUMN dialer.calls.caller_id IS 'Our number shown to the called party.';
COMMENT ON COLUMN dialer.calls.lease_expires_at IS 'While in flight: when the worker''s claim lapses.';
COMMENT ON COLUMN dialer.calls.idempotency_key IS 'Key sent to the provider so a retried dispatch is not placed twice.';
COMMENT ON COLUMN dialer.calls.outcome_class IS 'The class (dialer.outcome_classes) the provider outcome maps to.';
COMMENT ON COLUMN dialer.calls.provider_outcome IS 'The provider''s raw result (disconnection reason, endedReason, CallStatus, ...).';
COMMENT ON COLUMN dialer.calls.transcript IS 'Transcript as JSON (turns array, or a JSON string for plain text).';

-- ---- conversations, messages, escalations ------------------------------------

CREATE TABLE dialer.conversations (
  tenant_id        uuid NOT NULL REFERENCES dialer.tenants (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id          uuid,
  contact_id       uuid,
  call_id          uuid,
  agent_id         text,
  session_id       text,
  channel          text CHECK (channel ~ '^[a-z][a-z0-9_]*$'),
  status           dialer.conversation_status NOT NULL DEFAULT 'active',
  started_at       timestamptz NOT NULL DEFAULT now(),
  ended_at         timestamptz,
  duration_seconds integer CHECK (duration_seconds >= 0),
  transcript       jsonb,
  summary          text,
  metadata         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, session_id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES dialer.contacts (tenant_id, id)
    ON DELETE SET NULL (contact_id),
  FOREIGN KEY (tenant_id, call_id) REFERENCES dialer.calls (tenant_id, id)
    ON DELETE SET NULL (call_id),
  CONSTRAINT conversations_time_order CHECK (ended_at >= started_at)
);
-- A user's own conversations, newest first (the policy column and the listing order).
CREATE INDEX conversations_user_idx ON dialer.conversations (user_id, created_at DESC);
CREATE INDEX conversations_contact_idx ON dialer.conversations (tenant_id, contact_id)
  WHERE contact_id IS NOT NULL;
CREATE INDEX conversations_call_idx ON dialer.conversations (tenant_id, call_id)
  WHERE call_id IS NOT NULL;
-- Retention: a tenant's conversations by age.
CREATE INDEX conversations_age_idx ON dialer.conversations (tenant_id, (coalesce(ended_at, started_at)));
CREATE INDEX conversations_id_idx ON dialer.conversations (id);
COMMENT ON TABLE dialer.conversations IS
  'A conversation between an agent (AI or human) and a person, over a call or a chat session: '
  'transcript, summary, metadata, duration. The user it belongs to (user_id) sees it even '
  'without a tenant role; tenant agents and above see all of the tenant''s.';
COMMENT ON COLUMN dialer.conversations.user_id IS
  'The signed-in end user (JWT sub) the conversation belongs to; NULL for callers who are not users.';
COMMENT ON COLUMN dialer.conversations.session_id IS 'Client session key, unique per tenant.';
COMMENT ON COLUMN dialer.conversations.agent_id IS 'The AI agent (provider agent id) that spoke.';

CREATE TABLE dialer.messages (
  tenant_id       uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL,
  role            dialer.message_role NOT NULL,
  content         text NOT NULL,
  metadata        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES dialer.conversations (tenant_id, id)
    ON DELETE CASCADE
);
CREATE INDEX messages_conversation_idx ON dialer.messages (tenant_id, conversation_id, created_at);
COMMENT ON TABLE dialer.messages IS 'One message of a conversation, by role (user, assistant, system, tool).';
COMMENT ON COLUMN dialer.messages.metadata IS 'Tool calls, token counts, audio references, ...';

CREATE TABLE dialer.escalations (
  tenant_id            uuid NOT NULL REFERENCES dialer.tenants (id) ON DELETE CASCADE,
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id      uuid,
  call_id              uuid,
  issue_type           text NOT NULL CHECK (btrim(issue_type) <> ''),
  original_request     text NOT NULL,
  status               dialer.escalation_status NOT NULL DEFAULT 'pending',
  contact_info         jsonb,
  conversation_context text,
  assigned_to          uuid,
  resolution           text,
  notified_at          timestamptz,
  in_progress_at       timestamptz,
  resolved_at          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  -- Why SET NULL: a ticket outlives the conversation retention purges.
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES dialer.conversations (tenant_id, id)
    ON DELETE SET NULL (conversation_id),
  FOREIGN KEY (tenant_id, call_id) REFERENCES dialer.calls (tenant_id, id)
    ON DELETE SET NULL (call_id)
);
CREATE INDEX escalations_conversation_idx ON dialer.escalations (tenant_id, conversation_id)
  WHERE conversation_id IS NOT NULL;
CREATE INDEX escalations_call_idx ON dialer.escalations (tenant_id, call_id)
  WHERE call_id IS NOT NULL;
CREATE INDEX escalations_queue_idx ON dialer.escalations (tenant_id, status, created_at);
COMMENT ON TABLE dialer.escalations IS
  'A request handed to a human, moving pending -> notified -> in_progress -> resolved (other '
  'moves are rejected with SQLSTATE PT409, HTTP 409).';
COMMENT ON COLUMN dialer.escalations.contact_info IS 'How to reach the person (as they gave it).';

-- ---- row triggers --------------------------------------------------------------

CREATE FUNCTION dialer._normalize_phone()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  -- A national-format number is read in the tenant's default region.
  IF TG_TABLE_NAME <> 'global_suppressions' AND NEW.phone NOT LIKE '+%' THEN
    NEW.phone := dialer._canonical_phone(NEW.phone, true,
      (SELECT t.default_region FROM dialer.tenants t WHERE t.id = NEW.tenant_id));
  ELSE
    NEW.phone := dialer._canonical_phone(NEW.phone);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._normalize_phone() IS
  'BEFORE INSERT OR UPDATE OF phone trigger: stores the canonical E.164 form of NEW.phone '
  '(national numbers read in the tenant''s default_region); an invalid number is 22023.';
REVOKE EXECUTE ON FUNCTION dialer._normalize_phone() FROM PUBLIC;

CREATE TRIGGER dialer_normalize_phone BEFORE INSERT OR UPDATE OF phone ON dialer.contacts
  FOR EACH ROW WHEN (NEW.phone IS NOT NULL) EXECUTE FUNCTION dialer._normalize_phone();
CREATE TRIGGER dialer_normalize_phone BEFORE INSERT OR UPDATE OF phone ON dialer.suppressions
  FOR EACH ROW EXECUTE FUNCTION dialer._normalize_phone();
CREATE TRIGGER dialer_normalize_phone BEFORE INSERT OR UPDATE OF phone ON dialer.global_suppressions
  FOR EACH ROW EXECUTE FUNCTION dialer._normalize_phone();

CREATE FUNCTION dialer._normalize_identifier()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  NEW.channel := lower(btrim(NEW.channel));
  NEW.value := CASE NEW.kind
    WHEN 'phone' THEN dialer._canonical_phone(NEW.value)
    WHEN 'email' THEN lower(btrim(NEW.value))
    ELSE btrim(NEW.value)
  END;
  IF NEW.kind = 'email' AND NEW.value !~ '^[^@[:space:]]+@[^@[:space:]]+$' THEN
    RAISE EXCEPTION 'email address "%" is not valid', NEW.value
      USING ERRCODE = '22023',
            DETAIL = 'An email identifier needs one @ with text on both sides and no spaces.',
            HINT = 'Write it as name@example.com.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._normalize_identifier() IS
  'BEFORE INSERT OR UPDATE trigger on tenant_identifiers: canonical value by kind (E.164 phone, '
  'lower-case email, trimmed handle) and lower-case channel.';
REVOKE EXECUTE ON FUNCTION dialer._normalize_identifier() FROM PUBLIC;

CREATE TRIGGER dialer_normalize_identifier BEFORE INSERT OR UPDATE ON dialer.tenant_identifiers
  FOR EACH ROW EXECUTE FUNCTION dialer._normalize_identifier();

CREATE FUNCTION dialer._check_escalation_move()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  v_next dialer.escalation_status := CASE OLD.status
    WHEN 'pending' THEN 'notified'
    WHEN 'notified' THEN 'in_progress'
    WHEN 'in_progress' THEN 'resolved'
  END;
BEGIN
  IF NEW.status IS DISTINCT FROM v_next THEN
    RAISE EXCEPTION 'illegal escalation status move from "%" to "%"', OLD.status, NEW.status
      USING ERRCODE = 'PT409',
            DETAIL = 'Escalations move pending -> notified -> in_progress -> resolved, one step '
                     'at a time, and a resolved escalation is final.',
            HINT = CASE WHEN v_next IS NULL THEN 'Open a new escalation instead.'
                        ELSE format('The next status of escalation %s is "%s".', OLD.id, v_next) END;
  END IF;
  CASE NEW.status
    WHEN 'notified' THEN NEW.notified_at := coalesce(NEW.notified_at, now());
    WHEN 'in_progress' THEN NEW.in_progress_at := coalesce(NEW.in_progress_at, now());
    ELSE NEW.resolved_at := coalesce(NEW.resolved_at, now());
  END CASE;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._check_escalation_move() IS
  'BEFORE UPDATE OF status trigger on escalations: allows only the next step of '
  'pending -> notified -> in_progress -> resolved (else PT409) and stamps its time.';
REVOKE EXECUTE ON FUNCTION dialer._check_escalation_move() FROM PUBLIC;

CREATE TRIGGER dialer_check_escalation_move BEFORE UPDATE OF status ON dialer.escalations
  FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status)
  EXECUTE FUNCTION dialer._check_escalation_move();

-- Every table keeps updated_at, and pg_dump keeps the rows of every user-data table
-- (extension member tables are otherwise dumped without data). One call per statement:
-- each config_dump call rewrites the same pg_extension row.
DO $$
DECLARE
  t regclass;
BEGIN
  FOREACH t IN ARRAY ARRAY['dialer.tenants', 'dialer.tenant_members', 'dialer.tenant_identifiers',
                           'dialer.contacts', 'dialer.suppressions', 'dialer.global_suppressions',
                           'dialer.campaigns', 'dialer.leads', 'dialer.calls',
                           'dialer.conversations', 'dialer.messages', 'dialer.escalations']::regclass[]
  LOOP
    PERFORM dialer.track_updated_at(t);
    PERFORM pg_catalog.pg_extension_config_dump(t, '');
  END LOOP;
END
$$;
