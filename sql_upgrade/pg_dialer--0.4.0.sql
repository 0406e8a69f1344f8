-- pg_dialer 0.4.0 install script: the release of 3 Dec 2026 (commit 6ecabeb), frozen (assembled
-- from that commit's sql_src/). Kept so CREATE EXTENSION pg_dialer VERSION '0.4.0' and the upgrade
-- path from it can be tested (test/scripts/extension_upgrade.sh); never edited.
\echo Use "CREATE EXTENSION pg_dialer" to load this file. \quit

-- ---- sql_src/00_base.sql ----
-- Base objects: the schema's comment and dialer.version().

COMMENT ON SCHEMA dialer IS
  'pg_dialer: the in-database engine of AI voice-call campaigns (tables, RLS, functions).';

CREATE FUNCTION dialer.version()
RETURNS text
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_version';
COMMENT ON FUNCTION dialer.version() IS
  'The pg_dialer version the loaded library was built as, e.g. 0.1.0.';
REVOKE EXECUTE ON FUNCTION dialer.version() FROM PUBLIC;

-- ---- sql_src/10_phone.sql ----
-- Phone numbers (src/phone, src/pg/phone.cpp): E.164 normalisation with Google
-- libphonenumber's IsValidNumber semantics, number facts and time-zone candidates.
--
-- e164 / try_e164 / phone_info / phone_timezones take (phone, region). They are not
-- STRICT: a NULL phone gives NULL, a NULL region means the input must be international
-- (leading + or an international prefix). The *_default forms read the region from the
-- GUC dialer.default_region and are therefore STABLE; they have their own names
-- because PostgREST cannot choose between overloads.
-- IMMUTABLE holds for one libphonenumber version: after upgrading it, re-validate
-- stored numbers (docs/phone.md, dialer.phone_library_version()).

CREATE FUNCTION dialer.e164(phone text, region text)
RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_e164';
COMMENT ON FUNCTION dialer.e164(text, text) IS
  'The E.164 form (+<country code><national number>) of a valid phone number, read in region '
  '(ISO 3166-1 alpha-2; NULL = international input only). Invalid input raises 22023 with the '
  'reason in DETAIL. NULL phone gives NULL. Same answer as libphonenumber Parse + IsValidNumber '
  '+ Format(E164), computed mostly without it.';
REVOKE EXECUTE ON FUNCTION dialer.e164(text, text) FROM PUBLIC;

CREATE FUNCTION dialer.try_e164(phone text, region text)
RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_try_e164';
COMMENT ON FUNCTION dialer.try_e164(text, text) IS
  'Like dialer.e164, but NULL instead of an error for an invalid number (an unknown region '
  'code still raises 22023: it is a caller mistake, not bad data).';
REVOKE EXECUTE ON FUNCTION dialer.try_e164(text, text) FROM PUBLIC;

CREATE FUNCTION dialer.e164_default(phone text)
RETURNS text
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_e164_default';
COMMENT ON FUNCTION dialer.e164_default(text) IS
  'dialer.e164(phone, current_setting(''dialer.default_region'')): national numbers are read '
  'in the session''s default region (empty = international input only).';
REVOKE EXECUTE ON FUNCTION dialer.e164_default(text) FROM PUBLIC;

CREATE FUNCTION dialer.try_e164_default(phone text)
RETURNS text
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_try_e164_default';
COMMENT ON FUNCTION dialer.try_e164_default(text) IS
  'dialer.try_e164(phone, current_setting(''dialer.default_region'')): NULL for invalid numbers.';
REVOKE EXECUTE ON FUNCTION dialer.try_e164_default(text) FROM PUBLIC;

CREATE FUNCTION dialer.phone_info(phone text, region text)
RETURNS jsonb
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_phone_info';
COMMENT ON FUNCTION dialer.phone_info(text, text) IS
  'Everything libphonenumber knows about the input: valid, possible, reason, e164, '
  'country_code, number_region, national_number, extension, type, national_format, '
  'international_format, and the dialling-safety flags emergency, short_number, premium_rate '
  'and safe_to_dial. Never raises for a bad number (an unknown region raises 22023).';
REVOKE EXECUTE ON FUNCTION dialer.phone_info(text, text) FROM PUBLIC;

CREATE FUNCTION dialer.phone_timezones(phone text, region text)
RETURNS text[]
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_phone_timezones';
COMMENT ON FUNCTION dialer.phone_timezones(text, text) IS
  'Candidate IANA time zones of a valid number: the only zone of its region when tzdata lists '
  'one, otherwise libphonenumber''s prefix map (most specific prefix wins, all candidates kept, '
  'e.g. +1 208 2.. -> {America/Boise,America/Los_Angeles}); empty when unknown. Invalid numbers '
  'raise 22023 like dialer.e164.';
REVOKE EXECUTE ON FUNCTION dialer.phone_timezones(text, text) FROM PUBLIC;

CREATE FUNCTION dialer.phone_library_version()
RETURNS text
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_phone_library_version';
COMMENT ON FUNCTION dialer.phone_library_version() IS
  'The loaded libphonenumber version and a fingerprint of its metadata, e.g. '
  '"8.12 (metadata 0123456789abcdef)". When it changes, re-validate stored numbers.';
REVOKE EXECUTE ON FUNCTION dialer.phone_library_version() FROM PUBLIC;

CREATE FUNCTION dialer.phone_e164_check(value text)
RETURNS boolean
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_phone_e164_check';
COMMENT ON FUNCTION dialer.phone_e164_check(text) IS
  'True when value is already the canonical E.164 text of a valid number '
  '(dialer.e164(value, NULL) = value); the CHECK of domain dialer.phone_e164.';
REVOKE EXECUTE ON FUNCTION dialer.phone_e164_check(text) FROM PUBLIC;

CREATE DOMAIN dialer.phone_e164 AS text
  CONSTRAINT phone_e164_canonical CHECK (dialer.phone_e164_check(VALUE));
COMMENT ON DOMAIN dialer.phone_e164 IS
  'Text that is already the canonical E.164 form of a valid phone number, e.g. +14155552671. '
  'Convert input with dialer.e164(phone, region) before storing it.';

-- ---- sql_src/11_phone_area_zones.sql ----
-- Time-zone candidates at area-code precision (src/phone/timezones.cpp AreaTimeZones,
-- src/pg/phone.cpp): the scheduler's default for a number without a known contact zone.
-- An exchange is where a number was issued, not where its owner is: people keep their
-- mobile numbers when they move within the area code, so every zone listed anywhere
-- under a NANP area code is a candidate. Non-NANP numbers get dialer.phone_timezones.
--
-- Not STRICT, like dialer.phone_timezones: a NULL region means "international input
-- only" (the scheduler passes NULL with stored E.164 numbers); a STRICT function would
-- return NULL there and coalesce() would silently fall back to a single default zone.
-- A NULL phone gives NULL.

CREATE FUNCTION dialer.phone_area_timezones(phone text, region text)
RETURNS text[]
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_phone_area_timezones';
COMMENT ON FUNCTION dialer.phone_area_timezones(text, text) IS
  'Candidate IANA time zones of a valid number at area-code precision: for a NANP (+1) number, '
  'the sorted union of the zones libphonenumber lists for any prefix under its area code (the '
  'owner may have moved within it, e.g. +1 850 200 .... -> {America/Chicago,America/New_York}); '
  'otherwise, and for area codes without data such as toll-free, dialer.phone_timezones. '
  'Invalid numbers raise 22023 like dialer.e164.';
REVOKE EXECUTE ON FUNCTION dialer.phone_area_timezones(text, text) FROM PUBLIC;

-- ---- sql_src/20_updated_at.sql ----
-- The updated_at trigger (C, src/pg/updated_at.cpp) and the function that installs it.

CREATE FUNCTION dialer.set_updated_at()
RETURNS trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'dialer_set_updated_at';
COMMENT ON FUNCTION dialer.set_updated_at() IS
  'BEFORE INSERT OR UPDATE row trigger: stamps the timestamptz/timestamp column named by the first '
  'trigger argument (default updated_at) with the transaction start time. Further arguments: '
  'skip_noop (leave updates that change no other column untouched), statement or clock (stamp '
  'the statement start or the wall clock instead). Install with dialer.track_updated_at().';
REVOKE EXECUTE ON FUNCTION dialer.set_updated_at() FROM PUBLIC;

CREATE FUNCTION dialer.track_updated_at(
  tbl regclass,
  col name DEFAULT 'updated_at',
  skip_noop boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  v_type oid;
  v_kind "char";
BEGIN
  SELECT c.relkind INTO v_kind FROM pg_catalog.pg_class c WHERE c.oid = tbl;
  IF v_kind NOT IN ('r', 'p') THEN
    RAISE EXCEPTION 'relation % is not a table', tbl
      USING ERRCODE = '42809',
            DETAIL = 'Row triggers that stamp a column can only be installed on tables.',
            HINT = 'Pass a table (or partitioned table) name.';
  END IF;
  SELECT a.atttypid INTO v_type
    FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
  IF v_type IS NULL THEN
    RAISE EXCEPTION 'column "%" of relation % does not exist', col, tbl
      USING ERRCODE = '42703',
            DETAIL = 'dialer.track_updated_at() stamps an existing column.',
            HINT = format('Add it first: ALTER TABLE %s ADD COLUMN %I timestamptz NOT NULL DEFAULT now();',
                          tbl, col);
  END IF;
  IF v_type NOT IN ('timestamptz'::pg_catalog.regtype, 'timestamp'::pg_catalog.regtype) THEN
    RAISE EXCEPTION 'column "%" of relation % is of type %', col, tbl, v_type::pg_catalog.regtype
      USING ERRCODE = '42804',
            DETAIL = 'dialer.set_updated_at() stamps timestamptz or timestamp columns.',
            HINT = format('Change its type: ALTER TABLE %s ALTER COLUMN %I TYPE timestamptz;', tbl, col);
  END IF;
  EXECUTE format(
    'CREATE OR REPLACE TRIGGER %I BEFORE INSERT OR UPDATE ON %s '
    'FOR EACH ROW EXECUTE FUNCTION dialer.set_updated_at(%L%s)',
    left('dialer_set_' || col, 63), tbl, col,
    CASE WHEN skip_noop THEN ', ''skip_noop''' ELSE '' END);
END
$$;
COMMENT ON FUNCTION dialer.track_updated_at(regclass, name, boolean) IS
  'Installs dialer.set_updated_at() on table tbl for column col (default updated_at) after '
  'checking the column exists (42703) and is timestamptz or timestamp (42804). skip_noop => true '
  'leaves updates that change no other column untouched. Idempotent: re-running replaces the '
  'trigger named dialer_set_<col>.';
REVOKE EXECUTE ON FUNCTION dialer.track_updated_at(regclass, name, boolean) FROM PUBLIC;

-- ---- sql_src/21_model.sql ----
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

CREATE TYPE dialer.call_status AS ENUM
  ('claimed', 'dialing', 'ringing', 'in_progress', 'completed', 'failed', 'cancelled', 'expired');
COMMENT ON TYPE dialer.call_status IS
  'One attempt''s state: in flight while claimed (leased to a worker), dialing, ringing or '
  'in_progress (answered); final: completed, failed, cancelled, expired (lease ran out).';

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

CREATE TABLE dialer.leads (
  tenant_id          uuid NOT NULL,
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id        uuid NOT NULL,
  phone              text NOT NULL,
  status             dialer.lead_status NOT NULL DEFAULT 'pending',
  priority           integer NOT NULL DEFAULT 0,
  attempts           integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_attempt_at    timestamptz,
  next_attempt_at    timestamptz,
  last_outcome_class text,
  custom_fields      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
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
COMMENT ON COLUMN dialer.leads.custom_fields IS 'Per-campaign data for the script (the contact''s own data is on contacts).';

-- ---- calls ---------------------------------------------------------------------

CREATE TABLE dialer.calls (
  tenant_id        uuid NOT NULL REFERENCES dialer.tenants (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id      uuid,
  lead_id          uuid,
  direction        dialer.call_direction NOT NULL DEFAULT 'outbound',
  phone            text NOT NULL CONSTRAINT calls_phone_e164 CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  caller_id        text CONSTRAINT calls_caller_id_e164 CHECK (caller_id ~ '^\+[1-9][0-9]{6,14}$'),
  status           dialer.call_status NOT NULL DEFAULT 'claimed',
  attempt_number   integer NOT NULL DEFAULT 1 CHECK (attempt_number >= 1),
  worker_id        text,
  claimed_at       timestamptz,
  lease_expires_at timestamptz,
  idempotency_key  text NOT NULL DEFAULT gen_random_uuid()::text,
  outcome_class    text,
  provider         text CHECK (provider ~ '^[a-z][a-z0-9_]*$'),
  provider_call_id text,
  provider_outcome text,
  started_at       timestamptz,
  answered_at      timestamptz,
  ended_at         timestamptz,
  duration_seconds integer CHECK (duration_seconds >= 0),
  cost             numeric(12, 6) CHECK (cost >= 0 AND cost <> 'NaN'),
  recording_url    text,
  transcript       jsonb,
  summary          text,
  notes            text,
  metadata         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, idempotency_key),
  UNIQUE (tenant_id, provider, provider_call_id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, lead_id) REFERENCES dialer.leads (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT calls_outbound_has_lead
    CHECK (direction = 'inbound' OR (campaign_id IS NOT NULL AND lead_id IS NOT NULL)),
  CONSTRAINT calls_time_order CHECK (answered_at >= started_at AND ended_at >= started_at)
);
CREATE INDEX calls_campaign_idx ON dialer.calls (tenant_id, campaign_id, created_at);
CREATE INDEX calls_lead_idx ON dialer.calls (tenant_id, lead_id, attempt_number);
CREATE INDEX calls_id_idx ON dialer.calls (id);
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

-- ---- sql_src/22_tenancy.sql ----
-- Identity and tenancy: who is calling (the JWT sub), which tenants they belong to and
-- with which role, creating a tenant, resolving the tenant of an incoming identifier,
-- and adding one contact to a campaign.

CREATE FUNCTION dialer.current_user_id()
RETURNS uuid
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
  RETURN (
      SELECT CASE WHEN sub ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                  THEN sub::uuid END
        FROM (SELECT coalesce(
                nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''),
                nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
              AS sub) AS claims);
END
$$;
COMMENT ON FUNCTION dialer.current_user_id() IS
  'The calling user''s id: the sub claim of request.jwt.claims (what auth.uid() reads); NULL when '
  'there are no claims, no sub, or a sub that is not a uuid.';
REVOKE EXECUTE ON FUNCTION dialer.current_user_id() FROM PUBLIC;

-- SECURITY DEFINER: policies on tenant_members would otherwise recurse into themselves.
CREATE FUNCTION dialer.user_tenant_ids(p_min_role dialer.member_role DEFAULT 'viewer')
RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN (
      SELECT coalesce(array_agg(m.tenant_id), '{}')
        FROM dialer.tenant_members m
       WHERE m.user_id = dialer.current_user_id() AND m.role >= p_min_role);
END
$$;
COMMENT ON FUNCTION dialer.user_tenant_ids(dialer.member_role) IS
  'The tenants the calling user belongs to with at least role p_min_role. Policies use it as '
  'tenant_id = ANY ((SELECT dialer.user_tenant_ids(...))) so it runs once per statement.';
REVOKE EXECUTE ON FUNCTION dialer.user_tenant_ids(dialer.member_role) FROM PUBLIC;

CREATE FUNCTION dialer._caller_bypasses_rls()
RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
  RETURN (
      -- Why the role setting and not current_user: inside a SECURITY DEFINER function
      -- current_user is the owner; the role setting still names the requester
      -- (PostgREST's SET LOCAL ROLE), and session_user covers a direct login.
      SELECT coalesce(
        (SELECT r.rolsuper OR r.rolbypassrls
           FROM pg_catalog.pg_roles r
          WHERE r.rolname = CASE pg_catalog.current_setting('role')
                              WHEN 'none' THEN session_user::text
                              ELSE pg_catalog.current_setting('role') END),
        false));
END
$$;
COMMENT ON FUNCTION dialer._caller_bypasses_rls() IS
  'Whether the requesting role (SET ROLE, else the login) bypasses row-level security '
  '(service_role, superusers), even when asked from inside a SECURITY DEFINER function.';
REVOKE EXECUTE ON FUNCTION dialer._caller_bypasses_rls() FROM PUBLIC;

CREATE FUNCTION dialer.has_tenant_role(p_tenant_id uuid, p_min_role dialer.member_role DEFAULT 'viewer')
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN (
      SELECT dialer._caller_bypasses_rls()
          OR EXISTS (SELECT 1 FROM dialer.tenant_members m
                      WHERE m.tenant_id = p_tenant_id AND m.user_id = dialer.current_user_id()
                        AND m.role >= p_min_role));
END
$$;
COMMENT ON FUNCTION dialer.has_tenant_role(uuid, dialer.member_role) IS
  'Whether the caller may act on tenant p_tenant_id with at least role p_min_role: a member '
  'with that role, or a role that bypasses RLS (service_role). For SECURITY DEFINER RPCs that '
  'must check the requester.';
REVOKE EXECUTE ON FUNCTION dialer.has_tenant_role(uuid, dialer.member_role) FROM PUBLIC;

CREATE FUNCTION dialer.create_tenant(p_name text, p_slug text DEFAULT NULL)
RETURNS dialer.tenants
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_user uuid := dialer.current_user_id();
  v_tenant dialer.tenants;
BEGIN
  IF v_user IS NULL THEN
    RAISE EXCEPTION 'creating a tenant needs a signed-in user'
      USING ERRCODE = '42501',
            DETAIL = 'The new tenant''s owner is the caller (the JWT sub claim), and there is none.',
            HINT = 'Call it with a user''s JWT, or insert into dialer.tenants as the service role.';
  END IF;
  INSERT INTO dialer.tenants (name, slug) VALUES (p_name, p_slug) RETURNING * INTO v_tenant;
  INSERT INTO dialer.tenant_members (tenant_id, user_id, role) VALUES (v_tenant.id, v_user, 'owner');
  RETURN v_tenant;
END
$$;
COMMENT ON FUNCTION dialer.create_tenant(text, text) IS
  'Creates a tenant owned by the calling user and returns it (42501 without a signed-in user; '
  '23505 when the slug is taken).';
REVOKE EXECUTE ON FUNCTION dialer.create_tenant(text, text) FROM PUBLIC;

CREATE FUNCTION dialer.resolve_tenant(identifier text, channel text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN (
      WITH wanted (kind, value) AS (
        SELECT 'email'::dialer.identifier_kind, lower(btrim(resolve_tenant.identifier))
         WHERE resolve_tenant.identifier LIKE '%@%'
        UNION ALL
        SELECT 'phone', dialer._canonical_phone(resolve_tenant.identifier, false)
         WHERE resolve_tenant.identifier NOT LIKE '%@%'
        UNION ALL
        SELECT 'handle', btrim(resolve_tenant.identifier))
      SELECT i.tenant_id
        FROM dialer.tenant_identifiers i
        JOIN wanted w ON w.kind = i.kind AND w.value = i.value
       WHERE (i.channel = lower(btrim(resolve_tenant.channel)) OR i.channel IS NULL)
         -- An unverified claim never routes (dialer._guard_identifier_verification).
         AND i.verified_at IS NOT NULL
       ORDER BY i.channel IS NULL, i.kind = 'handle'
       LIMIT 1);
END
$$;
COMMENT ON FUNCTION dialer.resolve_tenant(text, text) IS
  'The tenant an incoming phone number (normalised to E.164), email address (lower-cased) or '
  'channel handle belongs to on a channel (whatsapp, voice, ...), or NULL. Only verified '
  'identifiers route (verified_at set by the operator); one registered for the exact channel '
  'wins over one registered for every channel.';
REVOKE EXECUTE ON FUNCTION dialer.resolve_tenant(text, text) FROM PUBLIC;

-- SECURITY INVOKER on purpose: the caller's own policies decide whether the campaign is
-- visible and whether they may add contacts and leads to it.
CREATE FUNCTION dialer.add_lead(
  p_campaign_id uuid,
  p_phone text,
  p_first_name text DEFAULT NULL,
  p_last_name text DEFAULT NULL,
  p_email text DEFAULT NULL,
  p_custom_fields jsonb DEFAULT '{}',
  p_priority integer DEFAULT 0)
RETURNS dialer.leads
LANGUAGE plpgsql VOLATILE
SET search_path = ''
AS $$
DECLARE
  v_tenant uuid;
  v_region text;
  v_phone text;
  v_lead dialer.leads;
BEGIN
  SELECT c.tenant_id, t.default_region INTO v_tenant, v_region
    FROM dialer.campaigns c JOIN dialer.tenants t ON t.id = c.tenant_id WHERE c.id = p_campaign_id;
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'campaign % not found', p_campaign_id
      USING ERRCODE = 'PT404',
            DETAIL = 'No campaign with this id is visible to the caller.',
            HINT = 'Check the id, and that you are a member of the campaign''s tenant.';
  END IF;
  -- National-format input is read in the tenant's default region.
  v_phone := dialer._canonical_phone(p_phone, true, v_region);
  INSERT INTO dialer.contacts (tenant_id, phone, first_name, last_name, email)
  VALUES (v_tenant, v_phone, p_first_name, p_last_name, p_email)
  ON CONFLICT (tenant_id, phone) DO NOTHING;
  BEGIN
    INSERT INTO dialer.leads (tenant_id, campaign_id, phone, custom_fields, priority)
    VALUES (v_tenant, p_campaign_id, v_phone, coalesce(p_custom_fields, '{}'), p_priority)
    RETURNING * INTO v_lead;
  EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'phone % is already in campaign %', v_phone, p_campaign_id
      USING ERRCODE = '23505',
            DETAIL = format('"%s" normalises to %s, which the campaign already has as a lead.',
                            p_phone, v_phone),
            HINT = 'Update the existing lead instead of adding it again.';
  END;
  RETURN v_lead;
END
$$;
COMMENT ON FUNCTION dialer.add_lead(uuid, text, text, text, text, jsonb, integer) IS
  'Adds one person to a campaign: normalises the phone to E.164, creates the tenant''s contact '
  'if it is new (an existing contact keeps its data), and inserts the lead. A phone already in '
  'the campaign is 23505 (HTTP 409); an unknown or invisible campaign is PT404.';
REVOKE EXECUTE ON FUNCTION dialer.add_lead(uuid, text, text, text, text, jsonb, integer) FROM PUBLIC;

-- ---- sql_src/23_rls.sql ----
-- Row-level security on every model table.
--
-- Who may do what (roles ordered viewer < agent < admin < owner):
--   * members of a tenant read its rows; the roles decide writes:
--       viewer  reads only;
--       agent   also writes calls, lead state, conversations, messages, escalations and
--               adds suppressions (a do-not-call request taken on a call);
--       admin   also manages campaigns, leads, contacts, suppressions, identifiers, members
--               and the tenant's settings;
--       owner   also manages owners and deletes the tenant.
--   * conversations (and their messages and escalations) are personal: a signed-in user
--     sees and writes the conversations whose user_id is theirs (the voice-conversation
--     design), agents and above see the tenant's; viewers see only their own.
--   * service_role bypasses RLS; anon has no grants and no policies.
--
-- Every identity lookup is written (SELECT dialer...()) so it runs once per statement as
-- an InitPlan, and every policy filters on tenant_id (the leading key column of every
-- table) or an indexed user_id. UPDATE policies admit every member in USING and check
-- the writer's role in WITH CHECK, so a viewer's update is refused with 42501 (HTTP 403)
-- instead of silently matching nothing.

ALTER TABLE dialer.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.tenant_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.tenant_identifiers ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.suppressions ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.global_suppressions ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.calls ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.escalations ENABLE ROW LEVEL SECURITY;

-- Policies name the role `authenticated` when it exists (Supabase, or the test
-- bootstrap); on a plain server without it they apply to PUBLIC, which holds no table
-- privileges, so they grant nothing there.
CREATE FUNCTION dialer._create_policy(
  p_table regclass, p_name text, p_command text, p_using text, p_check text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  EXECUTE format('CREATE POLICY %I ON %s AS PERMISSIVE FOR %s TO %s%s%s',
    p_name, p_table, p_command,
    CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated')
         THEN 'authenticated' ELSE 'public' END,
    CASE WHEN p_using IS NULL THEN '' ELSE format(' USING (%s)', p_using) END,
    CASE WHEN p_check IS NULL THEN '' ELSE format(' WITH CHECK (%s)', p_check) END);
  EXECUTE format('COMMENT ON POLICY %I ON %s IS %L', p_name, p_table,
    format('Who may %s rows of %s: the pg_dialer tenancy rules (docs/model.md).',
           lower(p_command), p_table));
END
$$;
COMMENT ON FUNCTION dialer._create_policy(regclass, text, text, text, text) IS
  'Install-time helper: creates a permissive policy for the authenticated role (PUBLIC where '
  'that role does not exist).';
REVOKE EXECUTE ON FUNCTION dialer._create_policy(regclass, text, text, text, text) FROM PUBLIC;

DO $$
DECLARE
  member constant text := 'tenant_id = ANY ((SELECT dialer.user_tenant_ids())::uuid[])';
  agent constant text := 'tenant_id = ANY ((SELECT dialer.user_tenant_ids(''agent''))::uuid[])';
  admin constant text := 'tenant_id = ANY ((SELECT dialer.user_tenant_ids(''admin''))::uuid[])';
  owner constant text := 'tenant_id = ANY ((SELECT dialer.user_tenant_ids(''owner''))::uuid[])';
  me constant text := '(SELECT dialer.current_user_id())';
  -- A conversation row (or a row pointing at one) that belongs to the caller.
  own_conversation constant text :=
    'EXISTS (SELECT 1 FROM dialer.conversations c WHERE c.tenant_id = %2$I.tenant_id '
    'AND c.id = %2$I.conversation_id AND c.user_id = ' || me || ')';
  t text;
BEGIN
  -- tenants: keyed by id (its own tenant id); created through dialer.create_tenant().
  PERFORM dialer._create_policy('dialer.tenants', 'tenants_select', 'SELECT', replace(member, 'tenant_id =', 'id ='));
  PERFORM dialer._create_policy('dialer.tenants', 'tenants_update', 'UPDATE',
                                replace(member, 'tenant_id =', 'id ='), replace(admin, 'tenant_id =', 'id ='));
  PERFORM dialer._create_policy('dialer.tenants', 'tenants_delete', 'DELETE', replace(owner, 'tenant_id =', 'id ='));

  -- tenant_members: admins manage members, only owners touch owners; anyone may leave.
  PERFORM dialer._create_policy('dialer.tenant_members', 'tenant_members_select', 'SELECT', member);
  PERFORM dialer._create_policy('dialer.tenant_members', 'tenant_members_insert', 'INSERT', NULL,
    format('%s OR (%s AND role <> ''owner'')', owner, admin));
  PERFORM dialer._create_policy('dialer.tenant_members', 'tenant_members_update', 'UPDATE',
    format('%s OR (%s AND role <> ''owner'')', owner, member),
    format('%s OR (%s AND role <> ''owner'')', owner, admin));
  PERFORM dialer._create_policy('dialer.tenant_members', 'tenant_members_delete', 'DELETE',
    format('%s OR (%s AND role <> ''owner'') OR user_id = %s', owner, admin, me));

  -- Admin-managed tables: members read, admins write.
  FOREACH t IN ARRAY ARRAY['tenant_identifiers', 'contacts', 'campaigns'] LOOP
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_select', 'SELECT', member);
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_insert', 'INSERT', NULL, admin);
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_update', 'UPDATE', member, admin);
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_delete', 'DELETE', admin);
  END LOOP;

  -- suppressions: agents record do-not-call requests; admins edit and lift them.
  PERFORM dialer._create_policy('dialer.suppressions', 'suppressions_select', 'SELECT', member);
  PERFORM dialer._create_policy('dialer.suppressions', 'suppressions_insert', 'INSERT', NULL, agent);
  PERFORM dialer._create_policy('dialer.suppressions', 'suppressions_update', 'UPDATE', member, admin);
  PERFORM dialer._create_policy('dialer.suppressions', 'suppressions_delete', 'DELETE', admin);

  -- leads: admins add and remove them, agents move their dialling state.
  PERFORM dialer._create_policy('dialer.leads', 'leads_select', 'SELECT', member);
  PERFORM dialer._create_policy('dialer.leads', 'leads_insert', 'INSERT', NULL, admin);
  PERFORM dialer._create_policy('dialer.leads', 'leads_update', 'UPDATE', member, agent);
  PERFORM dialer._create_policy('dialer.leads', 'leads_delete', 'DELETE', admin);

  -- calls: agents place and complete them.
  PERFORM dialer._create_policy('dialer.calls', 'calls_select', 'SELECT', member);
  PERFORM dialer._create_policy('dialer.calls', 'calls_insert', 'INSERT', NULL, agent);
  PERFORM dialer._create_policy('dialer.calls', 'calls_update', 'UPDATE', member, agent);
  PERFORM dialer._create_policy('dialer.calls', 'calls_delete', 'DELETE', admin);

  -- conversations: the user's own (a member may open one in the tenant), or agents'.
  PERFORM dialer._create_policy('dialer.conversations', 'conversations_select', 'SELECT',
    format('user_id = %s OR %s', me, agent));
  PERFORM dialer._create_policy('dialer.conversations', 'conversations_insert', 'INSERT', NULL,
    format('(user_id = %s AND %s) OR %s', me, member, agent));
  PERFORM dialer._create_policy('dialer.conversations', 'conversations_update', 'UPDATE',
    format('user_id = %s OR %s', me, agent), format('(user_id = %s AND %s) OR %s', me, member, agent));
  PERFORM dialer._create_policy('dialer.conversations', 'conversations_delete', 'DELETE', admin);

  -- messages and escalations follow their conversation; only agents edit them.
  FOREACH t IN ARRAY ARRAY['messages', 'escalations'] LOOP
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_select', 'SELECT',
      format('%1$s OR ' || own_conversation, agent, t));
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_insert', 'INSERT', NULL,
      format('%1$s OR ' || own_conversation, agent, t));
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_update', 'UPDATE',
      format('%1$s OR ' || own_conversation, agent, t), agent);
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_delete', 'DELETE', admin);
  END LOOP;
  -- global_suppressions: no policy; only roles that bypass RLS (service_role) use it.
END
$$;

-- ---- sql_src/24_retention.sql ----
-- Retention: conversations (and their messages) older than their tenant's
-- retention_days are deleted in bounded batches, so a pg_cron job never holds many row
-- locks or a long transaction.

CREATE FUNCTION dialer.purge_conversations(
  p_tenant_id uuid,
  p_now timestamptz DEFAULT now(),
  p_batch_size integer DEFAULT 1000)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = ''
AS $$
DECLARE
  v_days integer;
  v_cutoff timestamptz;
  v_messages integer;
  v_conversations integer;
BEGIN
  IF p_batch_size IS NULL OR p_batch_size < 1 THEN
    RAISE EXCEPTION 'batch size % is not a positive number', p_batch_size
      USING ERRCODE = '22023',
            DETAIL = 'Each call deletes at most p_batch_size messages and p_batch_size conversations.',
            HINT = 'Pass p_batch_size => 1000 or another positive number.';
  END IF;
  SELECT t.retention_days INTO v_days FROM dialer.tenants t WHERE t.id = p_tenant_id;
  IF v_days IS NULL THEN
    RETURN 0;
  END IF;
  v_cutoff := p_now - make_interval(days => v_days);

  -- Messages first, so a conversation with many messages is removed over several
  -- calls. SKIP LOCKED: rows a live transaction holds are left for the next run.
  WITH doomed AS (
    SELECT m.tenant_id, m.id
      FROM dialer.conversations c
      JOIN dialer.messages m ON m.tenant_id = c.tenant_id AND m.conversation_id = c.id
     WHERE c.tenant_id = p_tenant_id AND coalesce(c.ended_at, c.started_at) < v_cutoff
     LIMIT p_batch_size
       FOR UPDATE OF m SKIP LOCKED)
  DELETE FROM dialer.messages m USING doomed d WHERE m.tenant_id = d.tenant_id AND m.id = d.id;
  GET DIAGNOSTICS v_messages = ROW_COUNT;

  WITH doomed AS (
    SELECT c.tenant_id, c.id
      FROM dialer.conversations c
     WHERE c.tenant_id = p_tenant_id AND coalesce(c.ended_at, c.started_at) < v_cutoff
       AND NOT EXISTS (SELECT 1 FROM dialer.messages m
                        WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id)
     LIMIT p_batch_size
       FOR UPDATE SKIP LOCKED)
  DELETE FROM dialer.conversations c USING doomed d WHERE c.tenant_id = d.tenant_id AND c.id = d.id;
  GET DIAGNOSTICS v_conversations = ROW_COUNT;
  RETURN v_messages + v_conversations;
END
$$;
COMMENT ON FUNCTION dialer.purge_conversations(uuid, timestamptz, integer) IS
  'Deletes up to p_batch_size messages and p_batch_size conversations of one tenant that ended '
  '(or started, if never ended) more than the tenant''s retention_days before p_now; returns the '
  'rows deleted (0 when nothing is due or the tenant keeps everything). Call until it returns 0.';
REVOKE EXECUTE ON FUNCTION dialer.purge_conversations(uuid, timestamptz, integer) FROM PUBLIC;

-- A procedure, not a function, so it can COMMIT between batches. Why no SET clause:
-- a procedure with SET options may not commit; every name below is schema-qualified.
CREATE PROCEDURE dialer.run_retention(p_now timestamptz DEFAULT now(), p_batch_size integer DEFAULT 1000)
LANGUAGE plpgsql
AS $$
DECLARE
  v_tenant uuid;
BEGIN
  FOR v_tenant IN
    SELECT t.id FROM dialer.tenants t WHERE t.retention_days IS NOT NULL ORDER BY t.id
  LOOP
    WHILE dialer.purge_conversations(v_tenant, p_now, p_batch_size) > 0 LOOP
      COMMIT;
    END LOOP;
    COMMIT;
  END LOOP;
END
$$;
COMMENT ON PROCEDURE dialer.run_retention(timestamptz, integer) IS
  'Purges expired conversations and messages of every tenant with a retention_days setting, '
  'committing after each batch. Schedule with pg_cron: '
  'SELECT cron.schedule(''dialer-retention'', ''17 3 * * *'', ''CALL dialer.run_retention()'').';
REVOKE EXECUTE ON PROCEDURE dialer.run_retention(timestamptz, integer) FROM PUBLIC;

-- ---- sql_src/25_grants.sql ----
-- Grants for the API roles. The install script cannot name Supabase's roles directly
-- (a plain server has none), so grants are applied by dialer.grant_api_access(): at
-- install time where the roles exist, and again by the Supabase migration (and by
-- anyone who adds the roles later). Functions are granted from one registry,
-- dialer.api_grants, which every feature's SQL file adds its rows to.

CREATE TABLE dialer.api_grants (
  function regprocedure NOT NULL,
  grantee  name NOT NULL CHECK (grantee IN ('authenticated', 'service_role')),
  PRIMARY KEY (function, grantee)
);
ALTER TABLE dialer.api_grants ENABLE ROW LEVEL SECURITY;
COMMENT ON TABLE dialer.api_grants IS
  'Which API role may EXECUTE which dialer function; applied by dialer.grant_api_access(). '
  'anon is never granted anything.';

INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY[
         -- used inside policies, CHECK constraints and row triggers, so every
         -- request that reads or writes the tables needs them
         'dialer.current_user_id()',
         'dialer._canonical_phone(text, boolean, text)',
         -- the phone core (10_phone.sql runs before this registry exists)
         'dialer.e164(text, text)',
         'dialer.try_e164(text, text)',
         'dialer.e164_default(text)',
         'dialer.try_e164_default(text)',
         'dialer.phone_info(text, text)',
         'dialer.phone_timezones(text, text)',
         'dialer.phone_area_timezones(text, text)',
         'dialer.phone_e164_check(text)',
         'dialer.phone_library_version()',
         'dialer._is_time_zone(text)',
         'dialer.user_tenant_ids(dialer.member_role)',
         'dialer.has_tenant_role(uuid, dialer.member_role)',
         'dialer.create_tenant(text, text)',
         'dialer.add_lead(uuid, text, text, text, text, jsonb, integer)']) AS f,
       unnest(ARRAY['authenticated', 'service_role']) AS g
UNION ALL
SELECT f::regprocedure, 'service_role'
  FROM unnest(ARRAY[
         'dialer.resolve_tenant(text, text)',
         'dialer.purge_conversations(uuid, timestamptz, integer)',
         'dialer.run_retention(timestamptz, integer)']) AS f;

CREATE FUNCTION dialer.grant_api_access()
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  v_table regclass;
  v_command text;
  v_columns text;
  v_grant record;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'anon') THEN
    REVOKE ALL ON ALL TABLES IN SCHEMA dialer FROM anon;
    REVOKE ALL ON SCHEMA dialer FROM anon;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
    GRANT USAGE ON SCHEMA dialer TO service_role;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA dialer TO service_role;
    REVOKE INSERT, UPDATE, DELETE ON dialer.api_grants FROM service_role;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated') THEN
    GRANT USAGE ON SCHEMA dialer TO authenticated;
    -- A table is granted a command only where a policy allows it to authenticated (or
    -- PUBLIC): RLS decides rows, the grant is defence in depth. Tables without RLS get
    -- SELECT only when they hold no tenant data (reference data such as outcome classes).
    FOR v_table IN
      SELECT c.oid FROM pg_catalog.pg_class c
       WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind IN ('r', 'p')
    LOOP
      IF NOT (SELECT c.relrowsecurity FROM pg_catalog.pg_class c WHERE c.oid = v_table) THEN
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid = v_table AND a.attname = 'tenant_id') THEN
          EXECUTE format('GRANT SELECT ON %s TO authenticated', v_table);
        END IF;
        CONTINUE;
      END IF;
      FOR v_command IN
        SELECT DISTINCT cmd FROM pg_catalog.pg_policy p,
               LATERAL unnest(CASE p.polcmd WHEN '*' THEN ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']
                                            WHEN 'r' THEN ARRAY['SELECT'] WHEN 'a' THEN ARRAY['INSERT']
                                            WHEN 'w' THEN ARRAY['UPDATE'] ELSE ARRAY['DELETE'] END) AS cmd
         WHERE p.polrelid = v_table
           AND (p.polroles @> ARRAY[0::oid]
                OR p.polroles @> ARRAY[(SELECT r.oid FROM pg_catalog.pg_roles r
                                         WHERE r.rolname = 'authenticated')])
      LOOP
        IF v_command = 'UPDATE' THEN
          -- Key columns never change through the API: a row cannot move to another tenant.
          SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_columns
            FROM pg_catalog.pg_attribute a
           WHERE a.attrelid = v_table AND a.attnum > 0 AND NOT a.attisdropped
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                              WHERE i.indrelid = v_table AND i.indisprimary
                                AND a.attnum = ANY (i.indkey));
          EXECUTE format('GRANT UPDATE (%s) ON %s TO authenticated', v_columns, v_table);
        ELSE
          EXECUTE format('GRANT %s ON %s TO authenticated', v_command, v_table);
        END IF;
      END LOOP;
    END LOOP;
  END IF;
  FOR v_grant IN
    SELECT g.function, g.grantee FROM dialer.api_grants g
     WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = g.grantee)
  LOOP
    EXECUTE format('GRANT EXECUTE ON %s %s TO %I',
      CASE WHEN (SELECT p.prokind FROM pg_catalog.pg_proc p WHERE p.oid = v_grant.function) = 'p'
           THEN 'PROCEDURE' ELSE 'FUNCTION' END,
      v_grant.function, v_grant.grantee);
  END LOOP;
END
$$;
COMMENT ON FUNCTION dialer.grant_api_access() IS
  'Grants the Supabase API roles what they need, where they exist: service_role every table and '
  'the functions registered for it; authenticated the schema, each command some RLS policy allows '
  '(UPDATE on non-key columns only), SELECT on tenant-free reference tables, and its registered '
  'functions; anon nothing. Idempotent; the Supabase migration runs it.';
REVOKE EXECUTE ON FUNCTION dialer.grant_api_access() FROM PUBLIC;


CREATE FUNCTION dialer.join_realtime_publication(p_publication name DEFAULT 'supabase_realtime')
RETURNS SETOF regclass
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  v_table regclass;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication p
                  WHERE p.pubname = p_publication AND NOT p.puballtables) THEN
    RETURN;
  END IF;
  FOREACH v_table IN ARRAY ARRAY['dialer.campaigns', 'dialer.leads', 'dialer.calls']::regclass[] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication_rel pr
                     JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
                    WHERE p.pubname = p_publication AND pr.prrelid = v_table) THEN
      EXECUTE format('ALTER PUBLICATION %I ADD TABLE %s', p_publication, v_table);
      RETURN NEXT v_table;
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION dialer.join_realtime_publication(name) IS
  'Adds dialer.campaigns, dialer.leads and dialer.calls to the publication (Supabase Realtime''s '
  'supabase_realtime by default) when it exists and lists tables; returns the tables it added. '
  'Idempotent; does nothing without the publication or for a FOR ALL TABLES publication.';
REVOKE EXECUTE ON FUNCTION dialer.join_realtime_publication(name) FROM PUBLIC;

-- ---- sql_src/26_guards.sql ----
-- Guards for what a signed-in caller sends (docs/security.md): resource limits read
-- through dialer._limit(), instants that must be close to the server clock, suspended
-- tenants that cannot dial, and who may change a tenant's status or verify an
-- identifier that routes incoming traffic.

CREATE FUNCTION dialer._limit(p_name text)
RETURNS bigint
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_limit';
COMMENT ON FUNCTION dialer._limit(text) IS
  'Internal: the value of the resource limit GUC dialer.<p_name> (max_clock_skew in seconds, '
  'max_import_rows, max_timeseries_buckets, max_concurrent_calls); superuser-set only.';
REVOKE EXECUTE ON FUNCTION dialer._limit(text) FROM PUBLIC;
-- Granted: dialer.import_leads_from runs with the caller's rights and reads it.
INSERT INTO dialer.api_grants (function, grantee)
SELECT 'dialer._limit(text)'::regprocedure, g FROM unnest(ARRAY['authenticated', 'service_role']) g;

-- Raises 22023 (HTTP 400) for a request over a limit, naming the limit and how to raise it.
-- Why 22023 and not 54000: PostgREST answers 54xxx with a 5xx, and this is the caller's request.
CREATE FUNCTION dialer._over_limit(p_what text, p_asked numeric, p_limit text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
  RAISE EXCEPTION '% (%) is over the limit dialer.% = %', p_what, p_asked, p_limit, dialer._limit(p_limit)
    USING ERRCODE = '22023',
          DETAIL = format('dialer.%s bounds the work one request may ask for.', p_limit),
          HINT = format('Ask for less per call; a superuser raises the limit with ALTER DATABASE ... '
                        'SET dialer.%s = ..., or GRANT SET ON PARAMETER dialer.%s to the role that may.',
                        p_limit, p_limit);
END
$$;
COMMENT ON FUNCTION dialer._over_limit(text, numeric, text) IS
  'Internal: raises 22023 "<what> (<asked>) is over the limit dialer.<limit> = <value>" with how to raise it.';
REVOKE EXECUTE ON FUNCTION dialer._over_limit(text, numeric, text) FROM PUBLIC;

-- The instant a caller passed (p_now and the like), checked before a function writes with
-- it: finite, and within dialer.max_clock_skew of the server clock unless the caller
-- bypasses RLS (service_role, direct SQL by the owner: tests and back-fills).
-- Why: a signed-in worker could otherwise choose the instant legality is checked at, or
-- backdate call history.
CREATE FUNCTION dialer._check_caller_instant(p_name text, p_value timestamptz)
RETURNS timestamptz
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
DECLARE
  v_skew bigint;
BEGIN
  IF p_value IS NULL OR NOT isfinite(p_value) THEN
    PERFORM dialer._invalid_arg(p_name, p_value::text, 'a finite timestamp');
  END IF;
  v_skew := dialer._limit('max_clock_skew');
  -- Why epoch arithmetic: timestamptz - timestamptz can overflow an interval far apart.
  IF abs(extract(epoch FROM p_value) - extract(epoch FROM now())) > v_skew
     AND NOT dialer._caller_bypasses_rls() THEN
    RAISE EXCEPTION '% % is more than % seconds from the server clock (%)', p_name, p_value, v_skew, now()
      USING ERRCODE = '22023',
            DETAIL = 'A signed-in caller acts now: instants it passes must be within dialer.max_clock_skew of the server clock.',
            HINT = format('Omit %s (the server clock is used), fix the client clock, or use the service role for back-fills.', p_name);
  END IF;
  RETURN p_value;
END
$$;
COMMENT ON FUNCTION dialer._check_caller_instant(text, timestamptz) IS
  'Internal: returns the instant a caller passed if it is finite and, unless the caller bypasses '
  'RLS, within dialer.max_clock_skew of now(); 22023 naming the parameter otherwise.';
REVOKE EXECUTE ON FUNCTION dialer._check_caller_instant(text, timestamptz) FROM PUBLIC;

-- Raises PT403 when the tenant is suspended: its campaigns are not started, resumed,
-- claimed from or dialled (calls in flight may still be completed or released).
CREATE FUNCTION dialer._require_active_tenant(p_tenant_id uuid, p_action text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  IF (SELECT t.status FROM dialer.tenants t WHERE t.id = p_tenant_id) = 'suspended' THEN
    RAISE EXCEPTION 'cannot %: tenant % is suspended', p_action, p_tenant_id
      USING ERRCODE = 'PT403',
            DETAIL = 'A suspended tenant''s campaigns are not started, resumed, claimed from or dialled.',
            HINT = 'The operator (service_role) lifts a suspension by setting dialer.tenants.status to active.';
  END IF;
END
$$;
COMMENT ON FUNCTION dialer._require_active_tenant(uuid, text) IS
  'Internal: PT403 (HTTP 403) when the tenant is suspended; p_action names what was refused.';
REVOKE EXECUTE ON FUNCTION dialer._require_active_tenant(uuid, text) FROM PUBLIC;

-- Only a caller that bypasses RLS (the operator: service_role, the owner) changes a
-- tenant's status; otherwise a suspended tenant's admin could lift its own suspension.
CREATE FUNCTION dialer._guard_tenant_status()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NOT dialer._caller_bypasses_rls() THEN
    RAISE EXCEPTION 'only the service role changes a tenant''s status (tenant %: % to %)', OLD.id, OLD.status, NEW.status
      USING ERRCODE = '42501', DETAIL = 'Suspension is decided by the operator, not by the tenant''s members.',
            HINT = 'Ask the operator to change it.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._guard_tenant_status() IS
  'BEFORE UPDATE OF status trigger on tenants: 42501 unless the caller bypasses RLS (service_role).';
REVOKE EXECUTE ON FUNCTION dialer._guard_tenant_status() FROM PUBLIC;
CREATE TRIGGER dialer_guard_tenant_status BEFORE UPDATE OF status ON dialer.tenants
  FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status)
  EXECUTE FUNCTION dialer._guard_tenant_status();

-- Identifier claims by members are unverified and never route: verified_at is set only
-- by a caller that bypasses RLS (the operator, after checking the tenant controls the
-- number or address). A member may withdraw a verification (set it NULL), and changing
-- what an identifier is (kind, value, channel) withdraws it.
CREATE FUNCTION dialer._guard_identifier_verification()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF dialer._caller_bypasses_rls() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    -- Why silently: the column's default (now(), for the operator's own inserts) cannot
    -- be told apart from a value the member wrote; a member's insert is a claim.
    NEW.verified_at := NULL;
  ELSIF (NEW.kind, NEW.value, NEW.channel) IS DISTINCT FROM (OLD.kind, OLD.value, OLD.channel) THEN
    NEW.verified_at := NULL;
  ELSIF NEW.verified_at IS NOT NULL AND NEW.verified_at IS DISTINCT FROM OLD.verified_at THEN
    RAISE EXCEPTION 'only the service role verifies identifiers (identifier %)', OLD.id
      USING ERRCODE = '42501',
            DETAIL = 'A verified identifier routes incoming calls and mail to its tenant (dialer.resolve_tenant).',
            HINT = 'Ask the operator to verify that your tenant controls it.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._guard_identifier_verification() IS
  'BEFORE INSERT OR UPDATE trigger on tenant_identifiers: members'' identifiers are unverified '
  '(verified_at NULL) until a caller that bypasses RLS sets verified_at.';
REVOKE EXECUTE ON FUNCTION dialer._guard_identifier_verification() FROM PUBLIC;
-- Named to fire after dialer_normalize_identifier (BEFORE triggers fire in name order),
-- so a value rewritten in another format is compared canonical.
CREATE TRIGGER dialer_verification_guard BEFORE INSERT OR UPDATE ON dialer.tenant_identifiers
  FOR EACH ROW EXECUTE FUNCTION dialer._guard_identifier_verification();

-- ---- sql_src/30_schedule.sql ----
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
COMMENT ON FUNCTION dialer.next_attempt_at(uuid, jsonb, text[], integer, text, integer, timestamptz,
  timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean, boolean,
  timestamptz, timestamptz, timestamptz) IS
  'The earliest instant at or after p_now and the retry policy''s retry time at which every rule allows calling the lead (law rule packs, campaign and contact windows in every candidate zone, caps, gap, cool-downs), or NULL for never. See dialer.explain_next_attempt for the reason.';
REVOKE EXECUTE ON FUNCTION dialer.next_attempt_at(uuid, jsonb, text[], integer, text, integer,
  timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean,
  boolean, timestamptz, timestamptz, timestamptz) FROM PUBLIC;

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
COMMENT ON FUNCTION dialer.explain_next_attempt(uuid, jsonb, text[], integer, text, integer,
  timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean,
  boolean, timestamptz, timestamptz, timestamptz) IS
  'The same decision as dialer.next_attempt_at, explained: {next_attempt_at, status (scheduled|never), reason, detail, zones, trail: [{rule, owner, source, zone, until, detail}, ...]}.';
REVOKE EXECUTE ON FUNCTION dialer.explain_next_attempt(uuid, jsonb, text[], integer, text, integer,
  timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean,
  boolean, timestamptz, timestamptz, timestamptz) FROM PUBLIC;

-- The queue's lean variant: the decision and the binding rule's name, no explanation.
CREATE FUNCTION dialer._next_attempt_decision(
  p_lead_id uuid, p_retry_policy jsonb, p_zones text[], p_attempts integer, p_last_outcome text,
  p_class_attempts integer, p_last_attempt_at timestamptz, p_recent_calls timestamptz[],
  p_last_abandoned_at timestamptz, p_last_refusal_at timestamptz, p_calling_windows jsonb,
  p_contact_windows jsonb, p_rule_packs text[], p_suppressed boolean, p_artificial_voice boolean,
  p_has_consent boolean, p_campaign_starts_at timestamptz, p_campaign_ends_at timestamptz,
  p_now timestamptz, OUT next_attempt_at timestamptz, OUT reason text, OUT legal_until timestamptz)
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_next_attempt_decision';
COMMENT ON FUNCTION dialer._next_attempt_decision(uuid, jsonb, text[], integer, text, integer,
  timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean,
  boolean, timestamptz, timestamptz, timestamptz) IS
  'Internal: dialer.next_attempt_at with the reason (the binding rule, as in explain_next_attempt) '
  'and without the explanation; what the queue needs per call. legal_until: when the lead is '
  'callable at p_now, the first instant its calling windows close (at most two days on).';
REVOKE EXECUTE ON FUNCTION dialer._next_attempt_decision(uuid, jsonb, text[], integer, text, integer,
  timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean,
  boolean, timestamptz, timestamptz, timestamptz) FROM PUBLIC;

INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY[
         'dialer.check_retry_policy(jsonb)', 'dialer.check_calling_windows(jsonb)',
         'dialer.next_attempt_at(uuid, jsonb, text[], integer, text, integer, timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean, boolean, timestamptz, timestamptz, timestamptz)',
         'dialer.explain_next_attempt(uuid, jsonb, text[], integer, text, integer, timestamptz, timestamptz[], timestamptz, timestamptz, jsonb, jsonb, text[], boolean, boolean, boolean, timestamptz, timestamptz, timestamptz)']) f,
       unnest(ARRAY['authenticated', 'service_role']) g;

-- ---- sql_src/31_rule_packs.sql ----
-- Rule packs in the table-driven path: names checked when written, the call history
-- the rules in force look back over, and the packs a recipient gets when the campaign
-- names none (fail closed: a campaign without rule packs still obeys the law of the
-- country and state it calls). docs/schedule.md, "Rule packs in the queue".

CREATE FUNCTION dialer.check_rule_packs(p_rule_packs text[])
RETURNS boolean
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_check_rule_packs';
COMMENT ON FUNCTION dialer.check_rule_packs(text[]) IS
  'True when every name is a built-in rule pack; otherwise raises 22023 naming the unknown one '
  'and listing the known ones. For CHECK constraints (campaigns.rule_packs).';
REVOKE EXECUTE ON FUNCTION dialer.check_rule_packs(text[]) FROM PUBLIC;

CREATE FUNCTION dialer._rule_history_horizon(p_retry_policy jsonb, p_rule_packs text[])
RETURNS bigint
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_rule_history_horizon';
COMMENT ON FUNCTION dialer._rule_history_horizon(jsonb, text[]) IS
  'Internal: seconds of call history the policy''s and packs'' rules look back over (the longest '
  'rolling cap, minimum gap and cool-down after an abandoned call or a refusal).';
REVOKE EXECUTE ON FUNCTION dialer._rule_history_horizon(jsonb, text[]) FROM PUBLIC;

-- Which NANP area codes a state's rule pack covers: reference data the operator reads
-- and corrects (a new area code, an overlay) without a release.
CREATE TABLE dialer.rule_pack_area_codes (
  rule_pack text NOT NULL CHECK (dialer.check_rule_packs(ARRAY[rule_pack])),
  area_code text NOT NULL CHECK (area_code ~ '^[2-9][0-9]{2}$'),
  PRIMARY KEY (area_code, rule_pack)
);
COMMENT ON TABLE dialer.rule_pack_area_codes IS
  'The US state rule packs applied by default to numbers of each area code (a campaign without '
  'rule_packs gets us_federal plus these for a US number). Reference data; the operator edits it.';
-- Reference data like dialer.outcome_classes: no tenant rows, so no RLS (signed-in users
-- read it, only the operator writes), and not in pg_dump (the install script seeds it).
INSERT INTO dialer.rule_pack_area_codes (rule_pack, area_code)
SELECT p, unnest(a) FROM (VALUES
  ('us_fl', ARRAY['239', '305', '321', '324', '352', '386', '407', '448', '561', '645', '656', '689',
                  '727', '728', '754', '772', '786', '813', '850', '863', '904', '941', '954']),
  ('us_ok', ARRAY['405', '539', '572', '580', '918']),
  ('us_md', ARRAY['227', '240', '301', '410', '443', '667'])) AS x(p, a);

-- STABLE, not IMMUTABLE: for an invalid NANP number the answer depends on which area
-- codes this connection has seen (only valid, stored numbers are ever asked).
CREATE FUNCTION dialer._number_region(p_phone text)
RETURNS text
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_number_region';
COMMENT ON FUNCTION dialer._number_region(text) IS
  'Internal: the region (ISO 3166-1 alpha-2) an international number belongs to, NULL when it is not '
  'valid; what phone_info reports as number_region, without the rest (it runs per scheduling '
  'decision; a NANP area code''s region is remembered per connection).';
REVOKE EXECUTE ON FUNCTION dialer._number_region(text) FROM PUBLIC;

-- The rule packs a recipient's number gets when its campaign names none.
-- Why PL/pgSQL: as SQL the subquery kept it from being inlined, and PostgreSQL 15
-- planned it again on every call (per scheduling decision); PL/pgSQL keeps its plan.
CREATE FUNCTION dialer.default_rule_packs(p_phone text)
RETURNS text[]
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = ''
AS $$
BEGIN
  RETURN CASE dialer._number_region(p_phone)
    WHEN 'US' THEN ARRAY['us_federal'] || coalesce(
      (SELECT array_agg(r.rule_pack ORDER BY r.rule_pack) FROM dialer.rule_pack_area_codes r
        WHERE r.area_code = substr(p_phone, 3, 3)), '{}')
    WHEN 'FR' THEN ARRAY['fr']
    WHEN 'GB' THEN ARRAY['uk']
    ELSE '{}'::text[] END;
END
$$;
COMMENT ON FUNCTION dialer.default_rule_packs(text) IS
  'The rule packs for a number when its campaign names none: US numbers us_federal plus the state '
  'pack of their area code (dialer.rule_pack_area_codes), French numbers fr, UK numbers uk; {} for '
  'countries without a built-in pack (their calls obey the campaign''s and contact''s windows only).';
REVOKE EXECUTE ON FUNCTION dialer.default_rule_packs(text) FROM PUBLIC;

INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.check_rule_packs(text[])', 'dialer.default_rule_packs(text)',
                    'dialer._number_region(text)']) AS f,
       unnest(ARRAY['authenticated', 'service_role']) AS g;

-- What every built-in rule pack enforces, rule by rule, as rows (the planner's own data,
-- so what is listed is what is applied).
CREATE FUNCTION dialer._rule_pack_rules_json()
RETURNS jsonb
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_rule_pack_rules_json';
COMMENT ON FUNCTION dialer._rule_pack_rules_json() IS
  'Internal: every rule of every built-in rule pack as a JSON array (dialer.rule_pack_rules reads it).';
REVOKE EXECUTE ON FUNCTION dialer._rule_pack_rules_json() FROM PUBLIC;

CREATE FUNCTION dialer.rule_pack_rules()
RETURNS TABLE (rule_pack text, title text, rule text, applies_to text, figures jsonb, source text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
  SELECT r.rule_pack, r.title, r.rule, r.applies_to, r.figures, r.source
    FROM jsonb_to_recordset(dialer._rule_pack_rules_json())
         AS r(rule_pack text, title text, rule text, applies_to text, figures jsonb, source text)
$$;
COMMENT ON FUNCTION dialer.rule_pack_rules() IS
  'Every rule the built-in rule packs enforce: calling windows (weekly ranges and holiday calendars, '
  'for every call or for artificial-voice calls only), caps (max calls per_seconds), cool-downs '
  'after an abandoned call or a refusal (seconds), each with its legal source.';
REVOKE EXECUTE ON FUNCTION dialer.rule_pack_rules() FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer._rule_pack_rules_json()', 'dialer.rule_pack_rules()']) AS f,
       unnest(ARRAY['authenticated', 'service_role']) AS g;

-- ---- sql_src/40_outcomes.sql ----
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

-- ---- sql_src/41_queue_state.sql ----
-- Queue state: concurrency slots per campaign, the indexes the queue reads through,
-- and the lookup every queue function starts with.
--
-- Why slots: "never more calls in flight than max_concurrent_calls" must hold under
-- any number of concurrent claimers. Counting in-flight calls and then claiming races
-- (two claimers both see N-1); locking the campaign row serialises every claimer.
-- Instead each campaign has exactly max_concurrent_calls slot rows; a claim takes free
-- slots with FOR UPDATE SKIP LOCKED, so claimers never wait for each other and the
-- limit is enforced by the number of rows that exist.
--
-- Why the queue's PL/pgSQL functions SET plan_cache_mode = force_generic_plan: their
-- statements' plans do not depend on the values (key lookups and one index-ordered
-- queue scan), yet PostgreSQL plans each statement five times per connection before
-- trying a generic plan, and keeps re-planning when the generic estimate looks worse;
-- the scheduler's input query alone took milliseconds to plan, on every call.

CREATE TABLE dialer.campaign_slots (
  tenant_id   uuid NOT NULL,
  campaign_id uuid NOT NULL,
  slot        integer NOT NULL CHECK (slot >= 1),
  call_id     uuid,
  claimed_at  timestamptz,
  PRIMARY KEY (tenant_id, campaign_id, slot),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE
) WITH (fillfactor = 50);
-- Why call_id has neither an index nor a foreign key: every claim and every completion
-- writes it, and a write to an indexed column can never be a HOT update: each one added
-- index entries, and under load claimers waded through thousands of dead ones to find
-- a free slot of 64. Unindexed (and with free space on the page, fillfactor 50) the
-- updates are HOT and pruned in place. The call records the slot it holds (calls.slot),
-- so freeing is a primary-key lookup; a deleted call frees its slot by the trigger
-- dialer_free_deleted_call_slots below, which is what ON DELETE SET NULL did.
COMMENT ON TABLE dialer.campaign_slots IS
  'One row per concurrent call a campaign may have in flight (max_concurrent_calls rows); a '
  'claimed call occupies a slot until it completes, is released or its lease is reaped.';
ALTER TABLE dialer.campaign_slots ENABLE ROW LEVEL SECURITY;
SELECT dialer._create_policy('dialer.campaign_slots', 'campaign_slots_select', 'SELECT',
  'tenant_id = ANY ((SELECT dialer.user_tenant_ids())::uuid[])');

-- Keeps a campaign's slot rows equal to max_concurrent_calls: adds missing ones, drops
-- free ones above the limit (an occupied one above it is dropped when it is freed).
-- SECURITY DEFINER: signed-in admins create campaigns, but campaign_slots has no write
-- policy for them (found by the RLS matrix: INSERT campaigns as an admin was 403).
CREATE FUNCTION dialer._sync_campaign_slots()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  -- Why bounded: one slot row per concurrent call, so the limit is rows written here.
  IF NEW.max_concurrent_calls > dialer._limit('max_concurrent_calls') THEN
    PERFORM dialer._over_limit(format('max_concurrent_calls of campaign %s', NEW.id),
                               NEW.max_concurrent_calls, 'max_concurrent_calls');
  END IF;
  INSERT INTO dialer.campaign_slots (tenant_id, campaign_id, slot)
  SELECT NEW.tenant_id, NEW.id, g FROM generate_series(1, NEW.max_concurrent_calls) g
  ON CONFLICT DO NOTHING;
  DELETE FROM dialer.campaign_slots s
   WHERE s.tenant_id = NEW.tenant_id AND s.campaign_id = NEW.id
     AND s.slot > NEW.max_concurrent_calls AND s.call_id IS NULL;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._sync_campaign_slots() IS
  'Trigger: keeps dialer.campaign_slots at max_concurrent_calls rows per campaign (22023 above '
  'dialer.max_concurrent_calls).';
REVOKE EXECUTE ON FUNCTION dialer._sync_campaign_slots() FROM PUBLIC;
CREATE TRIGGER dialer_sync_campaign_slots
  AFTER INSERT OR UPDATE OF max_concurrent_calls ON dialer.campaigns
  FOR EACH ROW EXECUTE FUNCTION dialer._sync_campaign_slots();

-- The queue: due leads of a campaign, best first. NULLS FIRST: a never-attempted lead
-- (next_attempt_at NULL) is due at once.
CREATE INDEX leads_queue_idx ON dialer.leads
  (tenant_id, campaign_id, priority DESC, next_attempt_at NULLS FIRST)
  WHERE status IN ('pending', 'scheduled');
-- Leads that still need work (the campaign completes when none is left).
CREATE INDEX leads_open_idx ON dialer.leads (tenant_id, campaign_id)
  WHERE status IN ('pending', 'scheduled', 'in_progress', 'held');
-- At most one call in flight per lead, enforced by the database itself.
CREATE UNIQUE INDEX calls_one_in_flight_idx ON dialer.calls (tenant_id, lead_id)
  WHERE status IN ('claimed', 'dialing', 'ringing', 'in_progress');
-- Leases the reaper looks at.
CREATE INDEX calls_lease_idx ON dialer.calls (lease_expires_at)
  WHERE status IN ('claimed', 'dialing', 'ringing', 'in_progress');

-- The caller's role in a tenant: owner for roles that bypass RLS (service_role), the
-- membership role for a member, NULL otherwise. One lookup for both the visibility and
-- the permission check of a queue call.
CREATE FUNCTION dialer._caller_role(p_tenant_id uuid)
RETURNS dialer.member_role
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  IF dialer._caller_bypasses_rls() THEN
    RETURN 'owner';
  END IF;
  RETURN (SELECT m.role FROM dialer.tenant_members m
           WHERE m.tenant_id = p_tenant_id AND m.user_id = dialer.current_user_id());
END
$$;
COMMENT ON FUNCTION dialer._caller_role(uuid) IS
  'Internal: the caller''s role in a tenant (owner when the caller bypasses RLS, NULL when not a member).';
REVOKE EXECUTE ON FUNCTION dialer._caller_role(uuid) FROM PUBLIC;

-- The campaign p_campaign_id if the caller may act on it with p_min_role: raises PT404
-- when it does not exist or the caller is not a member (no existence leak), 42501 when
-- the caller's role is below p_min_role.
CREATE FUNCTION dialer._campaign_for(p_campaign_id uuid, p_min_role dialer.member_role)
RETURNS dialer.campaigns
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_c dialer.campaigns;
  v_role dialer.member_role;
BEGIN
  SELECT * INTO v_c FROM dialer.campaigns c WHERE c.id = p_campaign_id;
  IF v_c.id IS NOT NULL THEN
    v_role := dialer._caller_role(v_c.tenant_id);
  END IF;
  IF v_role IS NULL THEN
    RAISE EXCEPTION 'campaign % not found', p_campaign_id
      USING ERRCODE = 'PT404', DETAIL = 'No campaign with this id is visible to the caller.',
            HINT = 'Check the id, and that you are a member of the campaign''s tenant.';
  END IF;
  IF v_role < p_min_role THEN
    RAISE EXCEPTION 'role % or higher is needed for this on campaign %', p_min_role, p_campaign_id
      USING ERRCODE = '42501', DETAIL = 'Your membership role in the campaign''s tenant is lower.',
            HINT = 'Ask an admin of the tenant to do it, or to raise your role.';
  END IF;
  RETURN v_c;
END
$$;
COMMENT ON FUNCTION dialer._campaign_for(uuid, dialer.member_role) IS
  'Internal: the campaign if the caller may act on it with p_min_role (PT404 if invisible, 42501 if the role is too low).';
REVOKE EXECUTE ON FUNCTION dialer._campaign_for(uuid, dialer.member_role) FROM PUBLIC;

-- Raises 22023 naming a queue function's parameter and its bad value. Called only on
-- the error path (callers test the condition inline, which costs nothing).
CREATE FUNCTION dialer._invalid_arg(p_name text, p_value text, p_rule text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RAISE EXCEPTION 'invalid %: %', p_name, coalesce(p_value, 'NULL')
    USING ERRCODE = '22023', DETAIL = format('%s must be %s.', p_name, p_rule),
          HINT = format('Pass %s %s.', p_name, p_rule);
END
$$;
COMMENT ON FUNCTION dialer._invalid_arg(text, text, text) IS
  'Internal: raises 22023 "invalid <name>: <value>" with the rule the value breaks.';
REVOKE EXECUTE ON FUNCTION dialer._invalid_arg(text, text, text) FROM PUBLIC;

-- Frees the slot a call occupies (drops it if the campaign's limit shrank meanwhile).
CREATE FUNCTION dialer._free_slot(p_tenant_id uuid, p_campaign_id uuid, p_slot integer, p_call_id uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_slot integer;
BEGIN
  IF p_slot IS NOT NULL THEN
    UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL
     WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id AND s.slot = p_slot
       AND s.call_id = p_call_id
    RETURNING s.slot INTO v_slot;
  ELSE
    -- A call written by hand with status claimed: look through the campaign's slots.
    UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL
     WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id AND s.call_id = p_call_id
    RETURNING s.slot INTO v_slot;
  END IF;
  IF v_slot > (SELECT c.max_concurrent_calls FROM dialer.campaigns c
                WHERE c.tenant_id = p_tenant_id AND c.id = p_campaign_id) THEN
    DELETE FROM dialer.campaign_slots s
     WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id AND s.slot = v_slot
       AND s.call_id IS NULL;
  END IF;
END
$$;
COMMENT ON FUNCTION dialer._free_slot(uuid, uuid, integer, uuid) IS
  'Internal: frees the concurrency slot of a finished call (p_slot from calls.slot; NULL searches the campaign''s slots).';
REVOKE EXECUTE ON FUNCTION dialer._free_slot(uuid, uuid, integer, uuid) FROM PUBLIC;

-- Frees the slots of deleted calls (what a foreign key's ON DELETE SET NULL would do).
CREATE FUNCTION dialer._free_deleted_call_slots()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL
    FROM old_calls o
   WHERE s.tenant_id = o.tenant_id AND s.campaign_id = o.campaign_id AND s.slot = o.slot
     AND s.call_id = o.id;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._free_deleted_call_slots() IS
  'Trigger: a deleted call no longer occupies its campaign slot.';
REVOKE EXECUTE ON FUNCTION dialer._free_deleted_call_slots() FROM PUBLIC;
CREATE TRIGGER dialer_free_deleted_call_slots AFTER DELETE ON dialer.calls
  REFERENCING OLD TABLE AS old_calls
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._free_deleted_call_slots();

-- ---- sql_src/42_lifecycle.sql ----
-- Campaign lifecycle: draft -> scheduled/running <-> paused -> completed / cancelled.
-- start/pause/resume/stop validate the move (an illegal one is PT409, HTTP 409),
-- record who and when, and return the campaign's new state. Pausing stops new claims
-- while calls in flight finish; stopping also cancels the leads not yet called; a
-- running campaign completes itself when no lead is left (dialer.complete_call).

-- The status a move leads to from p_from, or NULL when the move is illegal.
CREATE FUNCTION dialer._campaign_move_target(p_action text, p_from dialer.campaign_status,
                                             p_starts_later boolean)
RETURNS dialer.campaign_status
LANGUAGE sql IMMUTABLE
SET search_path = ''
AS $$
  SELECT CASE
    WHEN p_action IN ('start', 'resume') AND p_from = (CASE p_action WHEN 'start' THEN 'draft' ELSE 'paused' END)::dialer.campaign_status
      THEN (CASE WHEN p_starts_later THEN 'scheduled' ELSE 'running' END)::dialer.campaign_status
    WHEN p_action = 'pause' AND p_from IN ('scheduled', 'running') THEN 'paused'::dialer.campaign_status
    WHEN p_action = 'stop' AND p_from IN ('draft', 'scheduled', 'running', 'paused') THEN 'cancelled'::dialer.campaign_status
  END
$$;
COMMENT ON FUNCTION dialer._campaign_move_target(text, dialer.campaign_status, boolean) IS
  'Internal: the lifecycle table. start: draft -> running (scheduled if schedule_start is later); '
  'pause: scheduled/running -> paused; resume: paused -> running/scheduled; stop: any open state -> cancelled.';
REVOKE EXECUTE ON FUNCTION dialer._campaign_move_target(text, dialer.campaign_status, boolean) FROM PUBLIC;

-- Applies one lifecycle move and returns {campaign_id, previous_status, status, changed_at, changed_by, leads_cancelled}.
CREATE FUNCTION dialer._move_campaign(p_campaign_id uuid, p_action text, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_c dialer.campaigns := dialer._campaign_for(p_campaign_id, 'admin');
  v_to dialer.campaign_status;
  v_cancelled bigint := 0;
BEGIN
  PERFORM dialer._check_caller_instant('p_now', p_now);
  IF p_action IN ('start', 'resume') THEN
    PERFORM dialer._require_active_tenant(v_c.tenant_id, p_action || ' campaign ' || p_campaign_id);
  END IF;
  -- Lock the row so two concurrent moves are applied one after the other.
  SELECT * INTO v_c FROM dialer.campaigns c WHERE c.tenant_id = v_c.tenant_id AND c.id = v_c.id FOR UPDATE;
  v_to := dialer._campaign_move_target(p_action, v_c.status, coalesce(v_c.schedule_start > p_now, false));
  IF v_to IS NULL THEN
    RAISE EXCEPTION 'cannot % campaign %: it is %', p_action, p_campaign_id, v_c.status
      USING ERRCODE = 'PT409',
            DETAIL = 'Allowed moves: start draft; pause scheduled or running; resume paused; stop any of draft, scheduled, running, paused.',
            HINT = CASE WHEN v_c.status IN ('completed', 'cancelled')
                        THEN 'A finished campaign cannot be reopened; create a new campaign.'
                        ELSE 'Check the campaign''s status first (dialer.campaigns.status).' END;
  END IF;
  IF p_action = 'start' AND v_c.schedule_end IS NOT NULL AND v_c.schedule_end <= p_now THEN
    RAISE EXCEPTION 'cannot start campaign %: its schedule ended at %', p_campaign_id, v_c.schedule_end
      USING ERRCODE = 'PT409', DETAIL = 'schedule_end is not after now.',
            HINT = 'Move schedule_end later, or clear it.';
  END IF;
  UPDATE dialer.campaigns c
     SET status = v_to, status_changed_at = p_now, status_changed_by = dialer.current_user_id(),
         started_at = CASE WHEN v_to = 'running' THEN coalesce(c.started_at, p_now) ELSE c.started_at END,
         completed_at = CASE WHEN v_to = 'cancelled' THEN p_now ELSE c.completed_at END
   WHERE c.tenant_id = v_c.tenant_id AND c.id = v_c.id;
  IF v_to = 'cancelled' THEN
    UPDATE dialer.leads l SET status = 'cancelled', next_attempt_at = NULL
     WHERE l.tenant_id = v_c.tenant_id AND l.campaign_id = v_c.id AND l.status IN ('pending', 'scheduled', 'held');
    GET DIAGNOSTICS v_cancelled = ROW_COUNT;
  END IF;
  RETURN jsonb_build_object('campaign_id', v_c.id, 'previous_status', v_c.status, 'status', v_to,
                            'changed_at', p_now, 'changed_by', dialer.current_user_id(),
                            'leads_cancelled', v_cancelled);
END
$$;
COMMENT ON FUNCTION dialer._move_campaign(uuid, text, timestamptz) IS
  'Internal: validates and applies one campaign lifecycle move (admin role; PT409 when illegal).';
REVOKE EXECUTE ON FUNCTION dialer._move_campaign(uuid, text, timestamptz) FROM PUBLIC;

CREATE FUNCTION dialer.start_campaign(p_campaign_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$ SELECT dialer._move_campaign(p_campaign_id, 'start', p_now) $$;
COMMENT ON FUNCTION dialer.start_campaign(uuid, timestamptz) IS
  'Starts a draft campaign: running now, or scheduled when schedule_start is later (admin role). '
  'Returns {campaign_id, previous_status, status, changed_at, changed_by, leads_cancelled}; PT409 if not a draft.';

CREATE FUNCTION dialer.pause_campaign(p_campaign_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$ SELECT dialer._move_campaign(p_campaign_id, 'pause', p_now) $$;
COMMENT ON FUNCTION dialer.pause_campaign(uuid, timestamptz) IS
  'Pauses a scheduled or running campaign: no new claims; calls in flight finish (admin role; PT409 otherwise).';

CREATE FUNCTION dialer.resume_campaign(p_campaign_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$ SELECT dialer._move_campaign(p_campaign_id, 'resume', p_now) $$;
COMMENT ON FUNCTION dialer.resume_campaign(uuid, timestamptz) IS
  'Resumes a paused campaign: running (or scheduled when schedule_start is later); admin role; PT409 otherwise.';

CREATE FUNCTION dialer.stop_campaign(p_campaign_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$ SELECT dialer._move_campaign(p_campaign_id, 'stop', p_now) $$;
COMMENT ON FUNCTION dialer.stop_campaign(uuid, timestamptz) IS
  'Stops a campaign for good: cancelled, its pending, scheduled and held leads cancelled; calls in '
  'flight may still be completed (admin role; PT409 when already finished).';

REVOKE EXECUTE ON FUNCTION dialer.start_campaign(uuid, timestamptz), dialer.pause_campaign(uuid, timestamptz),
  dialer.resume_campaign(uuid, timestamptz), dialer.stop_campaign(uuid, timestamptz) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.start_campaign(uuid, timestamptz)', 'dialer.pause_campaign(uuid, timestamptz)',
                    'dialer.resume_campaign(uuid, timestamptz)', 'dialer.stop_campaign(uuid, timestamptz)']) f,
       unnest(ARRAY['authenticated', 'service_role']) g;

-- ---- sql_src/43_plan.sql ----
-- The queue's bridge to the scheduler: gathers everything a decision about one lead
-- depends on from the tables (attempt history, calls to the same number, campaign
-- rules, the contact's windows, zone and consent, suppressions) and asks
-- dialer.next_attempt_at / dialer.explain_next_attempt. Used at claim time (legality
-- re-check), after each call (next attempt), and by dialer.why_not_dialable.

-- Policies and windows are validated when written, by the scheduler's own parser
-- (22023 naming the bad field's JSON path).
ALTER TABLE dialer.campaigns
  ADD CONSTRAINT campaigns_rule_packs_valid CHECK (dialer.check_rule_packs(rule_packs)),
  ADD CONSTRAINT campaigns_retry_policy_valid CHECK (dialer.check_retry_policy(retry_policy)),
  ADD CONSTRAINT campaigns_calling_windows_valid CHECK (dialer.check_calling_windows(calling_windows));
ALTER TABLE dialer.contacts
  ADD CONSTRAINT contacts_calling_windows_valid CHECK (dialer.check_calling_windows(calling_windows));

-- Calls to one number are read by caps, the minimum gap and cool-downs.
CREATE INDEX calls_phone_idx ON dialer.calls (tenant_id, phone, claimed_at);

-- Where a number's owner may be, for calling hours: every zone under its area code, or
-- with campaigns.zone_precision = 'exchange' the zone where it was issued. Plain SQL
-- (inlined by its callers: _lead_schedule_inputs, recipient_time_zone).
CREATE FUNCTION dialer._number_zones(p_phone text, p_zone_precision text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE p_zone_precision WHEN 'exchange' THEN dialer.phone_timezones(p_phone, NULL)
                               ELSE dialer.phone_area_timezones(p_phone, NULL) END
$$;
COMMENT ON FUNCTION dialer._number_zones(text, text) IS
  'Internal: the candidate zones of a number under a campaign''s zone_precision (area_code: '
  'dialer.phone_area_timezones; exchange: dialer.phone_timezones).';
REVOKE EXECUTE ON FUNCTION dialer._number_zones(text, text) FROM PUBLIC;
-- Granted: dialer.recipient_time_zone runs it as the caller, from the calls INSERT trigger.
INSERT INTO dialer.api_grants (function, grantee)
SELECT 'dialer._number_zones(text, text)'::regprocedure, g FROM unnest(ARRAY['authenticated', 'service_role']) g;

-- Every input of a scheduling decision for one lead, as the scheduler's named arguments.
CREATE FUNCTION dialer._lead_schedule_inputs(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                             p_last_outcome text DEFAULT NULL)
RETURNS TABLE (lead_id uuid, retry_policy jsonb, zones text[], attempts integer, last_outcome text,
               class_attempts integer, last_attempt_at timestamptz, recent_calls timestamptz[],
               last_abandoned_at timestamptz, last_refusal_at timestamptz, calling_windows jsonb,
               contact_windows jsonb, rule_packs text[], suppressed boolean, artificial_voice boolean,
               has_consent boolean, campaign_starts_at timestamptz, campaign_ends_at timestamptz,
               fallback_zone text)
-- Why plain SQL without SET search_path: so PostgreSQL inlines it into the calling
-- query (_plan_lead, _explain_lead), planned once with the caller's cached plan. A SET
-- clause would prevent inlining (and make PG15 re-plan a SQL function on every call).
-- Every name in it is schema-qualified, and it is not SECURITY DEFINER; its callers
-- all run with search_path = ''.
LANGUAGE sql STABLE
AS $$
    SELECT l.id, c.retry_policy,
           -- An explicit zone on the contact wins; else every candidate zone of the number
           -- (the scheduler needs all of them open: every zone under its area code unless the
           -- campaign opts into exchange precision); else the campaign's, else the tenant's.
           CASE WHEN ct.time_zone IS NOT NULL THEN ARRAY[ct.time_zone]
                ELSE coalesce(nullif(dialer._number_zones(l.phone, c.zone_precision), '{}'),
                              ARRAY[coalesce(c.time_zone, t.default_time_zone)]) END,
           -- p_last_outcome: the class of a call being completed in this transaction, before
           -- the lead row records it (saves a second update of the lead).
           l.attempts, coalesce(p_last_outcome, l.last_outcome_class),
           -- At least 1 when a last outcome is recorded: a lead edited by hand (or whose
           -- calls were deleted) must not make the planner reject the whole claim.
           CASE WHEN coalesce(p_last_outcome, l.last_outcome_class) IS NOT NULL THEN
             greatest(1, (SELECT count(*)::integer FROM dialer.calls k
                           WHERE k.tenant_id = l.tenant_id AND k.lead_id = l.id
                             AND k.outcome_class = coalesce(p_last_outcome, l.last_outcome_class)))
           ELSE 0 END,
           -- The lead's last attempt as the history times it (when it was placed), so the
           -- scheduler finds it among the recent calls and counts it once.
           coalesce(h.lead_last, l.last_attempt_at), h.recent, h.last_abandoned, h.last_refusal,
           c.calling_windows, ct.calling_windows, rp.packs,
           EXISTS (SELECT 1 FROM dialer.suppressions s
                    WHERE s.tenant_id = l.tenant_id AND s.phone = l.phone AND (s.expires_at IS NULL OR s.expires_at > p_now))
             OR EXISTS (SELECT 1 FROM dialer.global_suppressions g
                         WHERE g.phone = l.phone AND (g.expires_at IS NULL OR g.expires_at > p_now)),
           c.uses_ai_voice,
           ct.consent_ai_voice_at IS NOT NULL AND ct.consent_ai_voice_at <= p_now
             AND (ct.consent_revoked_at IS NULL OR ct.consent_revoked_at < ct.consent_ai_voice_at),
           c.schedule_start, c.schedule_end,
           -- The zone a call is counted under when the number has several candidates.
           coalesce(c.time_zone, t.default_time_zone)
      FROM dialer.leads l
      JOIN dialer.campaigns c ON c.tenant_id = l.tenant_id AND c.id = l.campaign_id
      JOIN dialer.tenants t ON t.id = l.tenant_id
      LEFT JOIN dialer.contacts ct ON ct.tenant_id = l.tenant_id AND ct.phone = l.phone
      -- Fail closed: a campaign that names no rule pack gets the recipient's country's and
      -- state's (dialer.default_rule_packs).
      CROSS JOIN LATERAL (
        SELECT CASE WHEN c.rule_packs = '{}' THEN dialer.default_rule_packs(l.phone) ELSE c.rule_packs END AS packs) rp
      LEFT JOIN LATERAL (
        -- Every call to the number (any campaign of the tenant), several at one instant
        -- each counted, timed from when it was placed (the claim until then) and its
        -- abandon or refusal from when it ended. How far back: the longest horizon of any
        -- rule in force, plus a day (a call is placed at most a lease, <= 1 day, after its
        -- claim). The lead's own claimed, not yet placed call is left out: a claim's
        -- legality is re-checked at dialing time against the calls before it.
        SELECT array_agg(coalesce(k.started_at, k.claimed_at) ORDER BY coalesce(k.started_at, k.claimed_at)) AS recent,
               max(coalesce(k.started_at, k.claimed_at)) FILTER (WHERE k.lead_id = l.id) AS lead_last,
               max(coalesce(k.ended_at, k.started_at, k.claimed_at)) FILTER (WHERE k.outcome_class = 'abandoned') AS last_abandoned,
               max(coalesce(k.ended_at, k.started_at, k.claimed_at)) FILTER (WHERE k.outcome_class = 'refused') AS last_refusal
          FROM dialer.calls k
         WHERE k.tenant_id = l.tenant_id AND k.phone = l.phone
           AND k.claimed_at > p_now - make_interval(secs => dialer._rule_history_horizon(c.retry_policy, rp.packs))
                                    - interval '1 day'
           AND k.claimed_at <= p_now
           AND k.status <> 'cancelled'
           AND NOT (k.lead_id = l.id AND k.status = 'claimed')) h ON true
     WHERE l.tenant_id = p_tenant_id AND l.id = p_lead_id
$$;
COMMENT ON FUNCTION dialer._lead_schedule_inputs(uuid, uuid, timestamptz, text) IS
  'Internal: every input of a scheduling decision for one lead, read from the tables.';
REVOKE EXECUTE ON FUNCTION dialer._lead_schedule_inputs(uuid, uuid, timestamptz, text) FROM PUBLIC;

-- The scheduler's explanation for one lead at p_now.
CREATE FUNCTION dialer._explain_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                     p_last_outcome text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN (
      SELECT dialer.explain_next_attempt(
        p_lead_id => i.lead_id, p_retry_policy => i.retry_policy, p_zones => i.zones,
        p_attempts => i.attempts, p_last_outcome => i.last_outcome, p_class_attempts => i.class_attempts,
        p_last_attempt_at => i.last_attempt_at, p_recent_calls => i.recent_calls,
        p_last_abandoned_at => i.last_abandoned_at, p_last_refusal_at => i.last_refusal_at,
        p_calling_windows => i.calling_windows, p_contact_windows => i.contact_windows,
        p_rule_packs => i.rule_packs, p_suppressed => i.suppressed, p_artificial_voice => i.artificial_voice,
        p_has_consent => i.has_consent, p_campaign_starts_at => i.campaign_starts_at,
        p_campaign_ends_at => i.campaign_ends_at, p_now => p_now)
        FROM dialer._lead_schedule_inputs(p_tenant_id, p_lead_id, p_now, p_last_outcome) i);
END
$$;
COMMENT ON FUNCTION dialer._explain_lead(uuid, uuid, timestamptz, text) IS
  'Internal: dialer.explain_next_attempt for one lead, inputs read from the tables.';
REVOKE EXECUTE ON FUNCTION dialer._explain_lead(uuid, uuid, timestamptz, text) FROM PUBLIC;

-- The lead status a "never" decision leaves a lead in, by the blocking rule.
CREATE FUNCTION dialer._never_status(p_reason text)
RETURNS dialer.lead_status
-- No SET clause, so the planner inlines it (a SET would re-plan it on every call).
LANGUAGE sql IMMUTABLE
AS $$
  SELECT (CASE p_reason
            WHEN 'unknown_outcome' THEN 'held'             -- a person decides (dialer.release_lead)
            WHEN 'suppressed' THEN 'do_not_call'
            ELSE 'failed' END)::dialer.lead_status          -- attempts used up, no consent, no window...
$$;
COMMENT ON FUNCTION dialer._never_status(text) IS
  'Internal: the lead status for a scheduler "never": held after an unknown result, do_not_call when suppressed, else failed.';
REVOKE EXECUTE ON FUNCTION dialer._never_status(text) FROM PUBLIC;

-- The next legal attempt for a lead: NULL next_attempt_at means never, with the
-- status the lead should take then. Why _next_attempt_decision: a "never" needs its
-- reason, and the lean variant returns both without building the JSON explanation.
-- Why plain SQL returning a one-row table, without SET clauses: PostgreSQL then inlines
-- it (with _lead_schedule_inputs and _never_status) into the calling statement, planned
-- once in the caller's cached plan. As PL/pgSQL with SET clauses each call paid for a
-- function scan, a result tuple descriptor and two GUC changes: ~0.1 ms, as much as the
-- query itself (pg_stat_statements, queue benchmark). Callers run with search_path ''.
CREATE FUNCTION dialer._plan_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                  p_last_outcome text DEFAULT NULL)
RETURNS TABLE (next_attempt_at timestamptz, final_status dialer.lead_status, recipient_zone text,
               legal_until timestamptz)
LANGUAGE sql STABLE
AS $$
  -- recipient_zone: what dialer.recipient_time_zone() answers (the contact's zone, else
  -- the number's only candidate, else the campaign's or tenant's), from the same row.
  SELECT d.next_attempt_at,
         CASE WHEN d.next_attempt_at IS NULL THEN dialer._never_status(d.reason) END,
         CASE WHEN cardinality(i.zones) = 1 THEN i.zones[1] ELSE i.fallback_zone END,
         d.legal_until
    FROM dialer._lead_schedule_inputs(p_tenant_id, p_lead_id, p_now, p_last_outcome) i,
         LATERAL dialer._next_attempt_decision(
           i.lead_id, i.retry_policy, i.zones, i.attempts, i.last_outcome, i.class_attempts,
           i.last_attempt_at, i.recent_calls, i.last_abandoned_at, i.last_refusal_at,
           i.calling_windows, i.contact_windows, i.rule_packs, i.suppressed, i.artificial_voice,
           i.has_consent, i.campaign_starts_at, i.campaign_ends_at, p_now) d
$$;
COMMENT ON FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) IS
  'Internal: the scheduler''s next legal attempt for a lead (one row; NULL next_attempt_at: never, '
  'with the status to take; legal_until: when callable at p_now, until when its windows stay open).';
REVOKE EXECUTE ON FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) FROM PUBLIC;

CREATE FUNCTION dialer.why_not_dialable(p_lead_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_lead dialer.leads;
  v_campaign dialer.campaigns;
  v_explain jsonb;
BEGIN
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  SELECT * INTO v_lead FROM dialer.leads l WHERE l.id = p_lead_id;
  IF v_lead.id IS NULL OR NOT dialer.has_tenant_role(v_lead.tenant_id, 'viewer') THEN
    RAISE EXCEPTION 'lead % not found', p_lead_id
      USING ERRCODE = 'PT404', DETAIL = 'No lead with this id is visible to the caller.',
            HINT = 'Check the id, and that you are a member of the lead''s tenant.';
  END IF;
  SELECT * INTO v_campaign FROM dialer.campaigns c WHERE c.tenant_id = v_lead.tenant_id AND c.id = v_lead.campaign_id;
  v_explain := dialer._explain_lead(v_lead.tenant_id, v_lead.id, p_now);
  RETURN jsonb_build_object(
      'lead_id', v_lead.id, 'phone', v_lead.phone, 'lead_status', v_lead.status,
      'attempts', v_lead.attempts, 'campaign_status', v_campaign.status,
      'dialable_now', v_lead.status IN ('pending', 'scheduled') AND v_campaign.status = 'running'
                      AND (v_explain ->> 'next_attempt_at')::timestamptz <= p_now,
      'blocked_by', CASE
          WHEN v_campaign.status <> 'running' THEN 'campaign_' || v_campaign.status
          WHEN v_lead.status NOT IN ('pending', 'scheduled') THEN 'lead_' || v_lead.status
          WHEN v_explain ->> 'status' = 'never' THEN v_explain ->> 'reason'
          WHEN (v_explain ->> 'next_attempt_at')::timestamptz > p_now THEN v_explain ->> 'reason'
        END)
    || jsonb_build_object('schedule', v_explain);
END
$$;
COMMENT ON FUNCTION dialer.why_not_dialable(uuid, timestamptz) IS
  'Why a lead is or is not being called at p_now: {dialable_now, blocked_by (campaign state, lead '
  'state, or the scheduler rule: window, cap, min_gap, retry_delay, suppressed, no_consent, ...), '
  'schedule: the scheduler''s full explanation with the earliest legal moment and its trail}. Viewer role.';
REVOKE EXECUTE ON FUNCTION dialer.why_not_dialable(uuid, timestamptz) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT 'dialer.why_not_dialable(uuid, timestamptz)'::regprocedure, g FROM unnest(ARRAY['authenticated', 'service_role']) g;

-- ---- sql_src/44_claim.sql ----
-- Claiming calls: "what do I call next?". A claim takes free concurrency slots and
-- due leads with FOR UPDATE SKIP LOCKED (claimers never wait for each other and never
-- get the same lead), re-checks each lead's legality with the scheduler at claim time,
-- and creates one call row per claimed lead, leased to the worker. No session state and
-- no advisory locks: everything is in the claiming transaction, so it works through a
-- transaction-mode pooler, and a worker that dies mid-claim leaves nothing behind.

CREATE FUNCTION dialer.claim_calls(
  p_campaign_id uuid,
  p_worker_id text,
  p_max_calls integer DEFAULT 1,
  p_lease interval DEFAULT '5 minutes',
  p_now timestamptz DEFAULT now())
RETURNS TABLE (call_id uuid, lead_id uuid, phone text, attempt_number integer,
               lease_expires_at timestamptz, idempotency_key text, dial_by timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_c dialer.campaigns := dialer._campaign_for(p_campaign_id, 'agent');
  v_slots integer[];
  v_lead record;
  v_plan record;
  v_got integer := 0;
  v_moved_ids uuid[] := '{}';
  v_moved_status dialer.lead_status[] := '{}';
  v_moved_at timestamptz[] := '{}';
BEGIN
IF NOT coalesce(length(btrim(p_worker_id)) BETWEEN 1 AND 200, false) THEN
    PERFORM dialer._invalid_arg('p_worker_id', p_worker_id, '1 to 200 characters');
  END IF;
IF NOT coalesce(p_max_calls BETWEEN 1 AND 1000, false) THEN
    PERFORM dialer._invalid_arg('p_max_calls', p_max_calls::text, 'between 1 and 1000');
  END IF;
IF NOT coalesce(p_lease > interval '0' AND p_lease <= interval '1 day', false) THEN
    PERFORM dialer._invalid_arg('p_lease', p_lease::text, 'positive and at most 1 day');
  END IF;
  -- Why only when it differs from now(): the default costs the hot path nothing.
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  PERFORM dialer._require_active_tenant(v_c.tenant_id, 'claim calls of campaign ' || p_campaign_id);
  IF NOT dialer._campaign_claimable(v_c, p_now) THEN
    RETURN;
  END IF;
  SELECT array_agg(s.slot ORDER BY s.slot) INTO v_slots FROM (
    SELECT s.slot FROM dialer.campaign_slots s
     WHERE s.tenant_id = v_c.tenant_id AND s.campaign_id = v_c.id AND s.call_id IS NULL
     ORDER BY s.slot LIMIT p_max_calls
       FOR UPDATE SKIP LOCKED) s;
  IF v_slots IS NULL THEN
    RETURN;  -- every slot is busy (or being taken by another claimer right now)
  END IF;
  -- One due lead at a time. Why not one query with LIMIT: every row a FOR UPDATE query
  -- returns is locked (a tuple write and a WAL record each), and PL/pgSQL fetches a FOR
  -- loop's rows ten at a time; over-fetching locked leads this claim never used, which
  -- the other claimers then had to skip. A lead the re-check moves stays locked by us
  -- (SKIP LOCKED does not skip our own locks), hence the exclusion list.
  LOOP
    SELECT l.id, l.phone, l.attempts INTO v_lead FROM dialer.leads l
     WHERE l.tenant_id = v_c.tenant_id AND l.campaign_id = v_c.id
       AND l.status IN ('pending', 'scheduled')
       AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= p_now)
       AND l.id <> ALL (v_moved_ids)
     ORDER BY l.priority DESC, l.next_attempt_at NULLS FIRST
     LIMIT 1
       FOR UPDATE SKIP LOCKED;
    EXIT WHEN NOT FOUND;
    SELECT * INTO v_plan FROM dialer._plan_lead(v_c.tenant_id, v_lead.id, p_now);
    IF v_plan.next_attempt_at IS NULL OR v_plan.next_attempt_at > p_now THEN
      v_moved_ids := v_moved_ids || v_lead.id;
      v_moved_status := v_moved_status
        || CASE WHEN v_plan.next_attempt_at IS NULL THEN v_plan.final_status ELSE 'scheduled' END;
      v_moved_at := v_moved_at || v_plan.next_attempt_at;
      -- Bounded work per claim: a campaign whose due leads are all blocked right now
      -- (a closed window everywhere) must not be re-planned lead by lead in one call.
      EXIT WHEN cardinality(v_moved_ids) >= 4 * cardinality(v_slots) + 16;
      CONTINUE;
    END IF;
    v_got := v_got + 1;
    -- created_at is the wall clock after the slot was taken (not the transaction start):
    -- with updated_at (stamped at the start of the completing transaction, before it
    -- commits and frees the slot) it bounds the real slot occupancy from inside, so
    -- intervals recorded on one slot never overlap (test/scripts/queue_concurrency.sh).
    INSERT INTO dialer.calls AS k (tenant_id, campaign_id, lead_id, phone, caller_id, provider, status,
                                   attempt_number, worker_id, claimed_at, lease_expires_at, created_at, slot,
                                   recipient_time_zone)
    VALUES (v_c.tenant_id, v_c.id, v_lead.id, v_lead.phone, v_c.caller_id, v_c.provider, 'claimed',
            v_lead.attempts + 1, p_worker_id, p_now, p_now + p_lease, clock_timestamp(), v_slots[v_got],
            v_plan.recipient_zone)
    RETURNING k.id, k.idempotency_key INTO call_id, idempotency_key;
    UPDATE dialer.leads l
       SET status = 'in_progress', attempts = l.attempts + 1, last_attempt_at = p_now, next_attempt_at = NULL
     WHERE l.tenant_id = v_c.tenant_id AND l.id = v_lead.id;
    UPDATE dialer.campaign_slots s SET call_id = claim_calls.call_id, claimed_at = p_now
     WHERE s.tenant_id = v_c.tenant_id AND s.campaign_id = v_c.id AND s.slot = v_slots[v_got];
    lead_id := v_lead.id;
    phone := v_lead.phone;
    attempt_number := v_lead.attempts + 1;
    lease_expires_at := p_now + p_lease;
    -- The dial-by deadline: never past the lease, nor past the end of the legal window
    -- (mark_call_dialing refuses a dial after it).
    dial_by := least(p_now + p_lease, v_plan.legal_until);
    RETURN NEXT;
    EXIT WHEN v_got = cardinality(v_slots);
  END LOOP;
  -- Leads the legality re-check moved: written last, in one statement. Why last: every
  -- queue function writes calls before leads, so concurrent transactions take their
  -- row locks (and the statistics counters' rows) in one order and cannot deadlock.
  IF v_moved_ids <> '{}' THEN
    UPDATE dialer.leads l SET status = m.status, next_attempt_at = m.next_at
      FROM unnest(v_moved_ids, v_moved_status, v_moved_at) AS m(id, status, next_at)
     WHERE l.tenant_id = v_c.tenant_id AND l.id = m.id;
  END IF;
END
$$;
COMMENT ON FUNCTION dialer.claim_calls(uuid, text, integer, interval, timestamptz) IS
  'Claims up to p_max_calls due leads of a running campaign for worker p_worker_id: highest '
  'priority first, legality re-checked by the scheduler, never more calls in flight than '
  'max_concurrent_calls, never one lead twice. Returns one row per call to place (call id, lead, '
  'E.164 number, attempt number, lease expiry, idempotency key for the provider, and dial_by: '
  'the deadline to dial it, never past the lease nor the end of the legal window). Agent role.';

-- Whether a campaign hands out calls at p_now: running (or scheduled and started),
-- inside its schedule. A scheduled campaign whose start has come becomes running.
CREATE FUNCTION dialer._campaign_claimable(p_c dialer.campaigns, p_now timestamptz)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  IF p_c.status = 'scheduled' AND coalesce(p_c.schedule_start <= p_now, true) THEN
    -- Why guarded by status in the WHERE: concurrent claimers may all see 'scheduled';
    -- the first flips it, the others update nothing.
    UPDATE dialer.campaigns c SET status = 'running', started_at = coalesce(c.started_at, p_now),
                                  status_changed_at = p_now
     WHERE c.tenant_id = p_c.tenant_id AND c.id = p_c.id AND c.status = 'scheduled';
    RETURN coalesce(p_c.schedule_end > p_now, true);
  END IF;
  RETURN p_c.status = 'running'
     AND coalesce(p_c.schedule_start <= p_now, true)
     AND coalesce(p_c.schedule_end > p_now, true);
END
$$;
COMMENT ON FUNCTION dialer._campaign_claimable(dialer.campaigns, timestamptz) IS
  'Internal: whether the campaign hands out calls at p_now (running, inside its schedule); flips a due scheduled campaign to running.';
REVOKE EXECUTE ON FUNCTION dialer._campaign_claimable(dialer.campaigns, timestamptz) FROM PUBLIC;

-- Tenant-wide claim, fair across the tenant's claimable campaigns: each round gives
-- one call to the campaign with the lowest share of its slots in use.
CREATE FUNCTION dialer.claim_tenant_calls(
  p_tenant_id uuid,
  p_worker_id text,
  p_max_calls integer DEFAULT 1,
  p_lease interval DEFAULT '5 minutes',
  p_now timestamptz DEFAULT now())
RETURNS TABLE (campaign_id uuid, call_id uuid, lead_id uuid, phone text, attempt_number integer,
               lease_expires_at timestamptz, idempotency_key text, dial_by timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_exhausted uuid[] := '{}';
  v_campaign uuid;
  v_got integer := 0;
  v_row record;
  v_found boolean;
BEGIN
  IF NOT dialer.has_tenant_role(p_tenant_id, 'agent') THEN
    RAISE EXCEPTION 'tenant % not found', p_tenant_id
      USING ERRCODE = 'PT404', DETAIL = 'The caller is not an agent (or higher) of this tenant.',
            HINT = 'Check the tenant id and your membership.';
  END IF;
IF NOT coalesce(p_max_calls BETWEEN 1 AND 1000, false) THEN
    PERFORM dialer._invalid_arg('p_max_calls', p_max_calls::text, 'between 1 and 1000');
  END IF;
  PERFORM dialer._check_caller_instant('p_now', p_now);
  PERFORM dialer._require_active_tenant(p_tenant_id, 'claim calls of tenant ' || p_tenant_id);
  WHILE v_got < p_max_calls LOOP
    SELECT c.id INTO v_campaign
      FROM dialer.campaigns c
      LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE s.call_id IS NOT NULL) AS busy
                           FROM dialer.campaign_slots s
                          WHERE s.tenant_id = c.tenant_id AND s.campaign_id = c.id) u ON true
     WHERE c.tenant_id = p_tenant_id AND c.status IN ('running', 'scheduled') AND c.id <> ALL (v_exhausted)
     ORDER BY u.busy::float8 / c.max_concurrent_calls, c.id
     LIMIT 1;
    EXIT WHEN v_campaign IS NULL;
    v_found := false;
    FOR v_row IN SELECT * FROM dialer.claim_calls(v_campaign, p_worker_id, 1, p_lease, p_now) LOOP
      campaign_id := v_campaign; call_id := v_row.call_id; lead_id := v_row.lead_id; phone := v_row.phone;
      attempt_number := v_row.attempt_number; lease_expires_at := v_row.lease_expires_at;
      idempotency_key := v_row.idempotency_key; dial_by := v_row.dial_by;
      v_got := v_got + 1; v_found := true;
      RETURN NEXT;
    END LOOP;
    IF NOT v_found THEN v_exhausted := v_exhausted || v_campaign; END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz) IS
  'Claims up to p_max_calls calls across a tenant''s running campaigns, fairly: each call goes to '
  'the campaign using the smallest share of its concurrency slots. Same rows as claim_calls (dial_by '
  'included) plus campaign_id.';

REVOKE EXECUTE ON FUNCTION dialer.claim_calls(uuid, text, integer, interval, timestamptz),
  dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.claim_calls(uuid, text, integer, interval, timestamptz)',
                    'dialer.claim_tenant_calls(uuid, text, integer, interval, timestamptz)']) f,
       unnest(ARRAY['authenticated', 'service_role']) g;

-- ---- sql_src/45_complete.sql ----
-- Finishing calls: complete_call (the provider's result), mark_call_dialing (the
-- worker dispatched it), release_call (the worker did not place it), release_lead (a
-- person decides a held lead may be called again), reap_expired_claims (leases that
-- ran out). Each locks the call row first, so concurrent reports of one call are
-- applied one after the other; completion is idempotent.

-- The call p_call_id locked for update, if the caller is an agent of its tenant
-- (PT404 otherwise, so call ids of other tenants are not disclosed).
CREATE FUNCTION dialer._call_for_update(p_call_id uuid)
RETURNS dialer.calls
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_call dialer.calls;
BEGIN
  -- Why the role in the WHERE: rows failing it are never locked, so naming another
  -- tenant's call does not hold that call's row lock.
  SELECT * INTO v_call FROM dialer.calls k
   WHERE k.id = p_call_id AND dialer._caller_role(k.tenant_id) >= 'agent' FOR UPDATE;
  IF v_call.id IS NULL THEN
    RAISE EXCEPTION 'call % not found', p_call_id
      USING ERRCODE = 'PT404', DETAIL = 'No call with this id is visible to the caller as an agent.',
            HINT = 'Use the call_id returned by dialer.claim_calls.';
  END IF;
  RETURN v_call;
END
$$;
COMMENT ON FUNCTION dialer._call_for_update(uuid) IS 'Internal: locks a call the caller may work on (PT404 otherwise).';
REVOKE EXECUTE ON FUNCTION dialer._call_for_update(uuid) FROM PUBLIC;

-- Plans again the waiting leads of other campaigns of the tenant that call the same
-- number, after a call to it was placed, ended or given back: caps, the gap and cool-downs
-- count that call (or no longer count a released claim), so their stored next_attempt_at
-- (what why_not_dialable recomputes) moves later, earlier, or to never after an opt-out.
-- Only a change of when a lead is due is written (a due lead that stays due is left as it
-- is). Why SKIP LOCKED: a lead being claimed right now is re-checked by its claim anyway,
-- and waiting for it could deadlock with that claimer.
CREATE FUNCTION dialer._replan_number(p_tenant_id uuid, p_phone text, p_except_lead uuid, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  UPDATE dialer.leads l
     SET next_attempt_at = p.next_attempt_at,
         status = CASE WHEN p.next_attempt_at IS NULL THEN p.final_status ELSE l.status END
    FROM (SELECT s.id FROM dialer.leads s
           WHERE s.tenant_id = p_tenant_id AND s.phone = p_phone AND s.id IS DISTINCT FROM p_except_lead
             AND s.status IN ('pending', 'scheduled')
             FOR UPDATE SKIP LOCKED) s,
         LATERAL dialer._plan_lead(p_tenant_id, s.id, p_now) p
   WHERE l.tenant_id = p_tenant_id AND l.id = s.id
     AND (p.next_attempt_at IS NULL
          OR greatest(p.next_attempt_at, p_now) IS DISTINCT FROM greatest(coalesce(l.next_attempt_at, p_now), p_now));
END
$$;
COMMENT ON FUNCTION dialer._replan_number(uuid, text, uuid, timestamptz) IS
  'Internal: plans again the waiting leads of a number whose history just changed (later, earlier or never).';
REVOKE EXECUTE ON FUNCTION dialer._replan_number(uuid, text, uuid, timestamptz) FROM PUBLIC;

-- Moves a lead after a call of class p_class ended: a terminal class finishes it,
-- otherwise the scheduler decides the next attempt (or that there is none). Returns
-- the lead's new status and next attempt.
CREATE FUNCTION dialer._advance_lead(p_tenant_id uuid, p_lead_id uuid, p_class text, p_now timestamptz,
                                     OUT status dialer.lead_status, OUT next_attempt_at timestamptz)
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_class dialer.outcome_classes;
  v_plan record;
BEGIN
  SELECT * INTO v_class FROM dialer.outcome_classes o WHERE o.outcome_class = p_class;
  IF v_class.terminal THEN
    status := v_class.lead_status::dialer.lead_status;
  ELSE
    SELECT * INTO v_plan FROM dialer._plan_lead(p_tenant_id, p_lead_id, p_now, p_class);
    next_attempt_at := v_plan.next_attempt_at;
    status := CASE WHEN v_plan.next_attempt_at IS NULL THEN v_plan.final_status ELSE 'scheduled' END;
  END IF;
  UPDATE dialer.leads l
     SET last_outcome_class = p_class, status = _advance_lead.status,
         next_attempt_at = _advance_lead.next_attempt_at
   WHERE l.tenant_id = p_tenant_id AND l.id = p_lead_id;
END
$$;
COMMENT ON FUNCTION dialer._advance_lead(uuid, uuid, text, timestamptz) IS
  'Internal: sets a lead''s status and next attempt after a call of an outcome class ended.';
REVOKE EXECUTE ON FUNCTION dialer._advance_lead(uuid, uuid, text, timestamptz) FROM PUBLIC;

-- Completes a running campaign whose leads are all finished.
CREATE FUNCTION dialer._complete_campaign_if_done(p_tenant_id uuid, p_campaign_id uuid, p_now timestamptz)
RETURNS dialer.campaign_status
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
-- Why: for the EXISTS probe below the planner prefers a sequential scan, expecting an
-- open lead within the first few rows; in a table holding many campaigns it reads every
-- other campaign's leads first (the queue benchmark spent half its CPU there).
SET enable_seqscan = off
AS $$
DECLARE
  v_status dialer.campaign_status;
BEGIN
  -- Why probes before the UPDATE: as an anti-join inside the UPDATE the planner reads
  -- the whole open-leads index (tens of thousands of entries, milliseconds per
  -- completion under load); as EXISTS it stops at the first open lead.
  IF EXISTS (SELECT 1 FROM dialer.leads l
              WHERE l.tenant_id = p_tenant_id AND l.campaign_id = p_campaign_id
                AND l.status IN ('pending', 'scheduled', 'held')) THEN
    RETURN NULL;
  END IF;
  -- Only calls in flight are left. Why the lock: two workers finishing the last two
  -- calls at once each see the other's lead still in progress (not yet committed), and
  -- neither would complete the campaign. Finishers queue on the campaign row here, so
  -- the last one's UPDATE (a new snapshot under READ COMMITTED) sees the others'
  -- results in its NOT EXISTS. Taken only at a campaign's very end, never on the busy
  -- path, where the open leads left are the few calls in flight.
  PERFORM 1 FROM dialer.campaigns c
   WHERE c.tenant_id = p_tenant_id AND c.id = p_campaign_id FOR NO KEY UPDATE;
  UPDATE dialer.campaigns c SET status = 'completed', completed_at = p_now, status_changed_at = p_now
   WHERE c.tenant_id = p_tenant_id AND c.id = p_campaign_id AND c.status IN ('running', 'paused')
     AND NOT EXISTS (SELECT 1 FROM dialer.leads l
                      WHERE l.tenant_id = p_tenant_id AND l.campaign_id = p_campaign_id
                        AND l.status IN ('pending', 'scheduled', 'in_progress', 'held'))
  RETURNING c.status INTO v_status;
  RETURN v_status;
END
$$;
COMMENT ON FUNCTION dialer._complete_campaign_if_done(uuid, uuid, timestamptz) IS
  'Internal: marks a running or paused campaign completed when no lead needs work any more.';
REVOKE EXECUTE ON FUNCTION dialer._complete_campaign_if_done(uuid, uuid, timestamptz) FROM PUBLIC;

-- A do_not_call reported for a call no longer in flight (its lease expired and it was
-- reaped, it was released, or it was completed otherwise): the number is suppressed at
-- once and the report recorded on the call (metadata.late_report); the call keeps its
-- status and outcome. Why not PT409 as for other late reports: an error rolls back, and
-- the person's opt-out would be lost while another worker may be calling them.
CREATE FUNCTION dialer._record_late_opt_out(p_call dialer.calls, p_outcome text, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  INSERT INTO dialer.suppressions (tenant_id, phone, reason, source)
  VALUES (p_call.tenant_id, p_call.phone, 'do_not_call', 'call:' || p_call.id)
  ON CONFLICT (tenant_id, phone) DO NOTHING;
  UPDATE dialer.calls k
     SET metadata = k.metadata || jsonb_build_object('late_report', jsonb_build_object(
           'outcome', p_outcome, 'outcome_class', 'do_not_call', 'reported_at', p_now,
           'call_status', p_call.status))
   WHERE k.tenant_id = p_call.tenant_id AND k.id = p_call.id;
  PERFORM dialer._replan_number(p_call.tenant_id, p_call.phone, NULL, p_now);
  RETURN jsonb_build_object('call_id', p_call.id, 'lead_id', p_call.lead_id, 'outcome_class', 'do_not_call',
                            'call_status', p_call.status, 'late', true, 'suppressed', true, 'replayed', false);
END
$$;
COMMENT ON FUNCTION dialer._record_late_opt_out(dialer.calls, text, timestamptz) IS
  'Internal: suppresses the number of a call no longer in flight that reported do_not_call, and records the report on the call.';
REVOKE EXECUTE ON FUNCTION dialer._record_late_opt_out(dialer.calls, text, timestamptz) FROM PUBLIC;

CREATE FUNCTION dialer.complete_call(
  p_call_id uuid,
  p_outcome text,
  p_provider text DEFAULT NULL,
  p_provider_call_id text DEFAULT NULL,
  p_answered_at timestamptz DEFAULT NULL,
  p_ended_at timestamptz DEFAULT NULL,
  p_duration_seconds integer DEFAULT NULL,
  p_cost numeric DEFAULT NULL,
  p_recording_url text DEFAULT NULL,
  p_transcript jsonb DEFAULT NULL,
  p_summary text DEFAULT NULL,
  p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_call dialer.calls := dialer._call_for_update(p_call_id);
  v_provider text := lower(coalesce(p_provider, v_call.provider, 'dialer'));
  v_class text := dialer.map_outcome(v_call.tenant_id, v_provider, p_outcome);
  v_lead record;
  v_campaign_status dialer.campaign_status;
BEGIN
  IF v_class IS NULL THEN
    RAISE EXCEPTION 'unknown outcome "%" for provider "%"', p_outcome, v_provider
      USING ERRCODE = '22023',
            DETAIL = 'Neither the tenant''s mappings nor the global provider_outcomes map it to an outcome class.',
            HINT = 'Add a row to dialer.tenant_outcome_mappings, or pass provider ''dialer'' with an outcome class name.';
  END IF;
IF NOT coalesce(p_duration_seconds IS NULL OR p_duration_seconds >= 0, false) THEN
    PERFORM dialer._invalid_arg('p_duration_seconds', p_duration_seconds::text, 'zero or more');
  END IF;
  -- Why NaN and Infinity by name: numeric NaN compares greater than every number.
  IF NOT coalesce(p_cost IS NULL OR (p_cost >= 0 AND p_cost NOT IN ('NaN', 'Infinity')), false) THEN
    PERFORM dialer._invalid_arg('p_cost', p_cost::text, 'a finite number, zero or more');
  END IF;
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  IF p_answered_at IS NOT NULL THEN
    PERFORM dialer._check_caller_instant('p_answered_at', p_answered_at);
  END IF;
  IF p_ended_at IS NOT NULL THEN
    PERFORM dialer._check_caller_instant('p_ended_at', p_ended_at);
  END IF;
  IF v_call.status NOT IN ('claimed', 'dialing', 'ringing', 'in_progress') AND v_class = 'do_not_call'
     AND v_call.outcome_class IS DISTINCT FROM 'do_not_call' THEN
    RETURN dialer._record_late_opt_out(v_call, p_outcome, p_now);
  END IF;
  IF v_call.status IN ('completed', 'failed') THEN
    IF v_call.outcome_class = v_class AND v_call.provider_outcome IS NOT DISTINCT FROM p_outcome THEN
      -- The same report again (a webhook retried): change nothing, answer the same.
      SELECT l.status, l.next_attempt_at INTO v_lead FROM dialer.leads l
       WHERE l.tenant_id = v_call.tenant_id AND l.id = v_call.lead_id;
      RETURN jsonb_build_object('call_id', v_call.id, 'lead_id', v_call.lead_id, 'outcome_class', v_class,
                                'call_status', v_call.status, 'lead_status', v_lead.status,
                                'next_attempt_at', v_lead.next_attempt_at, 'replayed', true);
    END IF;
    RAISE EXCEPTION 'call % is already completed with outcome %', p_call_id, v_call.provider_outcome
      USING ERRCODE = 'PT409', DETAIL = format('It cannot be completed again with "%s".', p_outcome),
            HINT = 'A call is completed once; correct it by updating dialer.calls as an admin.';
  END IF;
  IF v_call.status NOT IN ('claimed', 'dialing', 'ringing', 'in_progress') THEN
    RAISE EXCEPTION 'call % is not in flight: it is %', p_call_id, v_call.status
      USING ERRCODE = 'PT409',
            DETAIL = 'Only a claimed call whose lease has not been reaped, released or cancelled can be completed.',
            HINT = 'Claim again with dialer.claim_calls; an expired call''s result was recorded as unknown.';
  END IF;
  UPDATE dialer.calls k
     SET status = (CASE WHEN v_class IN ('failed', 'transport_error') THEN 'failed' ELSE 'completed' END)::dialer.call_status,
         outcome_class = v_class, provider = v_provider, provider_outcome = p_outcome,
         provider_call_id = coalesce(p_provider_call_id, k.provider_call_id),
         started_at = coalesce(k.started_at, k.claimed_at),
         answered_at = coalesce(p_answered_at, k.answered_at),
         ended_at = coalesce(p_ended_at, p_now),
         duration_seconds = p_duration_seconds, cost = p_cost, recording_url = p_recording_url,
         transcript = p_transcript, summary = p_summary, lease_expires_at = NULL
   WHERE k.tenant_id = v_call.tenant_id AND k.id = v_call.id
  RETURNING k.status INTO v_call.status;
  PERFORM dialer._free_slot(v_call.tenant_id, v_call.campaign_id, v_call.slot, v_call.id);
  SELECT * INTO v_lead FROM dialer._advance_lead(v_call.tenant_id, v_call.lead_id, v_class, p_now);
  IF v_class = 'do_not_call' THEN
    INSERT INTO dialer.suppressions (tenant_id, phone, reason, source)
    VALUES (v_call.tenant_id, v_call.phone, 'do_not_call', 'call:' || v_call.id)
    ON CONFLICT (tenant_id, phone) DO NOTHING;
  END IF;
  PERFORM dialer._replan_number(v_call.tenant_id, v_call.phone, v_call.lead_id, p_now);
  IF v_lead.status NOT IN ('scheduled', 'held') THEN
    v_campaign_status := dialer._complete_campaign_if_done(v_call.tenant_id, v_call.campaign_id, p_now);
  END IF;
  RETURN jsonb_build_object('call_id', v_call.id, 'lead_id', v_call.lead_id, 'outcome_class', v_class,
                            'call_status', v_call.status, 'lead_status', v_lead.status,
                            'next_attempt_at', v_lead.next_attempt_at, 'replayed', false)
         || CASE WHEN v_campaign_status IS NULL THEN '{}'::jsonb
                 ELSE jsonb_build_object('campaign_status', v_campaign_status) END;
END
$$;
COMMENT ON FUNCTION dialer.complete_call(uuid, text, text, text, timestamptz, timestamptz, integer, numeric, text, jsonb, text, timestamptz) IS
  'Records how a claimed call ended: maps the provider''s raw outcome to an outcome class '
  '(dialer.map_outcome), stores the provider fields, frees the concurrency slot, moves the lead '
  '(final status, or next attempt from the scheduler), suppresses the number on do_not_call, and '
  'completes the campaign when no lead is left. The same report twice changes nothing (replayed: '
  'true); a different report for a completed call or a call not in flight is PT409, except '
  'do_not_call: a late opt-out still suppresses the number at once and is recorded on the call '
  '(metadata.late_report; answer late: true). Agent role.';

-- Raises PT409 when a claimed call may not be dialled at p_now. Why again: a claim
-- may be dialled up to its lease later, when the window may have closed, a cap filled
-- (another campaign's call to the number) or the number been suppressed. The lead is
-- judged as before this claim: no retry wait (the claim already passed it), its own
-- claimed call not counted, every rule of the law and the policy applied.
CREATE FUNCTION dialer._check_dial_legal(p_call dialer.calls, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_next timestamptz;
  v_reason text;
BEGIN
  SELECT d.next_attempt_at, d.reason INTO v_next, v_reason
    FROM dialer._lead_schedule_inputs(p_call.tenant_id, p_call.lead_id, p_now) i,
         LATERAL dialer._next_attempt_decision(
           i.lead_id, i.retry_policy, i.zones, 0, NULL, 0, NULL, i.recent_calls,
           i.last_abandoned_at, i.last_refusal_at, i.calling_windows, i.contact_windows,
           i.rule_packs, i.suppressed, i.artificial_voice, i.has_consent, i.campaign_starts_at,
           i.campaign_ends_at, p_now) d;
  IF v_next IS NULL OR v_next > p_now THEN
    RAISE EXCEPTION 'call % may not be dialled now: %', p_call.id, coalesce(v_reason, 'never')
      USING ERRCODE = 'PT409',
            DETAIL = CASE WHEN v_next IS NULL THEN format('Rule %s forbids calling %s again.', v_reason, p_call.phone)
                          ELSE format('Rule %s forbids calling %s before %s.', v_reason, p_call.phone, v_next) END,
            HINT = 'Do not place the call: give it back with dialer.release_call (the lead is planned again at the next claim).';
  END IF;
END
$$;
COMMENT ON FUNCTION dialer._check_dial_legal(dialer.calls, timestamptz) IS
  'Internal: PT409 naming the rule when a claimed call may not be dialled at p_now.';
REVOKE EXECUTE ON FUNCTION dialer._check_dial_legal(dialer.calls, timestamptz) FROM PUBLIC;

CREATE FUNCTION dialer.mark_call_dialing(p_call_id uuid, p_provider_call_id text DEFAULT NULL,
                                         p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_call dialer.calls := dialer._call_for_update(p_call_id);
BEGIN
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  PERFORM dialer._require_active_tenant(v_call.tenant_id, 'dial call ' || p_call_id);
  IF v_call.status NOT IN ('claimed', 'dialing') THEN
    RAISE EXCEPTION 'call % cannot be marked dialing: it is %', p_call_id, v_call.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a claimed call can be dispatched.',
            HINT = 'Claim a new call with dialer.claim_calls.';
  END IF;
  IF v_call.status = 'claimed' AND v_call.lead_id IS NOT NULL THEN
    PERFORM dialer._check_dial_legal(v_call, p_now);
  END IF;
  UPDATE dialer.calls k SET status = 'dialing', started_at = coalesce(k.started_at, p_now),
                            provider_call_id = coalesce(p_provider_call_id, k.provider_call_id)
   WHERE k.tenant_id = v_call.tenant_id AND k.id = v_call.id;
  IF v_call.status = 'claimed' THEN
    PERFORM dialer._replan_number(v_call.tenant_id, v_call.phone, v_call.lead_id, p_now);
  END IF;
  RETURN jsonb_build_object('call_id', v_call.id, 'call_status', 'dialing', 'started_at', coalesce(v_call.started_at, p_now));
END
$$;
COMMENT ON FUNCTION dialer.mark_call_dialing(uuid, text, timestamptz) IS
  'The worker reports it is dispatching the call to the provider (status dialing, started_at). '
  'Legality is checked again at this instant (windows, caps, cool-downs, suppression, consent): '
  'PT409 "may not be dialled now" with the rule and the next legal moment, after which the worker '
  'gives the call back with dialer.release_call. From then on an expired lease means the result is '
  'unknown. Agent role.';

CREATE FUNCTION dialer.release_call(p_call_id uuid, p_reason text DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_call dialer.calls := dialer._call_for_update(p_call_id);
BEGIN
  PERFORM dialer._check_caller_instant('p_now', p_now);
  IF v_call.status <> 'claimed' THEN
    RAISE EXCEPTION 'call % cannot be released: it is %', p_call_id, v_call.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a claimed call that was never dispatched can be released.',
            HINT = 'Complete a dispatched call with dialer.complete_call (outcome transport_error if it failed).';
  END IF;
  UPDATE dialer.calls k SET status = 'cancelled', lease_expires_at = NULL,
                            notes = coalesce(p_reason, 'released by ' || coalesce(k.worker_id, 'worker'))
   WHERE k.tenant_id = v_call.tenant_id AND k.id = v_call.id;
  PERFORM dialer._free_slot(v_call.tenant_id, v_call.campaign_id, v_call.slot, v_call.id);
  -- Not placed, so not an attempt: the lead's attempt summary goes back to its last
  -- real attempt, and it is due again at once.
  UPDATE dialer.leads l
     SET status = 'scheduled', attempts = l.attempts - 1, next_attempt_at = p_now,
         (last_attempt_at, last_outcome_class) =
           (SELECT k.claimed_at, k.outcome_class FROM dialer.calls k
             WHERE k.tenant_id = v_call.tenant_id AND k.lead_id = v_call.lead_id
               AND k.id <> v_call.id AND k.status <> 'cancelled'
             ORDER BY k.attempt_number DESC LIMIT 1)
   WHERE l.tenant_id = v_call.tenant_id AND l.id = v_call.lead_id;
  -- The released claim no longer counts for the number's other waiting leads.
  PERFORM dialer._replan_number(v_call.tenant_id, v_call.phone, v_call.lead_id, p_now);
  RETURN jsonb_build_object('call_id', v_call.id, 'call_status', 'cancelled', 'lead_id', v_call.lead_id,
                            'lead_status', 'scheduled', 'next_attempt_at', p_now);
END
$$;
COMMENT ON FUNCTION dialer.release_call(uuid, text, timestamptz) IS
  'The worker gives back a claimed call it never dispatched: the call is cancelled, the attempt '
  'not counted, the lead due again at once. PT409 once the call was dispatched. Agent role.';

CREATE FUNCTION dialer.release_lead(p_lead_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_lead dialer.leads;
BEGIN
  -- The role in the WHERE: another tenant's lead is never locked (as in _call_for_update).
  SELECT * INTO v_lead FROM dialer.leads l
   WHERE l.id = p_lead_id AND dialer.has_tenant_role(l.tenant_id, 'admin') FOR UPDATE;
  IF v_lead.id IS NULL THEN
    RAISE EXCEPTION 'lead % not found', p_lead_id
      USING ERRCODE = 'PT404', DETAIL = 'No lead with this id is visible to the caller as an admin.',
            HINT = 'Check the id and your role.';
  END IF;
  PERFORM dialer._check_caller_instant('p_now', p_now);
  IF v_lead.status <> 'held' THEN
    RAISE EXCEPTION 'lead % is not held: it is %', p_lead_id, v_lead.status
      USING ERRCODE = 'PT409', DETAIL = 'Only a lead held after a call with an unknown result can be released.',
            HINT = 'See dialer.why_not_dialable for why a lead is not being called.';
  END IF;
  UPDATE dialer.leads l SET status = 'scheduled', next_attempt_at = p_now
   WHERE l.tenant_id = v_lead.tenant_id AND l.id = v_lead.id;
  RETURN jsonb_build_object('lead_id', v_lead.id, 'status', 'scheduled', 'next_attempt_at', p_now);
END
$$;
COMMENT ON FUNCTION dialer.release_lead(uuid, timestamptz) IS
  'A person decides a held lead (last call''s result unknown) may be called again: it becomes due '
  'at p_now, still subject to every calling rule at claim time. Admin role.';

CREATE FUNCTION dialer.reap_expired_claims(p_now timestamptz DEFAULT now(), p_limit integer DEFAULT 1000)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_call record;
  v_lead record;
  v_expired integer := 0;
  v_returned integer := 0;
  v_held integer := 0;
  v_finished integer := 0;
BEGIN
  IF NOT dialer._caller_bypasses_rls() THEN
    RAISE EXCEPTION 'reap_expired_claims is a maintenance job for the service role'
      USING ERRCODE = '42501', DETAIL = 'It touches every tenant''s expired calls.',
            HINT = 'Run it as service_role or from pg_cron.';
  END IF;
IF NOT coalesce(p_limit BETWEEN 1 AND 100000, false) THEN
    PERFORM dialer._invalid_arg('p_limit', p_limit::text, 'between 1 and 100000');
  END IF;
  FOR v_call IN
    SELECT k.tenant_id, k.id, k.campaign_id, k.lead_id, k.status, k.slot FROM dialer.calls k
     WHERE k.status IN ('claimed', 'dialing', 'ringing', 'in_progress')
       AND k.lease_expires_at < p_now
     ORDER BY k.lease_expires_at LIMIT p_limit
       FOR UPDATE SKIP LOCKED
  LOOP
    v_expired := v_expired + 1;
    UPDATE dialer.calls k SET status = 'expired', outcome_class = 'unknown', lease_expires_at = NULL
     WHERE k.tenant_id = v_call.tenant_id AND k.id = v_call.id;
    PERFORM dialer._free_slot(v_call.tenant_id, v_call.campaign_id, v_call.slot, v_call.id);
    -- The scheduler decides from the policy: an unknown result is not redialled unless
    -- the policy's "unknown" class says so; then the lead is held for a person.
    SELECT * INTO v_lead FROM dialer._advance_lead(v_call.tenant_id, v_call.lead_id, 'unknown', p_now);
    IF v_lead.status = 'held' THEN
      v_held := v_held + 1;
    ELSIF v_lead.status = 'scheduled' THEN
      v_returned := v_returned + 1;
    ELSE
      v_finished := v_finished + 1;
    END IF;
  END LOOP;
  RETURN jsonb_build_object('expired', v_expired, 'requeued', v_returned, 'held', v_held,
                            'finished', v_finished);
END
$$;
COMMENT ON FUNCTION dialer.reap_expired_claims(timestamptz, integer) IS
  'Maintenance (service role, pg_cron every minute): calls in flight whose lease ran out become '
  'expired with outcome unknown and free their slot; each lead is requeued only if its retry '
  'policy redials unknown results, otherwise held (or finished when its attempts are used up). '
  'At most p_limit calls per run; returns {expired, requeued, held, finished}.';

REVOKE EXECUTE ON FUNCTION
  dialer.complete_call(uuid, text, text, text, timestamptz, timestamptz, integer, numeric, text, jsonb, text, timestamptz),
  dialer.mark_call_dialing(uuid, text, timestamptz), dialer.release_call(uuid, text, timestamptz),
  dialer.release_lead(uuid, timestamptz), dialer.reap_expired_claims(timestamptz, integer) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.complete_call(uuid, text, text, text, timestamptz, timestamptz, integer, numeric, text, jsonb, text, timestamptz)',
                    'dialer.mark_call_dialing(uuid, text, timestamptz)', 'dialer.release_call(uuid, text, timestamptz)',
                    'dialer.release_lead(uuid, timestamptz)']) f,
       unnest(ARRAY['authenticated', 'service_role']) g
UNION ALL SELECT 'dialer.reap_expired_claims(timestamptz, integer)'::regprocedure, 'service_role';

-- ---- sql_src/46_import.sql ----
-- Bulk lead import: normalise every phone to E.164 (national numbers read in the
-- campaign tenant's default region, or p_region), de-duplicate within the batch and
-- against the campaign, reuse the tenant's existing contacts, skip suppressed numbers,
-- and report every row that was not imported with its reason. One transaction: all
-- or nothing. import_leads takes a JSON array (API calls); import_leads_from takes a
-- staging table (very large loads, e.g. after COPY).

-- Staged rows of the import in progress (one per input row), dropped at commit.
CREATE FUNCTION dialer._import_stage_create()
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  -- Why a temp table: the same set-based passes serve both entry points, and ON COMMIT
  -- DROP leaves no session state behind (safe through a transaction-mode pooler).
  IF to_regclass('pg_temp.dialer_import_stage') IS NOT NULL THEN
    DROP TABLE pg_temp.dialer_import_stage;
  END IF;
  CREATE TEMP TABLE dialer_import_stage (
    line bigint NOT NULL, input text, first_name text, last_name text, email text,
    custom_fields jsonb, priority integer, time_zone text, consent_ai_voice_at timestamptz,
    consent_source text, reject text, e164 text) ON COMMIT DROP;
END
$$;
COMMENT ON FUNCTION dialer._import_stage_create() IS 'Internal: creates the import''s temporary staging table.';
REVOKE EXECUTE ON FUNCTION dialer._import_stage_create() FROM PUBLIC;

-- Classifies and imports the staged rows into campaign p_c; returns the report.
CREATE FUNCTION dialer._import_staged(p_c dialer.campaigns, p_region text, p_max_rejects integer)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  v_received bigint;
  v_contacts bigint;
  v_inserted bigint;
  v_counts jsonb;
  v_rejects jsonb;
BEGIN
  SELECT count(*) INTO v_received FROM pg_temp.dialer_import_stage;
  UPDATE pg_temp.dialer_import_stage SET e164 = dialer.try_e164(input, p_region)
   WHERE reject IS NULL AND input IS NOT NULL;
  UPDATE pg_temp.dialer_import_stage
     SET reject = CASE WHEN input IS NULL OR btrim(input) = '' THEN 'missing_phone'
                       ELSE 'invalid_phone: ' || coalesce(dialer.phone_info(input, p_region) ->> 'reason', 'invalid') END
   WHERE reject IS NULL AND e164 IS NULL;
  -- Within the batch the first row of a number wins.
  UPDATE pg_temp.dialer_import_stage s SET reject = 'duplicate_in_batch'
    FROM (SELECT line, row_number() OVER (PARTITION BY e164 ORDER BY line) AS n
            FROM pg_temp.dialer_import_stage WHERE reject IS NULL) d
   WHERE d.line = s.line AND d.n > 1;
  UPDATE pg_temp.dialer_import_stage s SET reject = 'duplicate_in_campaign'
   WHERE s.reject IS NULL
     AND EXISTS (SELECT 1 FROM dialer.leads l
                  WHERE l.tenant_id = p_c.tenant_id AND l.campaign_id = p_c.id AND l.phone = s.e164);
  UPDATE pg_temp.dialer_import_stage s SET reject = 'suppressed'
   WHERE s.reject IS NULL
     AND (EXISTS (SELECT 1 FROM dialer.suppressions x
                   WHERE x.tenant_id = p_c.tenant_id AND x.phone = s.e164
                     AND (x.expires_at IS NULL OR x.expires_at > now()))
          OR EXISTS (SELECT 1 FROM dialer.global_suppressions g
                      WHERE g.phone = s.e164 AND (g.expires_at IS NULL OR g.expires_at > now())));
  -- The tenant's existing contact is reused as it is (its data is not overwritten).
  INSERT INTO dialer.contacts (tenant_id, phone, first_name, last_name, email, time_zone,
                               consent_ai_voice_at, consent_source)
  SELECT p_c.tenant_id, s.e164, s.first_name, s.last_name, s.email, s.time_zone,
         s.consent_ai_voice_at, s.consent_source
    FROM pg_temp.dialer_import_stage s WHERE s.reject IS NULL
  ON CONFLICT (tenant_id, phone) DO NOTHING;
  GET DIAGNOSTICS v_contacts = ROW_COUNT;
  INSERT INTO dialer.leads (tenant_id, campaign_id, phone, priority, custom_fields)
  SELECT p_c.tenant_id, p_c.id, s.e164, coalesce(s.priority, 0), coalesce(s.custom_fields, '{}')
    FROM pg_temp.dialer_import_stage s WHERE s.reject IS NULL;
  GET DIAGNOSTICS v_inserted = ROW_COUNT;
  SELECT coalesce(jsonb_object_agg(reason, n), '{}') INTO v_counts
    FROM (SELECT split_part(reject, ':', 1) AS reason, count(*) AS n
            FROM pg_temp.dialer_import_stage WHERE reject IS NOT NULL GROUP BY 1) r;
  SELECT coalesce(jsonb_agg(jsonb_build_object('row', line, 'input', input, 'reason', reject) ORDER BY line), '[]')
    INTO v_rejects
    FROM (SELECT * FROM pg_temp.dialer_import_stage WHERE reject IS NOT NULL ORDER BY line LIMIT p_max_rejects) r;
  DROP TABLE pg_temp.dialer_import_stage;
  RETURN jsonb_build_object(
    'campaign_id', p_c.id, 'received', v_received, 'inserted', v_inserted,
    'contacts_created', v_contacts, 'contacts_reused', v_inserted - v_contacts,
    'duplicates', coalesce((v_counts ->> 'duplicate_in_batch')::bigint, 0)
                  + coalesce((v_counts ->> 'duplicate_in_campaign')::bigint, 0),
    'suppressed', coalesce((v_counts ->> 'suppressed')::bigint, 0),
    'invalid', coalesce((v_counts ->> 'invalid_phone')::bigint, 0)
               + coalesce((v_counts ->> 'missing_phone')::bigint, 0)
               + coalesce((v_counts ->> 'invalid_field')::bigint, 0),
    'rejected_by_reason', v_counts,
    'rejects', v_rejects,
    'rejects_truncated', v_received - v_inserted > p_max_rejects);
END
$$;
COMMENT ON FUNCTION dialer._import_staged(dialer.campaigns, text, integer) IS
  'Internal: classifies staged import rows (invalid, duplicate, suppressed), inserts contacts and leads, builds the report.';
REVOKE EXECUTE ON FUNCTION dialer._import_staged(dialer.campaigns, text, integer) FROM PUBLIC;

-- The campaign for an import (admin role, not finished) and the region to read national numbers in.
CREATE FUNCTION dialer._import_target(p_campaign_id uuid, p_region text, OUT campaign dialer.campaigns, OUT region text)
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  campaign := dialer._campaign_for(p_campaign_id, 'admin');
  IF campaign.status IN ('completed', 'cancelled') THEN
    RAISE EXCEPTION 'cannot import leads into campaign %: it is %', p_campaign_id, campaign.status
      USING ERRCODE = 'PT409', DETAIL = 'A finished campaign takes no new leads.',
            HINT = 'Create a new campaign for these leads.';
  END IF;
  region := coalesce(upper(p_region), (SELECT t.default_region FROM dialer.tenants t WHERE t.id = campaign.tenant_id));
  -- An unknown region is the caller's mistake: dialer.try_e164 raises 22023 naming it.
  PERFORM dialer.try_e164('+1', region);
END
$$;
COMMENT ON FUNCTION dialer._import_target(uuid, text) IS 'Internal: checks the import''s campaign and region.';
REVOKE EXECUTE ON FUNCTION dialer._import_target(uuid, text) FROM PUBLIC;

CREATE FUNCTION dialer.import_leads(p_campaign_id uuid, p_leads jsonb, p_region text DEFAULT NULL,
                                    p_max_rejects integer DEFAULT 1000)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_target record;
BEGIN
  IF jsonb_typeof(p_leads) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'p_leads must be a JSON array, not %', coalesce(jsonb_typeof(p_leads), 'NULL')
      USING ERRCODE = '22023', DETAIL = 'import_leads takes an array of lead objects.',
            HINT = 'Pass [{"phone": "+14155552671", "first_name": "Ada"}, ...].';
  END IF;
  IF NOT coalesce(p_max_rejects BETWEEN 0 AND 1000000, false) THEN
    PERFORM dialer._invalid_arg('p_max_rejects', p_max_rejects::text, 'between 0 and 1000000');
  END IF;
  -- Bounded before any work: a million-row request grew a backend to ~1 GB.
  IF jsonb_array_length(p_leads) > dialer._limit('max_import_rows') THEN
    PERFORM dialer._over_limit('the number of leads to import', jsonb_array_length(p_leads), 'max_import_rows');
  END IF;
  SELECT * INTO v_target FROM dialer._import_target(p_campaign_id, p_region);
  PERFORM dialer._import_stage_create();
  INSERT INTO pg_temp.dialer_import_stage (line, input, first_name, last_name, email, custom_fields,
                                           priority, time_zone, consent_ai_voice_at, consent_source, reject)
  SELECT e.n, e.v ->> 'phone', e.v ->> 'first_name', e.v ->> 'last_name', lower(e.v ->> 'email'),
         CASE WHEN jsonb_typeof(e.v -> 'custom_fields') = 'object' THEN e.v -> 'custom_fields' END,
         CASE WHEN (e.v ->> 'priority') ~ '^-?[0-9]{1,9}$' THEN (e.v ->> 'priority')::integer END,
         CASE WHEN dialer._is_time_zone(e.v ->> 'time_zone') THEN e.v ->> 'time_zone' END,
         CASE WHEN (e.v ->> 'consent_ai_voice_at') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
              THEN (e.v ->> 'consent_ai_voice_at')::timestamptz END,
         e.v ->> 'consent_source',
         CASE WHEN jsonb_typeof(e.v) <> 'object' THEN 'invalid_field: not an object'
              WHEN e.v ? 'custom_fields' AND jsonb_typeof(e.v -> 'custom_fields') <> 'object' THEN 'invalid_field: custom_fields must be an object'
              WHEN e.v ? 'priority' AND NOT (e.v ->> 'priority') ~ '^-?[0-9]{1,9}$' THEN 'invalid_field: priority must be an integer'
              WHEN e.v ? 'time_zone' AND NOT coalesce(dialer._is_time_zone(e.v ->> 'time_zone'), false) THEN 'invalid_field: unknown time_zone'
              WHEN e.v ? 'consent_ai_voice_at' AND NOT (e.v ->> 'consent_ai_voice_at') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN 'invalid_field: consent_ai_voice_at must be a timestamp'
         END
    FROM jsonb_array_elements(p_leads) WITH ORDINALITY AS e(v, n);
  RETURN dialer._import_staged(v_target.campaign, v_target.region, p_max_rejects);
END
$$;
COMMENT ON FUNCTION dialer.import_leads(uuid, jsonb, text, integer) IS
  'Imports a JSON array of leads ({phone, first_name, last_name, email, custom_fields, priority, '
  'time_zone, consent_ai_voice_at, consent_source}) into a campaign in one transaction. Phones '
  'are normalised to E.164 (national numbers read in p_region, default the tenant''s '
  'default_region); duplicates in the batch or the campaign, suppressed numbers and invalid rows '
  'are not imported and are reported: {received, inserted, contacts_created, contacts_reused, '
  'duplicates, suppressed, invalid, rejected_by_reason, rejects: [{row, input, reason}] (first '
  'p_max_rejects), rejects_truncated}. At most dialer.max_import_rows leads per call (22023 '
  'above). Admin role.';

-- SECURITY INVOKER on purpose: the staging table is read with the caller's own rights
-- (privileges, column privileges and row-level security), so nothing the caller could
-- not SELECT themselves becomes a lead or appears in the report. The rows then go
-- through dialer.import_leads, which checks the campaign and writes as its owner.
-- Why not read it as the owner after a privilege check: 0.3.0 did, and a signed-in user
-- imported every tenant's contacts by naming dialer.contacts (RLS does not apply to the
-- owner); reading a caller-owned table as the owner would also run the caller's casts
-- and functions with the owner's rights.
CREATE FUNCTION dialer.import_leads_from(p_campaign_id uuid, p_source regclass, p_region text DEFAULT NULL,
                                         p_max_rejects integer DEFAULT 1000)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
SET search_path = ''
AS $$
DECLARE
  v_cols text[];
  v_pick text;
  v_rows jsonb;
  v_lines bigint[];
  v_report jsonb;
  v_limit bigint;
BEGIN
  IF p_source IS NULL THEN
    RAISE EXCEPTION 'invalid p_source: NULL'
      USING ERRCODE = '22023', DETAIL = 'p_source must name a table with a "phone" column.',
            HINT = 'Pass the staging table, e.g. ''my_staging''.';
  END IF;
  SELECT array_agg(a.attname::text) INTO v_cols FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = p_source AND a.attnum > 0 AND NOT a.attisdropped;
  IF NOT coalesce('phone' = ANY (v_cols), false) THEN
    RAISE EXCEPTION 'staging table % has no column "phone"', p_source
      USING ERRCODE = '42703', DETAIL = format('Its columns are: %s.', coalesce(array_to_string(v_cols, ', '), 'none')),
            HINT = 'Name the phone column "phone"; optional: first_name, last_name, email, custom_fields, priority, time_zone, consent_ai_voice_at, consent_source, line.';
  END IF;
  -- One JSON object per row with the columns the table has (NULLs left out, as absent).
  SELECT string_agg(format('%L, %s', c, CASE WHEN c = 'phone' THEN 'phone::text' ELSE format('%I::%s', c, t) END), ', ' ORDER BY o)
    INTO v_pick
    FROM unnest(ARRAY['phone', 'first_name', 'last_name', 'email', 'custom_fields', 'priority', 'time_zone',
                      'consent_ai_voice_at', 'consent_source'],
                ARRAY['text', 'text', 'text', 'text', 'jsonb', 'integer', 'text', 'timestamptz', 'text']) WITH ORDINALITY AS x(c, t, o)
   WHERE c = ANY (v_cols);
  -- Why LIMIT limit + 1: the size bound holds before the table is read in full.
  v_limit := dialer._limit('max_import_rows');
  EXECUTE format(
    'SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(%s)) ORDER BY s.dialer_line), '
    'array_agg(s.dialer_line ORDER BY s.dialer_line) FROM (SELECT *, %s AS dialer_line FROM %s LIMIT %s) s',
    v_pick, CASE WHEN 'line' = ANY (v_cols) THEN 'line::bigint' ELSE 'row_number() OVER ()' END,
    p_source, v_limit + 1)
    INTO v_rows, v_lines;
  -- Over the limit, dialer.import_leads refuses the rows before it does any work.
  v_report := dialer.import_leads(p_campaign_id, coalesce(v_rows, '[]'), p_region, p_max_rejects);
  -- A reject's row is the staging table's line (import_leads counts array positions).
  RETURN jsonb_set(v_report, '{rejects}', coalesce(
    (SELECT jsonb_agg(r.v || jsonb_build_object('row', v_lines[(r.v ->> 'row')::integer]) ORDER BY r.n)
       FROM jsonb_array_elements(v_report -> 'rejects') WITH ORDINALITY AS r(v, n)), '[]'));
END
$$;
COMMENT ON FUNCTION dialer.import_leads_from(uuid, regclass, text, integer) IS
  'Imports leads from a staging table (column phone, optional first_name, last_name, email, '
  'custom_fields, priority, time_zone, consent_ai_voice_at, consent_source, line) with the same '
  'normalisation, de-duplication, suppression checks and report as dialer.import_leads (a '
  'reject''s row is its line). The table is read with the caller''s rights (row-level security '
  'and column privileges apply); at most dialer.max_import_rows rows. For large loads: COPY into '
  'a staging table, then call this. Admin role.';

REVOKE EXECUTE ON FUNCTION dialer.import_leads(uuid, jsonb, text, integer),
  dialer.import_leads_from(uuid, regclass, text, integer) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.import_leads(uuid, jsonb, text, integer)',
                    'dialer.import_leads_from(uuid, regclass, text, integer)']) f,
       unnest(ARRAY['authenticated', 'service_role']) g;

-- ---- sql_src/50_stats_counters.sql ----
-- Campaign statistics, part 1: the kept counters and the triggers that keep them.
--
-- Every number dialer.campaign_stats() reports is read from counters kept in the same
-- transaction as the rows they describe, never recounted on read:
--   * dialer.campaign_call_stats    per campaign: call counters, the talk-time
--                                   histogram, breakdowns by outcome class, call
--                                   status, attempt number and recipient-local hour;
--   * dialer.campaign_call_buckets  per campaign and UTC hour / UTC day: the counters
--                                   time series and rolling windows (abandon rates) need;
--   * dialer.campaign_lead_stats    per campaign: leads by status, attempts per lead,
--                                   attempts to first contact;
--   * dialer.lead_first_contacts    per contacted lead: the attempt number of its first
--                                   contact (what the attempts-to-first-contact
--                                   histogram counts).
-- The counters are derived from the rows of dialer.calls and dialer.leads by
-- statement-level triggers with transition tables (written in C, see below), so they
-- are exact whoever writes the rows (the queue functions, service_role editing a row, a
-- rollback, a status that changes twice) and a bulk statement costs one counter update
-- per campaign and bucket, not one per row.
--
-- Sharding: each counter row exists once per (campaign, shard), shard 0..31; a writing
-- transaction reserves a shard of the campaign nobody else is writing to (a
-- transaction-level advisory lock on the campaign and shard, tried without waiting,
-- starting at the backend's pid modulo 32), so concurrent workers completing calls of
-- one campaign update different rows and never queue on a counter row lock; readers
-- sum the shards. One shard row on its own means nothing (it may even hold negative
-- counts); only the sum over the shards does.
--
-- Plans: the SQL-level helpers and reports are PL/pgSQL (which keeps statement plans
-- for the session, where a called SQL function is planned anew on every call) with
-- plan_cache_mode = force_generic_plan (their statements are costly to plan and their
-- plans do not depend on the values, so the five custom plans PostgreSQL would make
-- first are pure cost).
--
-- Vectors (breakdowns and histograms) are bigint[] starting at index 1, summed element
-- by element by dialer._stats_vector_add / _stats_vector_sum; dialer._stats_vector
-- builds one from (slot, value) pairs. Slots are listed in docs/stats.md.

-- ---- vector and histogram primitives (C) ------------------------------------

CREATE FUNCTION dialer._stats_vector_add(a bigint[], b bigint[])
RETURNS bigint[]
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_stats_vector_add';
COMMENT ON FUNCTION dialer._stats_vector_add(bigint[], bigint[]) IS
  'Element-wise sum of two counter vectors (bigint[] from index 1), as long as the longer one.';
REVOKE EXECUTE ON FUNCTION dialer._stats_vector_add(bigint[], bigint[]) FROM PUBLIC;

CREATE FUNCTION dialer._stats_vector_put(state bigint[], slot integer, value bigint)
RETURNS bigint[]
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_stats_vector_put';
COMMENT ON FUNCTION dialer._stats_vector_put(bigint[], integer, bigint) IS
  'Counter vector state with value added at 1-based slot (grown with zeros as needed); a NULL '
  'slot or value changes nothing. Transition function of dialer._stats_vector.';
REVOKE EXECUTE ON FUNCTION dialer._stats_vector_put(bigint[], integer, bigint) FROM PUBLIC;

CREATE FUNCTION dialer._stats_vector_trim(p_vector bigint[])
RETURNS bigint[]
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_stats_vector_trim';
COMMENT ON FUNCTION dialer._stats_vector_trim(bigint[]) IS
  'A counter vector without its trailing zeros (vectors that differ only there count the same).';
REVOKE EXECUTE ON FUNCTION dialer._stats_vector_trim(bigint[]) FROM PUBLIC;

CREATE AGGREGATE dialer._stats_vector_sum(bigint[]) (
  SFUNC = dialer._stats_vector_add,
  STYPE = bigint[],
  COMBINEFUNC = dialer._stats_vector_add,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE dialer._stats_vector_sum(bigint[]) IS
  'Element-wise sum of counter vectors (NULL when there are none).';
REVOKE EXECUTE ON ROUTINE dialer._stats_vector_sum(bigint[]) FROM PUBLIC;

CREATE AGGREGATE dialer._stats_vector(slot integer, value bigint) (
  SFUNC = dialer._stats_vector_put,
  STYPE = bigint[],
  COMBINEFUNC = dialer._stats_vector_add,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE dialer._stats_vector(integer, bigint) IS
  'The counter vector whose element slot is the sum of the values given for it '
  '(NULL when no row has a slot).';
REVOKE EXECUTE ON ROUTINE dialer._stats_vector(integer, bigint) FROM PUBLIC;

CREATE FUNCTION dialer.talk_time_bucket(seconds bigint)
RETURNS integer
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_talk_time_bucket';
COMMENT ON FUNCTION dialer.talk_time_bucket(bigint) IS
  'The talk-time histogram bucket (0..56) a call of this many seconds is counted in: one '
  'bucket per second below 16 s, quarter-octaves from 16 s to 16384 s, then one open bucket.';
REVOKE EXECUTE ON FUNCTION dialer.talk_time_bucket(bigint) FROM PUBLIC;

CREATE FUNCTION dialer.talk_time_bucket_lower(bucket integer)
RETURNS bigint
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_talk_time_bucket_lower';
COMMENT ON FUNCTION dialer.talk_time_bucket_lower(integer) IS
  'The smallest number of seconds counted in a talk-time bucket (22023 for a bucket outside 0..56).';
REVOKE EXECUTE ON FUNCTION dialer.talk_time_bucket_lower(integer) FROM PUBLIC;

CREATE FUNCTION dialer.talk_time_quantile(histogram bigint[], q double precision)
RETURNS double precision
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_talk_time_quantile';
COMMENT ON FUNCTION dialer.talk_time_quantile(bigint[], double precision) IS
  'The q-quantile (0..1) in seconds of a talk-time histogram (element i counts bucket i-1), '
  'interpolated linearly inside its bucket: exact below 16 s, above within one bucket width '
  '(19%, up to 22% below 64 s); the lower bound 16384 for the open bucket; NULL for an empty '
  'histogram.';
REVOKE EXECUTE ON FUNCTION dialer.talk_time_quantile(bigint[], double precision) FROM PUBLIC;

CREATE FUNCTION dialer.talk_time_buckets()
RETURNS TABLE (bucket integer, lower_seconds bigint, upper_seconds bigint)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
  SELECT b, dialer.talk_time_bucket_lower(b),
         CASE WHEN b < 56 THEN dialer.talk_time_bucket_lower(b + 1) END
    FROM pg_catalog.generate_series(0, 56) AS b
$$;
COMMENT ON FUNCTION dialer.talk_time_buckets() IS
  'The talk-time histogram layout: each bucket with its seconds range [lower, upper) '
  '(upper NULL for the open last bucket).';
REVOKE EXECUTE ON FUNCTION dialer.talk_time_buckets() FROM PUBLIC;

-- ---- slots ------------------------------------------------------------------

CREATE TABLE dialer.stats_outcome_slots (
  outcome_class text PRIMARY KEY,
  slot          integer NOT NULL UNIQUE CHECK (slot >= 3)
);
COMMENT ON TABLE dialer.stats_outcome_slots IS
  'Which element of the by-class counter vectors counts each outcome class. Slot 1 counts calls '
  'without a class yet, slot 2 calls whose class is not in dialer.outcome_classes. Slots are '
  'never reused, so kept vectors stay valid when classes are added (reference data).';

INSERT INTO dialer.stats_outcome_slots (outcome_class, slot)
SELECT outcome_class, 2 + row_number() OVER (ORDER BY outcome_class)
  FROM dialer.outcome_classes;

-- ---- the recipient's time zone of a call -------------------------------------

ALTER TABLE dialer.calls ADD COLUMN recipient_time_zone text;
COMMENT ON COLUMN dialer.calls.recipient_time_zone IS
  'The IANA zone the call was placed under (the called person''s local time): set by the '
  'dialler, else filled on insert by dialer.recipient_time_zone(). Statistics break calls down '
  'by the hour in this zone.';

CREATE FUNCTION dialer.recipient_time_zone(
  p_tenant_id uuid, p_campaign_id uuid, p_lead_id uuid, p_phone text)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_phone text := coalesce((SELECT l.phone FROM dialer.leads l
                             WHERE l.tenant_id = p_tenant_id AND l.id = p_lead_id), p_phone);
  v_zone text;
  v_candidates text[];
BEGIN
  SELECT ct.time_zone INTO v_zone FROM dialer.contacts ct WHERE ct.tenant_id = p_tenant_id AND ct.phone = v_phone;
  IF v_zone IS NOT NULL THEN
    RETURN v_zone;
  END IF;
  -- Seam to the phone core: one candidate zone only, since a number spanning several
  -- zones has no single local hour.
  IF dialer.try_e164(v_phone, NULL) IS NOT NULL THEN
    -- The scheduler's candidates: the area code's zones unless the campaign opts into the exchange's.
    v_candidates := dialer._number_zones(v_phone, (SELECT cp.zone_precision FROM dialer.campaigns cp
                                                    WHERE cp.tenant_id = p_tenant_id AND cp.id = p_campaign_id));
    IF cardinality(v_candidates) = 1 THEN
      RETURN v_candidates[1];
    END IF;
  END IF;
  RETURN coalesce((SELECT cp.time_zone FROM dialer.campaigns cp
                    WHERE cp.tenant_id = p_tenant_id AND cp.id = p_campaign_id),
                  (SELECT t.default_time_zone FROM dialer.tenants t WHERE t.id = p_tenant_id));
END
$$;
COMMENT ON FUNCTION dialer.recipient_time_zone(uuid, uuid, uuid, text) IS
  'The time zone of the person a call reaches (the lead''s number, else p_phone): the contact''s '
  'own zone, else the number''s zone when the phone core gives exactly one candidate, else the '
  'campaign''s zone, else the tenant''s default.';
REVOKE EXECUTE ON FUNCTION dialer.recipient_time_zone(uuid, uuid, uuid, text) FROM PUBLIC;

CREATE FUNCTION dialer._stats_fill_recipient_zone()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  NEW.recipient_time_zone :=
    dialer.recipient_time_zone(NEW.tenant_id, NEW.campaign_id, NEW.lead_id, NEW.phone);
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._stats_fill_recipient_zone() IS
  'BEFORE INSERT trigger on calls: fills a missing recipient_time_zone from '
  'dialer.recipient_time_zone().';
REVOKE EXECUTE ON FUNCTION dialer._stats_fill_recipient_zone() FROM PUBLIC;

CREATE TRIGGER dialer_stats_fill_recipient_zone BEFORE INSERT ON dialer.calls
  FOR EACH ROW WHEN (NEW.recipient_time_zone IS NULL)
  EXECUTE FUNCTION dialer._stats_fill_recipient_zone();

-- ---- counter tables --------------------------------------------------------

-- Why fillfactor 50: counter rows are updated many times a second; free space on
-- their page keeps the updates HOT (no index maintenance, no page hopping). Why
-- storage PLAIN on the vectors: a compressed or out-of-line vector would be
-- decompressed and recompressed on every update; the rows stay well under a page.
CREATE TABLE dialer.campaign_call_stats (
  tenant_id                uuid NOT NULL,
  campaign_id              uuid NOT NULL,
  shard                    smallint NOT NULL,
  calls                    bigint NOT NULL DEFAULT 0,
  attempts                 bigint NOT NULL DEFAULT 0,
  finished                 bigint NOT NULL DEFAULT 0,
  in_flight                bigint NOT NULL DEFAULT 0,
  answered                 bigint NOT NULL DEFAULT 0,
  human                    bigint NOT NULL DEFAULT 0,
  machine                  bigint NOT NULL DEFAULT 0,
  contacts                 bigint NOT NULL DEFAULT 0,
  conversions              bigint NOT NULL DEFAULT 0,
  abandoned                bigint NOT NULL DEFAULT 0,
  pre_dial_rejections      bigint NOT NULL DEFAULT 0,
  unknown_results          bigint NOT NULL DEFAULT 0,
  talk_calls               bigint NOT NULL DEFAULT 0,
  talk_seconds             bigint NOT NULL DEFAULT 0,
  completed_timed_calls    bigint NOT NULL DEFAULT 0,
  completed_seconds        bigint NOT NULL DEFAULT 0,
  cost                     numeric NOT NULL DEFAULT 0,
  cost_calls               bigint NOT NULL DEFAULT 0,
  by_status                bigint[] NOT NULL DEFAULT '{}',
  by_class                 bigint[] NOT NULL DEFAULT '{}',
  talk_histogram           bigint[] NOT NULL DEFAULT '{}',
  finished_by_attempt      bigint[] NOT NULL DEFAULT '{}',
  contacts_by_attempt      bigint[] NOT NULL DEFAULT '{}',
  conversions_by_attempt   bigint[] NOT NULL DEFAULT '{}',
  finished_by_local_hour   bigint[] NOT NULL DEFAULT '{}',
  answered_by_local_hour   bigint[] NOT NULL DEFAULT '{}',
  contacts_by_local_hour   bigint[] NOT NULL DEFAULT '{}',
  conversions_by_local_hour bigint[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, campaign_id, shard),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE
) WITH (fillfactor = 50);
ALTER TABLE dialer.campaign_call_stats
  ALTER COLUMN by_status SET STORAGE PLAIN, ALTER COLUMN by_class SET STORAGE PLAIN,
  ALTER COLUMN talk_histogram SET STORAGE PLAIN, ALTER COLUMN finished_by_attempt SET STORAGE PLAIN,
  ALTER COLUMN contacts_by_attempt SET STORAGE PLAIN,
  ALTER COLUMN conversions_by_attempt SET STORAGE PLAIN,
  ALTER COLUMN finished_by_local_hour SET STORAGE PLAIN,
  ALTER COLUMN answered_by_local_hour SET STORAGE PLAIN,
  ALTER COLUMN contacts_by_local_hour SET STORAGE PLAIN,
  ALTER COLUMN conversions_by_local_hour SET STORAGE PLAIN;
COMMENT ON TABLE dialer.campaign_call_stats IS
  'Kept call counters of a campaign, one row per shard (sum the shards): counts by outcome flag, '
  'talk time, cost, and vectors by call status, outcome class, attempt number, recipient-local '
  'hour and talk-time bucket. Maintained by triggers on dialer.calls; see docs/stats.md.';

CREATE TABLE dialer.campaign_call_buckets (
  tenant_id    uuid NOT NULL,
  campaign_id  uuid NOT NULL,
  granularity  text NOT NULL CHECK (granularity IN ('hour', 'day')),
  bucket_start timestamptz NOT NULL,
  shard        smallint NOT NULL,
  attempts     bigint NOT NULL DEFAULT 0,
  finished     bigint NOT NULL DEFAULT 0,
  answered     bigint NOT NULL DEFAULT 0,
  human        bigint NOT NULL DEFAULT 0,
  machine      bigint NOT NULL DEFAULT 0,
  contacts     bigint NOT NULL DEFAULT 0,
  conversions  bigint NOT NULL DEFAULT 0,
  abandoned    bigint NOT NULL DEFAULT 0,
  talk_calls   bigint NOT NULL DEFAULT 0,
  talk_seconds bigint NOT NULL DEFAULT 0,
  cost         numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, campaign_id, granularity, bucket_start, shard),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE
) WITH (fillfactor = 70);
COMMENT ON TABLE dialer.campaign_call_buckets IS
  'Kept call counters of a campaign per UTC hour and per UTC day of the attempt time '
  '(coalesce(claimed_at, started_at, created_at)), one row per shard: the time series and the '
  'rolling abandon-rate windows read these. Maintained by triggers on dialer.calls.';

CREATE TABLE dialer.campaign_lead_stats (
  tenant_id              uuid NOT NULL,
  campaign_id            uuid NOT NULL,
  shard                  smallint NOT NULL,
  leads                  bigint NOT NULL DEFAULT 0,
  attempts               bigint NOT NULL DEFAULT 0,
  contacted_leads        bigint NOT NULL DEFAULT 0,
  first_contact_attempts bigint NOT NULL DEFAULT 0,
  by_status              bigint[] NOT NULL DEFAULT '{}',
  by_attempts            bigint[] NOT NULL DEFAULT '{}',
  by_first_contact       bigint[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, campaign_id, shard),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE
) WITH (fillfactor = 50);
ALTER TABLE dialer.campaign_lead_stats
  ALTER COLUMN by_status SET STORAGE PLAIN, ALTER COLUMN by_attempts SET STORAGE PLAIN,
  ALTER COLUMN by_first_contact SET STORAGE PLAIN;
COMMENT ON TABLE dialer.campaign_lead_stats IS
  'Kept lead counters of a campaign, one row per shard (sum the shards): leads by status, '
  'attempts per lead, attempts to first contact. Maintained by triggers on dialer.leads and '
  'dialer.calls.';

CREATE TABLE dialer.lead_first_contacts (
  tenant_id      uuid NOT NULL,
  campaign_id    uuid NOT NULL,
  lead_id        uuid NOT NULL,
  attempt_number integer NOT NULL,
  PRIMARY KEY (tenant_id, campaign_id, lead_id),
  -- Why no foreign key to leads: a deleted lead's calls are deleted by a cascade whose
  -- trigger must still find this row to take it out of the histogram.
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES dialer.campaigns (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE dialer.lead_first_contacts IS
  'For each lead with at least one contact call (an outcome class with the contact flag): the '
  'attempt number of its first one (0 while a writer is recomputing it). Maintained by triggers '
  'on dialer.calls; its rows are what campaign_lead_stats.by_first_contact counts.';

DO $$
DECLARE
  t regclass;
BEGIN
  FOREACH t IN ARRAY ARRAY['dialer.campaign_call_stats', 'dialer.campaign_call_buckets',
                           'dialer.campaign_lead_stats', 'dialer.lead_first_contacts']::regclass[]
  LOOP
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
    -- Members read their tenants' counters; only the triggers (and rebuilds) write them.
    PERFORM dialer._create_policy(t, replace(t::text, 'dialer.', '') || '_select', 'SELECT',
                                  'tenant_id = ANY ((SELECT dialer.user_tenant_ids())::uuid[])');
  END LOOP;
END
$$;

-- ---- definitions the recount shares ----------------------------------------

CREATE FUNCTION dialer._stats_call_time(p_claimed_at timestamptz, p_started_at timestamptz,
                                        p_created_at timestamptz)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(p_claimed_at, p_started_at, p_created_at) $$;
COMMENT ON FUNCTION dialer._stats_call_time(timestamptz, timestamptz, timestamptz) IS
  'When an attempt counts as made, for time buckets and the local hour: claimed, else started, '
  'else created.';
REVOKE EXECUTE ON FUNCTION dialer._stats_call_time(timestamptz, timestamptz, timestamptz) FROM PUBLIC;

CREATE FUNCTION dialer._stats_local_hour(p_at timestamptz, p_zone text)
RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.date_part('hour', pg_catalog.timezone(p_zone, p_at))::integer $$;
COMMENT ON FUNCTION dialer._stats_local_hour(timestamptz, text) IS
  'The hour of day (0..23) of p_at in zone p_zone; NULL without a zone.';
REVOKE EXECUTE ON FUNCTION dialer._stats_local_hour(timestamptz, text) FROM PUBLIC;

CREATE TYPE dialer._stats_lead_key AS (tenant_id uuid, campaign_id uuid, lead_id uuid);
COMMENT ON TYPE dialer._stats_lead_key IS 'A lead whose contact calls changed (campaign of the calls).';

-- Recomputes the first contact of leads whose contact calls changed and moves them in
-- the attempts-to-first-contact histogram.
--
-- Why three statements and a row lock: the first contact is a minimum over several
-- call rows, so two transactions changing contact calls of one lead must not both
-- work from the same old value. Each first locks the lead's lead_first_contacts row
-- (creating it if missing); the second waits, and under READ COMMITTED its next
-- statement takes a new snapshot that sees the first one's calls. Under REPEATABLE
-- READ the lock attempt fails with a serialization error (40001) instead, since the
-- row was changed after the snapshot, and the client retries.
CREATE FUNCTION dialer._stats_update_first_contacts(
  p_tenants uuid[], p_campaigns uuid[], p_leads uuid[], p_shards smallint[])
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_keys dialer._stats_lead_key[];
  v_before jsonb;
  v_shards jsonb;
BEGIN
  -- The shard the calls trigger reserved for each campaign (same for all its leads).
  SELECT jsonb_object_agg(k.campaign_id::text, k.shard) INTO v_shards
    FROM unnest(p_campaigns, p_shards) AS k (campaign_id, shard);
  SELECT array_agg(k ORDER BY k.tenant_id, k.campaign_id, k.lead_id) INTO v_keys
    FROM (SELECT DISTINCT k.tenant_id, k.campaign_id, k.lead_id
            FROM unnest(p_tenants, p_campaigns, p_leads) AS k (tenant_id, campaign_id, lead_id)
           WHERE EXISTS (SELECT 1 FROM dialer.campaigns c
                          WHERE c.tenant_id = k.tenant_id AND c.id = k.campaign_id)) AS k;
  IF v_keys IS NULL THEN
    RETURN;
  END IF;
  -- Why: under REPEATABLE READ / SERIALIZABLE this transaction reads the leads' calls
  -- from its snapshot; a concurrent transaction changing calls of the same lead would
  -- go unseen (write skew) and the first contact be counted twice or not at all.
  -- Writing each lead row makes the later of two such transactions fail with 40001
  -- (the client retries). READ COMMITTED (PostgREST, the queue) reads fresh rows per
  -- statement and skips this.
  IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    UPDATE dialer.leads l SET updated_at = l.updated_at
      FROM unnest(v_keys) AS k WHERE l.tenant_id = k.tenant_id AND l.id = k.lead_id;
  END IF;
  -- 0 marks a row created here that no histogram counts yet.
  INSERT INTO dialer.lead_first_contacts (tenant_id, campaign_id, lead_id, attempt_number)
  SELECT k.tenant_id, k.campaign_id, k.lead_id, 0 FROM unnest(v_keys) AS k
  ON CONFLICT DO NOTHING;
  SELECT jsonb_object_agg(f.lead_id::text || '/' || f.campaign_id::text, f.attempt_number) INTO v_before
    FROM (SELECT f.lead_id, f.campaign_id, f.attempt_number
            FROM dialer.lead_first_contacts f
            JOIN unnest(v_keys) AS k
              ON (f.tenant_id, f.campaign_id, f.lead_id) = (k.tenant_id, k.campaign_id, k.lead_id)
           ORDER BY f.tenant_id, f.campaign_id, f.lead_id
             FOR UPDATE OF f) AS f;
  -- Why: under REPEATABLE READ / SERIALIZABLE a row another transaction inserted after
  -- our snapshot makes the INSERT above do nothing yet stays invisible here; counting
  -- from our snapshot would then count that lead's first contact twice. Fail the
  -- transaction as a serialization failure (40001) so the client retries it.
  IF (SELECT count(*) FROM jsonb_object_keys(coalesce(v_before, '{}'))) < cardinality(v_keys) THEN
    RAISE EXCEPTION 'could not serialize access to the first-contact statistics of campaign leads'
      USING ERRCODE = '40001',
            DETAIL = 'A concurrent transaction recorded a first contact that this transaction''s snapshot cannot see.',
            HINT = 'Retry the transaction.';
  END IF;
  WITH now_first AS (
    SELECT k.tenant_id, k.campaign_id, k.lead_id,
           (v_before ->> (k.lead_id::text || '/' || k.campaign_id::text))::integer AS before,
           (SELECT min(c.attempt_number)
              FROM dialer.calls c
              JOIN dialer.outcome_classes oc ON oc.outcome_class = c.outcome_class AND oc.contact
             WHERE c.tenant_id = k.tenant_id AND c.lead_id = k.lead_id
               AND c.campaign_id = k.campaign_id) AS after
      FROM unnest(v_keys) AS k),
  kept AS (
    UPDATE dialer.lead_first_contacts f SET attempt_number = n.after
      FROM now_first n
     WHERE (f.tenant_id, f.campaign_id, f.lead_id) = (n.tenant_id, n.campaign_id, n.lead_id)
       AND n.after IS NOT NULL AND n.after IS DISTINCT FROM n.before
    RETURNING 1),
  dropped AS (
    DELETE FROM dialer.lead_first_contacts f
     USING now_first n
     WHERE (f.tenant_id, f.campaign_id, f.lead_id) = (n.tenant_id, n.campaign_id, n.lead_id)
       AND n.after IS NULL
    RETURNING 1),
  moves AS (
    SELECT n.tenant_id, n.campaign_id, -1 AS w, n.before AS attempt_number
      FROM now_first n WHERE n.before > 0 AND n.after IS DISTINCT FROM n.before
    UNION ALL
    SELECT n.tenant_id, n.campaign_id, 1, n.after
      FROM now_first n WHERE n.after IS NOT NULL AND n.after IS DISTINCT FROM n.before)
  INSERT INTO dialer.campaign_lead_stats AS s
    (tenant_id, campaign_id, shard, contacted_leads, first_contact_attempts, by_first_contact)
  SELECT m.tenant_id, m.campaign_id, (v_shards ->> m.campaign_id::text)::smallint, sum(m.w)::bigint,
         sum(m.w * m.attempt_number)::bigint,
         dialer._stats_vector(least(m.attempt_number, 16), m.w)
    FROM moves m
   GROUP BY m.tenant_id, m.campaign_id
   ORDER BY m.tenant_id, m.campaign_id
  ON CONFLICT (tenant_id, campaign_id, shard) DO UPDATE SET
    contacted_leads = s.contacted_leads + excluded.contacted_leads,
    first_contact_attempts = s.first_contact_attempts + excluded.first_contact_attempts,
    by_first_contact = dialer._stats_vector_add(s.by_first_contact, excluded.by_first_contact);
END
$$;
COMMENT ON FUNCTION dialer._stats_update_first_contacts(uuid[], uuid[], uuid[], smallint[]) IS
  'Recomputes dialer.lead_first_contacts for leads (tenant, campaign of the calls, lead, and the '
  'counter shard the caller reserved for that campaign: parallel arrays) whose contact calls '
  'changed, under a row lock per lead, and moves them between the attempts-to-first-contact '
  'histogram slots. Called by the calls trigger.';
REVOKE EXECUTE ON FUNCTION dialer._stats_update_first_contacts(uuid[], uuid[], uuid[], smallint[]) FROM PUBLIC;

-- ---- triggers ----------------------------------------------------------------

-- The counters are kept by two C functions (src/pg/stats_triggers.cpp) serving the
-- INSERT, UPDATE and DELETE statement triggers of calls and leads: each reads the
-- statement's transition tables, adds up the net change per campaign (and per UTC hour
-- and day for calls), and applies it with one upsert per counter row; an UPDATE that
-- moves no counter (a transcript, a lease) writes nothing. Leads whose contact calls
-- changed go to dialer._stats_update_first_contacts.
CREATE FUNCTION dialer._stats_calls_changed()
RETURNS trigger
LANGUAGE c
SECURITY DEFINER
SET search_path = ''
AS 'MODULE_PATHNAME', 'dialer_stats_calls_changed';
COMMENT ON FUNCTION dialer._stats_calls_changed() IS
  'AFTER INSERT/UPDATE/DELETE statement trigger on calls (transition tables old_calls, '
  'new_calls): keeps the campaign call counters, buckets and first contacts.';
REVOKE EXECUTE ON FUNCTION dialer._stats_calls_changed() FROM PUBLIC;

CREATE FUNCTION dialer._stats_leads_changed()
RETURNS trigger
LANGUAGE c
SECURITY DEFINER
SET search_path = ''
AS 'MODULE_PATHNAME', 'dialer_stats_leads_changed';
COMMENT ON FUNCTION dialer._stats_leads_changed() IS
  'AFTER INSERT/UPDATE/DELETE statement trigger on leads (transition tables old_leads, '
  'new_leads): keeps the campaign lead counters.';
REVOKE EXECUTE ON FUNCTION dialer._stats_leads_changed() FROM PUBLIC;

CREATE FUNCTION dialer._stats_forget_outcome_classes()
RETURNS void
LANGUAGE c VOLATILE
AS 'MODULE_PATHNAME', 'dialer_stats_forget_outcome_classes';
COMMENT ON FUNCTION dialer._stats_forget_outcome_classes() IS
  'Makes every connection reload the outcome classes the statistics triggers cache (from the '
  'commit on); called when dialer.outcome_classes changes.';
REVOKE EXECUTE ON FUNCTION dialer._stats_forget_outcome_classes() FROM PUBLIC;

CREATE FUNCTION dialer._stats_truncated()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF TG_TABLE_NAME = 'calls' THEN
    DELETE FROM dialer.campaign_call_stats;
    DELETE FROM dialer.campaign_call_buckets;
    DELETE FROM dialer.lead_first_contacts;
    UPDATE dialer.campaign_lead_stats
       SET contacted_leads = 0, first_contact_attempts = 0, by_first_contact = '{}';
  ELSE
    UPDATE dialer.campaign_lead_stats SET leads = 0, attempts = 0, by_status = '{}', by_attempts = '{}';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._stats_truncated() IS
  'AFTER TRUNCATE trigger on calls and leads: zeroes the counters derived from the emptied table.';
REVOKE EXECUTE ON FUNCTION dialer._stats_truncated() FROM PUBLIC;

CREATE TRIGGER dialer_stats_calls_inserted AFTER INSERT ON dialer.calls
  REFERENCING NEW TABLE AS new_calls
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_calls_changed();
CREATE TRIGGER dialer_stats_calls_updated AFTER UPDATE ON dialer.calls
  REFERENCING OLD TABLE AS old_calls NEW TABLE AS new_calls
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_calls_changed();
CREATE TRIGGER dialer_stats_calls_deleted AFTER DELETE ON dialer.calls
  REFERENCING OLD TABLE AS old_calls
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_calls_changed();
CREATE TRIGGER dialer_stats_calls_truncated AFTER TRUNCATE ON dialer.calls
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_truncated();
CREATE TRIGGER dialer_stats_leads_inserted AFTER INSERT ON dialer.leads
  REFERENCING NEW TABLE AS new_leads
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_leads_changed();
CREATE TRIGGER dialer_stats_leads_updated AFTER UPDATE ON dialer.leads
  REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_leads_changed();
CREATE TRIGGER dialer_stats_leads_deleted AFTER DELETE ON dialer.leads
  REFERENCING OLD TABLE AS old_leads
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_leads_changed();
CREATE TRIGGER dialer_stats_leads_truncated AFTER TRUNCATE ON dialer.leads
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_truncated();

-- ---- sql_src/51_stats_rebuild.sql ----
-- Campaign statistics, part 2: reading the kept counters (summed over shards), recounting
-- them from the base tables, checking the two agree, rebuilding, and switching the
-- statistics triggers off and on.
--
-- The recount below derives every counter a second, independent way (one aggregate
-- pass over the campaign's rows instead of per-statement deltas). The two must agree:
-- dialer.verify_campaign_stats() lists every counter where they do not, and the tests
-- run it after scripted and random activity.

-- ---- kept counters, summed over shards --------------------------------------------

-- Why SETOF, no SET clause and fully qualified names: so the planner inlines it into
-- the caller's query, whose plan PL/pgSQL keeps (a called SQL function is planned anew
-- on every call).
CREATE FUNCTION dialer._stats_call_totals(p_tenant_id uuid, p_campaign_id uuid)
RETURNS SETOF dialer.campaign_call_stats
LANGUAGE sql STABLE
AS $$
  SELECT p_tenant_id, p_campaign_id, 0::smallint,
         coalesce(sum(s.calls), 0)::bigint, coalesce(sum(s.attempts), 0)::bigint,
         coalesce(sum(s.finished), 0)::bigint, coalesce(sum(s.in_flight), 0)::bigint,
         coalesce(sum(s.answered), 0)::bigint, coalesce(sum(s.human), 0)::bigint,
         coalesce(sum(s.machine), 0)::bigint, coalesce(sum(s.contacts), 0)::bigint,
         coalesce(sum(s.conversions), 0)::bigint, coalesce(sum(s.abandoned), 0)::bigint,
         coalesce(sum(s.pre_dial_rejections), 0)::bigint, coalesce(sum(s.unknown_results), 0)::bigint,
         coalesce(sum(s.talk_calls), 0)::bigint, coalesce(sum(s.talk_seconds), 0)::bigint,
         coalesce(sum(s.completed_timed_calls), 0)::bigint, coalesce(sum(s.completed_seconds), 0)::bigint,
         coalesce(sum(s.cost), 0), coalesce(sum(s.cost_calls), 0)::bigint,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.by_status)), '{}'),
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.by_class)), '{}'),
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.talk_histogram)), '{}'),
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.finished_by_attempt)), '{}'),
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.contacts_by_attempt)), '{}'),
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.conversions_by_attempt)), '{}'),
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.finished_by_local_hour)), '{}'),
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.answered_by_local_hour)), '{}'),
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.contacts_by_local_hour)), '{}'),
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.conversions_by_local_hour)), '{}')
    FROM dialer.campaign_call_stats s
   WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id
$$;
COMMENT ON FUNCTION dialer._stats_call_totals(uuid, uuid) IS
  'A campaign''s kept call counters summed over its shards, as one row (shard 0 stands for '
  'the sum; vectors without trailing zeros).';
REVOKE EXECUTE ON FUNCTION dialer._stats_call_totals(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_lead_totals(p_tenant_id uuid, p_campaign_id uuid)
RETURNS SETOF dialer.campaign_lead_stats
LANGUAGE sql STABLE
AS $$
  SELECT p_tenant_id, p_campaign_id, 0::smallint,
         coalesce(sum(s.leads), 0)::bigint, coalesce(sum(s.attempts), 0)::bigint,
         coalesce(sum(s.contacted_leads), 0)::bigint, coalesce(sum(s.first_contact_attempts), 0)::bigint,
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.by_status)), '{}'),
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.by_attempts)), '{}'),
         coalesce(dialer._stats_vector_trim(dialer._stats_vector_sum(s.by_first_contact)), '{}')
    FROM dialer.campaign_lead_stats s
   WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id
$$;
COMMENT ON FUNCTION dialer._stats_lead_totals(uuid, uuid) IS
  'A campaign''s kept lead counters summed over its shards, as one row (vectors without '
  'trailing zeros).';
REVOKE EXECUTE ON FUNCTION dialer._stats_lead_totals(uuid, uuid) FROM PUBLIC;

-- ---- recount from the base tables ------------------------------------------------

-- Per call: the flags and slots every counter is defined on (the same definitions the
-- triggers apply to their deltas).
CREATE VIEW dialer._stats_call_facts AS
SELECT c.tenant_id, c.campaign_id, c.lead_id, c.attempt_number, c.duration_seconds, c.cost,
       c.status,
       pg_catalog.array_position(pg_catalog.enum_range(NULL::dialer.call_status), c.status) AS status_slot,
       CASE WHEN c.outcome_class IS NULL THEN 1 ELSE coalesce(sl.slot, 2) END AS class_slot,
       least(c.attempt_number, 16) AS attempt_slot,
       dialer.talk_time_bucket(c.duration_seconds) + 1 AS talk_slot,
       dialer._stats_local_hour(dialer._stats_call_time(c.claimed_at, c.started_at, c.created_at),
                                c.recipient_time_zone) + 1 AS local_hour_slot,
       pg_catalog.date_trunc('hour', dialer._stats_call_time(c.claimed_at, c.started_at, c.created_at),
                             'UTC') AS hour,
       coalesce(oc.answered, false) AS is_answered, coalesce(oc.human, false) AS is_human,
       coalesce(oc.machine, false) AS is_machine, coalesce(oc.contact, false) AS is_contact,
       coalesce(oc.conversion, false) AS is_conversion, coalesce(oc.abandoned, false) AS is_abandoned,
       coalesce(oc.unknown_result, false) AS is_unknown,
       coalesce(oc.transport_error, false) AS is_transport_error,
       c.status IN ('claimed', 'dialing', 'ringing', 'in_progress') AS is_in_flight,
       c.status <> 'cancelled' AND NOT coalesce(oc.transport_error, false) AS is_attempt,
       c.status IN ('completed', 'failed', 'expired') AND NOT coalesce(oc.transport_error, false)
         AS is_finished,
       coalesce(oc.answered, false) AND c.duration_seconds IS NOT NULL AS is_talk
  FROM dialer.calls c
  LEFT JOIN dialer.outcome_classes oc ON oc.outcome_class = c.outcome_class
  LEFT JOIN dialer.stats_outcome_slots sl ON sl.outcome_class = c.outcome_class
 WHERE c.campaign_id IS NOT NULL;
COMMENT ON VIEW dialer._stats_call_facts IS
  'Every campaign call with the flags and vector slots the statistics count it under '
  '(used by the recount; the triggers apply the same definitions to their deltas).';
REVOKE ALL ON dialer._stats_call_facts FROM PUBLIC;

-- Why two steps: the campaign's calls are first grouped by everything a counter
-- depends on (a few thousand groups for millions of calls), then the groups are
-- weighted into the counters; aggregating every call into a dozen vectors directly is
-- several times slower on a large campaign.
CREATE FUNCTION dialer._stats_recount_calls(p_tenant_id uuid, p_campaign_id uuid)
RETURNS dialer.campaign_call_stats
LANGUAGE sql STABLE
SET search_path = ''
AS $$
  WITH g AS (
    SELECT f.status, f.status_slot, f.class_slot, f.attempt_slot, f.talk_slot, f.local_hour_slot,
           f.is_answered, f.is_human, f.is_machine, f.is_contact, f.is_conversion, f.is_abandoned,
           f.is_unknown, f.is_transport_error, f.is_in_flight, f.is_attempt, f.is_finished, f.is_talk,
           count(*) AS n, count(f.duration_seconds) AS timed, coalesce(sum(f.duration_seconds), 0) AS seconds,
           coalesce(sum(f.cost), 0) AS cost, count(f.cost) AS costed
      FROM dialer._stats_call_facts f
     WHERE f.tenant_id = p_tenant_id AND f.campaign_id = p_campaign_id
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18)
  SELECT p_tenant_id, p_campaign_id, 0::smallint,
         coalesce(sum(g.n), 0)::bigint, coalesce(sum(g.n) FILTER (WHERE g.is_attempt), 0)::bigint,
         coalesce(sum(g.n) FILTER (WHERE g.is_finished), 0)::bigint,
         coalesce(sum(g.n) FILTER (WHERE g.is_in_flight), 0)::bigint,
         coalesce(sum(g.n) FILTER (WHERE g.is_answered), 0)::bigint,
         coalesce(sum(g.n) FILTER (WHERE g.is_human), 0)::bigint,
         coalesce(sum(g.n) FILTER (WHERE g.is_machine), 0)::bigint,
         coalesce(sum(g.n) FILTER (WHERE g.is_contact), 0)::bigint,
         coalesce(sum(g.n) FILTER (WHERE g.is_conversion), 0)::bigint,
         coalesce(sum(g.n) FILTER (WHERE g.is_abandoned), 0)::bigint,
         coalesce(sum(g.n) FILTER (WHERE g.is_transport_error), 0)::bigint,
         coalesce(sum(g.n) FILTER (WHERE g.is_unknown), 0)::bigint,
         coalesce(sum(g.n) FILTER (WHERE g.is_talk), 0)::bigint,
         coalesce(sum(g.seconds) FILTER (WHERE g.is_talk), 0)::bigint,
         coalesce(sum(g.timed) FILTER (WHERE g.status = 'completed'), 0)::bigint,
         coalesce(sum(g.seconds) FILTER (WHERE g.status = 'completed'), 0)::bigint,
         coalesce(sum(g.cost), 0), coalesce(sum(g.costed), 0)::bigint,
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.status_slot, g.n), '{}')),
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.class_slot, g.n), '{}')),
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.talk_slot, g.n) FILTER (WHERE g.is_talk), '{}')),
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.attempt_slot, g.n) FILTER (WHERE g.is_finished), '{}')),
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.attempt_slot, g.n) FILTER (WHERE g.is_contact), '{}')),
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.attempt_slot, g.n) FILTER (WHERE g.is_conversion), '{}')),
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.local_hour_slot, g.n) FILTER (WHERE g.is_finished), '{}')),
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.local_hour_slot, g.n) FILTER (WHERE g.is_answered), '{}')),
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.local_hour_slot, g.n) FILTER (WHERE g.is_contact), '{}')),
         dialer._stats_vector_trim(coalesce(dialer._stats_vector(g.local_hour_slot, g.n) FILTER (WHERE g.is_conversion), '{}'))
    FROM g
$$;
COMMENT ON FUNCTION dialer._stats_recount_calls(uuid, uuid) IS
  'A campaign''s call counters recounted from dialer.calls (as shard 0).';
REVOKE EXECUTE ON FUNCTION dialer._stats_recount_calls(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_recount_buckets(p_tenant_id uuid, p_campaign_id uuid)
RETURNS SETOF dialer.campaign_call_buckets
LANGUAGE sql STABLE
SET search_path = ''
AS $$
  WITH g AS (
    SELECT f.hour, f.is_attempt, f.is_finished, f.is_answered, f.is_human, f.is_machine, f.is_contact,
           f.is_conversion, f.is_abandoned, f.is_talk,
           count(*) AS n, coalesce(sum(f.duration_seconds), 0) AS seconds, coalesce(sum(f.cost), 0) AS cost
      FROM dialer._stats_call_facts f
     WHERE f.tenant_id = p_tenant_id AND f.campaign_id = p_campaign_id
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
  b AS (
    SELECT x.granularity,
           CASE x.granularity WHEN 'hour' THEN g.hour ELSE pg_catalog.date_trunc('day', g.hour, 'UTC') END AS start,
           coalesce(sum(g.n) FILTER (WHERE g.is_attempt), 0)::bigint AS attempts,
           coalesce(sum(g.n) FILTER (WHERE g.is_finished), 0)::bigint AS finished,
           coalesce(sum(g.n) FILTER (WHERE g.is_answered), 0)::bigint AS answered,
           coalesce(sum(g.n) FILTER (WHERE g.is_human), 0)::bigint AS human,
           coalesce(sum(g.n) FILTER (WHERE g.is_machine), 0)::bigint AS machine,
           coalesce(sum(g.n) FILTER (WHERE g.is_contact), 0)::bigint AS contacts,
           coalesce(sum(g.n) FILTER (WHERE g.is_conversion), 0)::bigint AS conversions,
           coalesce(sum(g.n) FILTER (WHERE g.is_abandoned), 0)::bigint AS abandoned,
           coalesce(sum(g.n) FILTER (WHERE g.is_talk), 0)::bigint AS talk_calls,
           coalesce(sum(g.seconds) FILTER (WHERE g.is_talk), 0)::bigint AS talk_seconds,
           coalesce(sum(g.cost), 0) AS cost
      FROM g CROSS JOIN (VALUES ('hour'), ('day')) AS x (granularity)
     GROUP BY 1, 2)
  SELECT p_tenant_id, p_campaign_id, b.granularity, b.start, 0::smallint, b.attempts, b.finished,
         b.answered, b.human, b.machine, b.contacts, b.conversions, b.abandoned, b.talk_calls,
         b.talk_seconds, b.cost
    FROM b
   -- Buckets whose counters are all zero are left out, as the triggers leave them.
   WHERE (b.attempts, b.finished, b.answered, b.human, b.machine, b.contacts, b.conversions,
          b.abandoned, b.talk_calls, b.talk_seconds, b.cost)
         IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
$$;
COMMENT ON FUNCTION dialer._stats_recount_buckets(uuid, uuid) IS
  'A campaign''s hourly and daily call counters recounted from dialer.calls (as shard 0; '
  'buckets where every counter is zero are left out).';
REVOKE EXECUTE ON FUNCTION dialer._stats_recount_buckets(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_recount_first_contacts(p_tenant_id uuid, p_campaign_id uuid)
RETURNS SETOF dialer.lead_first_contacts
LANGUAGE sql STABLE
SET search_path = ''
AS $$
  SELECT p_tenant_id, p_campaign_id, f.lead_id, min(f.attempt_number)
    FROM dialer._stats_call_facts f
   WHERE f.tenant_id = p_tenant_id AND f.campaign_id = p_campaign_id AND f.is_contact
     AND f.lead_id IS NOT NULL
   GROUP BY f.lead_id
$$;
COMMENT ON FUNCTION dialer._stats_recount_first_contacts(uuid, uuid) IS
  'For each lead of the campaign with a contact call, the attempt number of its first one.';
REVOKE EXECUTE ON FUNCTION dialer._stats_recount_first_contacts(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_recount_leads(p_tenant_id uuid, p_campaign_id uuid)
RETURNS dialer.campaign_lead_stats
LANGUAGE sql STABLE
SET search_path = ''
AS $$
  SELECT p_tenant_id, p_campaign_id, 0::smallint, l.leads, l.attempts, fc.contacted,
         fc.attempts_sum, l.by_status, l.by_attempts, fc.by_first_contact
    FROM (SELECT count(*) AS leads, coalesce(sum(l.attempts), 0) AS attempts,
                 dialer._stats_vector_trim(coalesce(dialer._stats_vector(
                   pg_catalog.array_position(pg_catalog.enum_range(NULL::dialer.lead_status), l.status), 1), '{}'))
                   AS by_status,
                 dialer._stats_vector_trim(coalesce(dialer._stats_vector(least(l.attempts, 16) + 1, 1), '{}'))
                   AS by_attempts
            FROM dialer.leads l
           WHERE l.tenant_id = p_tenant_id AND l.campaign_id = p_campaign_id) AS l,
         (SELECT count(*) AS contacted, coalesce(sum(f.attempt_number), 0) AS attempts_sum,
                 dialer._stats_vector_trim(coalesce(dialer._stats_vector(least(f.attempt_number, 16), 1), '{}'))
                   AS by_first_contact
            FROM dialer._stats_recount_first_contacts(p_tenant_id, p_campaign_id) AS f) AS fc
$$;
COMMENT ON FUNCTION dialer._stats_recount_leads(uuid, uuid) IS
  'A campaign''s lead counters recounted from dialer.leads and dialer.calls (as shard 0).';
REVOKE EXECUTE ON FUNCTION dialer._stats_recount_leads(uuid, uuid) FROM PUBLIC;

-- ---- verify and rebuild ------------------------------------------------------------

CREATE FUNCTION dialer.verify_campaign_stats(p_campaign_id uuid)
RETURNS TABLE (counter text, kept text, recounted text)
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_tenant uuid;
BEGIN
  SELECT c.tenant_id INTO v_tenant FROM dialer.campaigns c WHERE c.id = p_campaign_id;
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'campaign % not found', p_campaign_id
      USING ERRCODE = 'PT404', DETAIL = 'No campaign with this id exists.',
            HINT = 'Check the id.';
  END IF;
  RETURN QUERY
  WITH kept AS (
    SELECT 'calls.' || k.key AS counter, k.value
      FROM dialer._stats_call_totals(v_tenant, p_campaign_id) AS t, jsonb_each(to_jsonb(t)) AS k
    UNION ALL
    SELECT 'leads.' || k.key, k.value
      FROM dialer._stats_lead_totals(v_tenant, p_campaign_id) AS t, jsonb_each(to_jsonb(t)) AS k
    UNION ALL
    SELECT format('buckets.%s.%s.%s', b.granularity, b.bucket_start, k.key), k.value
      FROM (SELECT s.granularity, s.bucket_start, sum(s.attempts) AS attempts,
                   sum(s.finished) AS finished, sum(s.answered) AS answered, sum(s.human) AS human,
                   sum(s.machine) AS machine, sum(s.contacts) AS contacts,
                   sum(s.conversions) AS conversions, sum(s.abandoned) AS abandoned,
                   sum(s.talk_calls) AS talk_calls, sum(s.talk_seconds) AS talk_seconds,
                   sum(s.cost) AS cost
              FROM dialer.campaign_call_buckets s
             WHERE s.tenant_id = v_tenant AND s.campaign_id = p_campaign_id
             GROUP BY s.granularity, s.bucket_start) AS b,
           jsonb_each(to_jsonb(b) - 'granularity' - 'bucket_start') AS k
     -- A bucket whose counters all went back to zero equals a missing bucket.
     WHERE k.value <> '0'
    UNION ALL
    SELECT 'first_contact.' || f.lead_id, to_jsonb(f.attempt_number)
      FROM dialer.lead_first_contacts f
     WHERE f.tenant_id = v_tenant AND f.campaign_id = p_campaign_id),
  recounted AS (
    SELECT 'calls.' || k.key AS counter, k.value
      FROM jsonb_each(to_jsonb(dialer._stats_recount_calls(v_tenant, p_campaign_id))) AS k
    UNION ALL
    SELECT 'leads.' || k.key, k.value
      FROM jsonb_each(to_jsonb(dialer._stats_recount_leads(v_tenant, p_campaign_id))) AS k
    UNION ALL
    SELECT format('buckets.%s.%s.%s', b.granularity, b.bucket_start, k.key), k.value
      FROM dialer._stats_recount_buckets(v_tenant, p_campaign_id) AS b,
           jsonb_each(to_jsonb(b) - 'tenant_id' - 'campaign_id' - 'granularity' - 'bucket_start'
                      - 'shard') AS k
     WHERE k.value <> '0'
    UNION ALL
    SELECT 'first_contact.' || f.lead_id, to_jsonb(f.attempt_number)
      FROM dialer._stats_recount_first_contacts(v_tenant, p_campaign_id) AS f)
  SELECT coalesce(k.counter, r.counter), k.value::text, r.value::text
    FROM kept k FULL JOIN recounted r ON r.counter = k.counter
   WHERE k.value IS DISTINCT FROM r.value
   ORDER BY 1;
END
$$;
COMMENT ON FUNCTION dialer.verify_campaign_stats(uuid) IS
  'Every kept statistics counter of the campaign that differs from a full recount of its calls '
  'and leads (no rows: the statistics are exact). Reads the whole campaign: a check, not a report.';
REVOKE EXECUTE ON FUNCTION dialer.verify_campaign_stats(uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_reset_campaign(p_tenant_id uuid, p_campaign_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = ''
AS $$
BEGIN
  DELETE FROM dialer.campaign_call_stats s WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id;
  DELETE FROM dialer.campaign_call_buckets s WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id;
  DELETE FROM dialer.campaign_lead_stats s WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id;
  DELETE FROM dialer.lead_first_contacts s WHERE s.tenant_id = p_tenant_id AND s.campaign_id = p_campaign_id;
  INSERT INTO dialer.campaign_call_stats SELECT * FROM dialer._stats_recount_calls(p_tenant_id, p_campaign_id);
  INSERT INTO dialer.campaign_call_buckets SELECT * FROM dialer._stats_recount_buckets(p_tenant_id, p_campaign_id);
  INSERT INTO dialer.lead_first_contacts SELECT * FROM dialer._stats_recount_first_contacts(p_tenant_id, p_campaign_id);
  INSERT INTO dialer.campaign_lead_stats SELECT * FROM dialer._stats_recount_leads(p_tenant_id, p_campaign_id);
END
$$;
COMMENT ON FUNCTION dialer._stats_reset_campaign(uuid, uuid) IS
  'Replaces a campaign''s kept counters with a recount (callers hold the write locks).';
REVOKE EXECUTE ON FUNCTION dialer._stats_reset_campaign(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION dialer.rebuild_campaign_stats(p_campaign_id uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_campaign record;
  v_count integer := 0;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'rebuilding statistics needs READ COMMITTED, not %',
                    upper(current_setting('transaction_isolation'))
      USING ERRCODE = '25001',
            DETAIL = 'The recount must see every write committed before its lock was granted; '
                     'an older transaction snapshot would miss some.',
            HINT = 'Run it in its own READ COMMITTED transaction.';
  END IF;
  IF p_campaign_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM dialer.campaigns c WHERE c.id = p_campaign_id) THEN
    RAISE EXCEPTION 'campaign % not found', p_campaign_id
      USING ERRCODE = 'PT404', DETAIL = 'No campaign with this id exists.', HINT = 'Check the id.';
  END IF;
  -- Why SHARE ROW EXCLUSIVE: it waits for every open writer of leads and calls to finish
  -- and holds new ones off until commit, while reads go on; two rebuilds exclude each other.
  LOCK TABLE dialer.leads, dialer.calls IN SHARE ROW EXCLUSIVE MODE;
  FOR v_campaign IN
    SELECT c.tenant_id, c.id FROM dialer.campaigns c
     WHERE p_campaign_id IS NULL OR c.id = p_campaign_id
     ORDER BY c.tenant_id, c.id
  LOOP
    PERFORM dialer._stats_reset_campaign(v_campaign.tenant_id, v_campaign.id);
    v_count := v_count + 1;
  END LOOP;
  RETURN v_count;
END
$$;
COMMENT ON FUNCTION dialer.rebuild_campaign_stats(uuid) IS
  'Recounts the statistics of one campaign (NULL: every campaign) from its calls and leads and '
  'replaces the kept counters; returns the number of campaigns rebuilt. Blocks writes to leads '
  'and calls until the transaction ends (reads go on). Needs READ COMMITTED (else 25001).';
REVOKE EXECUTE ON FUNCTION dialer.rebuild_campaign_stats(uuid) FROM PUBLIC;

-- ---- switching the statistics off and on ------------------------------------

CREATE FUNCTION dialer.campaign_stats_enabled()
RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
  RETURN (SELECT bool_and(t.tgenabled <> 'D')
            FROM pg_catalog.pg_trigger t
           WHERE t.tgrelid IN ('dialer.calls'::regclass, 'dialer.leads'::regclass)
             AND t.tgname LIKE 'dialer\_stats\_%');
END
$$;
COMMENT ON FUNCTION dialer.campaign_stats_enabled() IS
  'Whether the statistics triggers on calls and leads are enabled (kept counters are exact).';
REVOKE EXECUTE ON FUNCTION dialer.campaign_stats_enabled() FROM PUBLIC;

CREATE FUNCTION dialer.set_campaign_stats_enabled(p_enabled boolean)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_was boolean := dialer.campaign_stats_enabled();
  v_trigger record;
BEGIN
  IF p_enabled IS NULL THEN
    RAISE EXCEPTION 'p_enabled must be true or false, not NULL'
      USING ERRCODE = '22004', DETAIL = 'It says whether the statistics triggers run.',
            HINT = 'Pass true to switch statistics on, false to switch them off.';
  END IF;
  FOR v_trigger IN
    SELECT t.tgrelid::regclass AS tbl, t.tgname
      FROM pg_catalog.pg_trigger t
     WHERE t.tgrelid IN ('dialer.calls'::regclass, 'dialer.leads'::regclass)
       AND t.tgname LIKE 'dialer\_stats\_%'
     ORDER BY t.tgrelid, t.tgname
  LOOP
    EXECUTE format('ALTER TABLE %s %s TRIGGER %I', v_trigger.tbl,
                   CASE WHEN p_enabled THEN 'ENABLE' ELSE 'DISABLE' END, v_trigger.tgname);
  END LOOP;
  -- ALTER TABLE holds off every writer of leads and calls until commit, so the recount
  -- sees a table nobody else changes.
  IF p_enabled AND NOT v_was THEN
    PERFORM dialer.rebuild_campaign_stats();
  END IF;
  RETURN v_was;
END
$$;
COMMENT ON FUNCTION dialer.set_campaign_stats_enabled(boolean) IS
  'Switches the statistics triggers on calls and leads (counters and the recipient_time_zone '
  'fill) off or on for every campaign; switching on rebuilds every campaign''s counters. Returns '
  'the previous setting. Blocks writes to leads and calls until the transaction ends.';
REVOKE EXECUTE ON FUNCTION dialer.set_campaign_stats_enabled(boolean) FROM PUBLIC;

-- ---- outcome classes are what the counters are defined on ------------------------

CREATE FUNCTION dialer._stats_outcome_classes_changed()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  INSERT INTO dialer.stats_outcome_slots (outcome_class, slot)
  SELECT oc.outcome_class,
         coalesce((SELECT max(s.slot) FROM dialer.stats_outcome_slots s), 2)
           + row_number() OVER (ORDER BY oc.outcome_class)
    FROM dialer.outcome_classes oc
   WHERE NOT EXISTS (SELECT 1 FROM dialer.stats_outcome_slots s WHERE s.outcome_class = oc.outcome_class);
  PERFORM dialer._stats_forget_outcome_classes();
  -- Why a full rebuild: every counter is defined on the class flags, so calls already
  -- counted under the old flags must be counted again. Classes change rarely.
  IF dialer.campaign_stats_enabled() THEN
    PERFORM dialer.rebuild_campaign_stats();
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION dialer._stats_outcome_classes_changed() IS
  'AFTER statement trigger on outcome_classes: gives new classes a vector slot and rebuilds '
  'every campaign''s statistics under the changed flags.';
REVOKE EXECUTE ON FUNCTION dialer._stats_outcome_classes_changed() FROM PUBLIC;

CREATE TRIGGER dialer_stats_outcome_classes_changed
  AFTER INSERT OR UPDATE OR DELETE ON dialer.outcome_classes
  FOR EACH STATEMENT EXECUTE FUNCTION dialer._stats_outcome_classes_changed();

-- ---- sql_src/52_stats_read.sql ----
-- Campaign statistics, part 3: the reports. dialer.campaign_stats() reads only kept
-- counters (a bounded number of rows whatever the campaign's size) plus one index
-- range count; dialer.campaign_timeseries() and dialer.campaign_local_hours() read
-- the buckets and vectors; dialer.campaign_dialability() is the one report that scans
-- leads, and says so. Definitions of every figure: docs/stats.md.

-- Leads waiting for a retry that is not due yet: counted by an index range scan (the
-- one part of dialer.campaign_stats that is not a counter read; see docs/stats.md).
CREATE INDEX leads_waiting_idx ON dialer.leads (tenant_id, campaign_id, next_attempt_at)
  WHERE status IN ('pending', 'scheduled');

CREATE FUNCTION dialer._stats_visible_campaign(p_campaign_id uuid)
RETURNS uuid
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
DECLARE
  v_tenant uuid;
BEGIN
  SELECT c.tenant_id INTO v_tenant FROM dialer.campaigns c WHERE c.id = p_campaign_id;
  -- Why the same error for "missing" and "not yours": the answer must not reveal that
  -- another tenant's campaign exists.
  IF v_tenant IS NULL OR NOT dialer.has_tenant_role(v_tenant, 'viewer') THEN
    RAISE EXCEPTION 'campaign % not found', p_campaign_id
      USING ERRCODE = 'PT404',
            DETAIL = 'No campaign with this id is visible to the caller.',
            HINT = 'Check the id, and that you are a member of the campaign''s tenant.';
  END IF;
  RETURN v_tenant;
END
$$;
COMMENT ON FUNCTION dialer._stats_visible_campaign(uuid) IS
  'The tenant of a campaign the caller may read (a member of its tenant, or a role that '
  'bypasses RLS); PT404 otherwise, whether or not the campaign exists.';
REVOKE EXECUTE ON FUNCTION dialer._stats_visible_campaign(uuid) FROM PUBLIC;

CREATE FUNCTION dialer._stats_ratio(p_part numeric, p_whole numeric, p_digits integer DEFAULT 4)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN p_whole > 0 THEN round(p_part / p_whole, p_digits) END $$;
COMMENT ON FUNCTION dialer._stats_ratio(numeric, numeric, integer) IS
  'p_part / p_whole rounded to p_digits decimals; NULL when the whole is zero.';
REVOKE EXECUTE ON FUNCTION dialer._stats_ratio(numeric, numeric, integer) FROM PUBLIC;

CREATE FUNCTION dialer._stats_distribution(p_vector bigint[], p_first integer, p_last_label text)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
BEGIN
  RETURN (SELECT coalesce(jsonb_object_agg(CASE WHEN v.i = 16 - p_first + 1 THEN p_last_label
                                                ELSE (v.i + p_first - 1)::text END, v.n), '{}')
            FROM unnest(p_vector) WITH ORDINALITY AS v (n, i)
           WHERE v.n <> 0);
END
$$;
COMMENT ON FUNCTION dialer._stats_distribution(bigint[], integer, text) IS
  'A 16-or-more capped count vector as a JSON object {"value": count}: element i counts value '
  'i + p_first - 1, and the element for 16 is labelled p_last_label; zero counts left out.';
REVOKE EXECUTE ON FUNCTION dialer._stats_distribution(bigint[], integer, text) FROM PUBLIC;

CREATE FUNCTION dialer.campaign_stats(p_campaign_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_tenant uuid := dialer._stats_visible_campaign(p_campaign_id);
  c dialer.campaign_call_stats;
  l dialer.campaign_lead_stats;
  v_lead_status jsonb;
  v_call_status jsonb;
  v_classes jsonb;
  v_waiting bigint;
  v_not_due bigint;
  v_final bigint;
  v_penetrated bigint;
  v_us_from timestamptz := date_trunc('day', p_now, 'UTC') - interval '29 days';
  v_us_abandoned bigint;
  v_us_live bigint;
  v_uk_from timestamptz := date_trunc('hour', p_now, 'UTC') - interval '23 hours';
  v_uk_abandoned bigint;
  v_uk_human bigint;
  v_uk_machine bigint;
  v_uk_machine_drops numeric;
BEGIN
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  SELECT * INTO c FROM dialer._stats_call_totals(v_tenant, p_campaign_id);
  SELECT * INTO l FROM dialer._stats_lead_totals(v_tenant, p_campaign_id);

  SELECT jsonb_object_agg(e.s, coalesce(l.by_status[e.i], 0)),
         coalesce(sum(l.by_status[e.i]) FILTER (WHERE e.s IN ('pending', 'scheduled')), 0),
         coalesce(sum(l.by_status[e.i]) FILTER (WHERE e.s IN ('completed', 'converted', 'refused',
                                                              'do_not_call', 'invalid', 'failed')), 0),
         coalesce(sum(l.by_status[e.i]) FILTER (WHERE e.s IN ('completed', 'converted', 'refused',
                                                              'do_not_call', 'invalid', 'failed',
                                                              'cancelled')), 0)
    INTO v_lead_status, v_waiting, v_penetrated, v_final
    FROM unnest(enum_range(NULL::dialer.lead_status)) WITH ORDINALITY AS e (s, i);
  SELECT jsonb_object_agg(e.s, coalesce(c.by_status[e.i], 0)) INTO v_call_status
    FROM unnest(enum_range(NULL::dialer.call_status)) WITH ORDINALITY AS e (s, i);
  SELECT coalesce(jsonb_object_agg(k.name, k.n), '{}') INTO v_classes
    FROM (SELECT oc.outcome_class AS name, coalesce(c.by_class[s.slot], 0) AS n
            FROM dialer.outcome_classes oc JOIN dialer.stats_outcome_slots s USING (outcome_class)
          UNION ALL
          SELECT x.name, c.by_class[x.slot]
            FROM (VALUES ('no_class', 1), ('unlisted_class', 2)) AS x (name, slot)
           WHERE c.by_class[x.slot] <> 0
          UNION ALL
          -- Classes since removed from dialer.outcome_classes keep their slot and count.
          SELECT s.outcome_class, c.by_class[s.slot]
            FROM dialer.stats_outcome_slots s
           WHERE c.by_class[s.slot] <> 0
             AND NOT EXISTS (SELECT 1 FROM dialer.outcome_classes oc
                              WHERE oc.outcome_class = s.outcome_class)) AS k;

  -- Index range count, not a counter: see docs/stats.md ("constant time").
  SELECT count(*) INTO v_not_due
    FROM dialer.leads ld
   WHERE ld.tenant_id = v_tenant AND ld.campaign_id = p_campaign_id
     AND ld.status IN ('pending', 'scheduled') AND ld.next_attempt_at > p_now;

  SELECT coalesce(sum(b.abandoned), 0), coalesce(sum(b.human), 0) INTO v_us_abandoned, v_us_live
    FROM dialer.campaign_call_buckets b
   WHERE b.tenant_id = v_tenant AND b.campaign_id = p_campaign_id AND b.granularity = 'day'
     AND b.bucket_start >= v_us_from AND b.bucket_start <= p_now;
  SELECT coalesce(sum(b.abandoned), 0), coalesce(sum(b.human), 0), coalesce(sum(b.machine), 0)
    INTO v_uk_abandoned, v_uk_human, v_uk_machine
    FROM dialer.campaign_call_buckets b
   WHERE b.tenant_id = v_tenant AND b.campaign_id = p_campaign_id AND b.granularity = 'hour'
     AND b.bucket_start >= v_uk_from AND b.bucket_start <= p_now;
  -- Ofcom's answering-machine adjustment: the share of connected calls that reached a
  -- machine, applied to the drops, estimates the drops that hit machines.
  v_uk_machine_drops := CASE WHEN v_uk_machine + v_uk_human - v_uk_abandoned > 0
    THEN v_uk_abandoned::numeric * v_uk_machine / (v_uk_machine + v_uk_human - v_uk_abandoned)
    ELSE 0 END;

  RETURN jsonb_build_object(
    'campaign_id', p_campaign_id,
    'as_of', p_now,
    'statistics_enabled', dialer.campaign_stats_enabled(),
    'leads', jsonb_build_object(
      'total', l.leads,
      'by_status', v_lead_status,
      'waiting', v_waiting,
      'due_now', v_waiting - v_not_due,
      'not_yet_due', v_not_due,
      'attempted', l.leads - coalesce(l.by_attempts[1], 0),
      'contacted', l.contacted_leads),
    'calls', jsonb_build_object(
      'total', c.calls,
      'attempts', c.attempts,
      'finished_attempts', c.finished,
      'in_flight', c.in_flight,
      'pre_dial_rejections', c.pre_dial_rejections,
      'unknown_results', c.unknown_results,
      'avg_completed_duration', dialer._stats_ratio(c.completed_seconds, c.completed_timed_calls, 2),
      'by_status', v_call_status,
      'by_outcome_class', v_classes),
    'outcomes', jsonb_build_object(
      'answered', c.answered, 'human', c.human, 'machine', c.machine, 'contacts', c.contacts,
      'conversions', c.conversions, 'abandoned', c.abandoned),
    'rates', jsonb_build_object(
      'answer_rate', dialer._stats_ratio(c.answered, c.finished),
      'human_contact_rate', dialer._stats_ratio(c.human, c.finished),
      'voicemail_rate', dialer._stats_ratio(c.machine, c.answered),
      'contact_rate', dialer._stats_ratio(c.contacts, c.finished),
      'conversion_per_contact', dialer._stats_ratio(c.conversions, c.contacts),
      'conversion_per_lead', dialer._stats_ratio(c.conversions, l.leads)),
    'abandon_rate', jsonb_build_object(
      'us_30d', jsonb_build_object(
        'rate', dialer._stats_ratio(v_us_abandoned, v_us_live),
        'abandoned', v_us_abandoned, 'live_answered', v_us_live,
        'window_start', v_us_from, 'window_end', v_us_from + interval '30 days'),
      'uk_24h', jsonb_build_object(
        'rate', dialer._stats_ratio(v_uk_abandoned - v_uk_machine_drops,
                                    v_uk_human - v_uk_machine_drops),
        'abandoned', v_uk_abandoned, 'estimated_machine_drops', round(v_uk_machine_drops, 2),
        'live', v_uk_human, 'machine', v_uk_machine,
        'window_start', v_uk_from, 'window_end', v_uk_from + interval '24 hours')),
    'attempts_per_lead', jsonb_build_object(
      'mean', dialer._stats_ratio(l.attempts, l.leads, 2),
      'mean_attempted', dialer._stats_ratio(l.attempts, l.leads - coalesce(l.by_attempts[1], 0), 2),
      'distribution', dialer._stats_distribution(l.by_attempts, 0, '16+')),
    'attempts_to_first_contact', jsonb_build_object(
      'contacted_leads', l.contacted_leads,
      'mean', dialer._stats_ratio(l.first_contact_attempts, l.contacted_leads, 2),
      'distribution', dialer._stats_distribution(l.by_first_contact, 1, '16+')),
    'talk_time', jsonb_build_object(
      'calls', c.talk_calls,
      'total_seconds', c.talk_seconds,
      'mean', dialer._stats_ratio(c.talk_seconds, c.talk_calls, 1),
      'p50', round(dialer.talk_time_quantile(c.talk_histogram, 0.5)::numeric, 1),
      'p90', round(dialer.talk_time_quantile(c.talk_histogram, 0.9)::numeric, 1),
      'p99', round(dialer.talk_time_quantile(c.talk_histogram, 0.99)::numeric, 1)),
    'cost', jsonb_build_object(
      'total', c.cost,
      'per_call', dialer._stats_ratio(c.cost, c.finished, 6),
      'per_connected_minute', dialer._stats_ratio(c.cost * 60, c.talk_seconds, 6),
      'per_contact', dialer._stats_ratio(c.cost, c.contacts, 6),
      'per_conversion', dialer._stats_ratio(c.cost, c.conversions, 6)),
    'penetration', dialer._stats_ratio(v_penetrated, l.leads),
    'completion', dialer._stats_ratio(v_final, l.leads),
    'by_attempt_number', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
               'attempt', CASE WHEN a.i = 16 THEN '16+' ELSE a.i::text END,
               'finished', a.n,
               'contacts', coalesce(c.contacts_by_attempt[a.i], 0),
               'conversions', coalesce(c.conversions_by_attempt[a.i], 0),
               'contact_rate', dialer._stats_ratio(coalesce(c.contacts_by_attempt[a.i], 0), a.n))
             ORDER BY a.i), '[]')
        FROM unnest(c.finished_by_attempt) WITH ORDINALITY AS a (n, i)
       WHERE a.n <> 0));
END
$$;
COMMENT ON FUNCTION dialer.campaign_stats(uuid, timestamptz) IS
  'A campaign''s statistics as JSON: leads by status and due now, calls by status and outcome '
  'class, answer / human contact / voicemail / contact rates, conversion per contact and per lead, '
  'abandon rates (US 30 days, UK 24 h answering-machine adjusted), attempts per lead and to first '
  'contact, talk time mean and p50/p90/p99, cost per call / connected minute / contact / '
  'conversion, penetration, completion, results by attempt number. Reads kept counters (constant '
  'time) plus one index count of leads not yet due. PT404 unless the caller is a member of the '
  'campaign''s tenant. Definitions: docs/stats.md.';
REVOKE EXECUTE ON FUNCTION dialer.campaign_stats(uuid, timestamptz) FROM PUBLIC;

CREATE FUNCTION dialer.campaign_timeseries(
  p_campaign_id uuid,
  p_bucket interval DEFAULT '1 hour',
  p_from timestamptz DEFAULT NULL,
  p_to timestamptz DEFAULT NULL)
RETURNS TABLE (
  bucket_start timestamptz, attempts bigint, finished bigint, answered bigint, human bigint,
  machine bigint, contacts bigint, conversions bigint, abandoned bigint, talk_seconds bigint,
  cost numeric, answer_rate numeric, contact_rate numeric, abandon_rate numeric)
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_tenant uuid := dialer._stats_visible_campaign(p_campaign_id);
  v_granularity text;
  v_to timestamptz := coalesce(p_to, now());
  v_from timestamptz;
  v_bucket_seconds numeric := extract(epoch FROM p_bucket);
  v_buckets numeric;
BEGIN
  IF p_bucket IS NULL OR p_bucket < interval '1 hour' OR v_bucket_seconds % 3600 <> 0
     OR date_part('month', p_bucket) <> 0 OR date_part('year', p_bucket) <> 0 THEN
    RAISE EXCEPTION 'bucket % is not a whole number of hours or days', coalesce(p_bucket::text, 'NULL')
      USING ERRCODE = '22023',
            DETAIL = 'Statistics are kept per UTC hour and per UTC day, so a chart bucket is a '
                     'multiple of one hour (months vary in length and are not supported).',
            HINT = 'Pass e.g. ''1 hour'', ''6 hours'', ''1 day'' or ''7 days''.';
  END IF;
  IF NOT isfinite(v_to) OR NOT coalesce(isfinite(p_from), true) THEN
    PERFORM dialer._invalid_arg(CASE WHEN isfinite(v_to) THEN 'p_from' ELSE 'p_to' END,
                                CASE WHEN isfinite(v_to) THEN p_from ELSE v_to END::text, 'a finite timestamp');
  END IF;
  -- Why in epoch seconds (numeric): timestamptz - timestamptz overflows an interval for
  -- ranges hundreds of thousands of years wide, and the overflow passed the bound.
  v_buckets := CASE WHEN p_from IS NULL THEN 24
                    ELSE ceil((extract(epoch FROM v_to) - extract(epoch FROM p_from)) / v_bucket_seconds) END;
  IF v_buckets > dialer._limit('max_timeseries_buckets') THEN
    PERFORM dialer._over_limit(format('the number of buckets of %s from %s to %s', p_bucket, p_from, v_to),
                               v_buckets, 'max_timeseries_buckets');
  END IF;
  -- Day rows when the bucket is whole days: 24 times fewer rows to add up.
  v_granularity := CASE WHEN v_bucket_seconds % 86400 = 0 THEN 'day' ELSE 'hour' END;
  v_from := coalesce(p_from, v_to - 24 * p_bucket);
  IF v_from >= v_to THEN
    RAISE EXCEPTION 'time range [%, %) is empty', v_from, v_to
      USING ERRCODE = '22023', DETAIL = 'p_from must be earlier than p_to.',
            HINT = 'Swap them, or leave p_from NULL for the 24 buckets before p_to.';
  END IF;
  RETURN QUERY
  WITH series AS (
    SELECT g AS start
      FROM generate_series(date_bin(p_bucket, v_from, timestamptz '2000-01-03 00:00:00+00'),
                           v_to - interval '1 microsecond', p_bucket) AS g),
  sums AS (
    SELECT date_bin(p_bucket, b.bucket_start, timestamptz '2000-01-03 00:00:00+00') AS start,
           sum(b.attempts)::bigint AS attempts, sum(b.finished)::bigint AS finished,
           sum(b.answered)::bigint AS answered, sum(b.human)::bigint AS human,
           sum(b.machine)::bigint AS machine, sum(b.contacts)::bigint AS contacts,
           sum(b.conversions)::bigint AS conversions, sum(b.abandoned)::bigint AS abandoned,
           sum(b.talk_seconds)::bigint AS talk_seconds, sum(b.cost) AS cost
      FROM dialer.campaign_call_buckets b
     WHERE b.tenant_id = v_tenant AND b.campaign_id = p_campaign_id AND b.granularity = v_granularity
       AND b.bucket_start >= (SELECT min(s.start) FROM series s) AND b.bucket_start < v_to
     GROUP BY 1)
  SELECT s.start, coalesce(x.attempts, 0), coalesce(x.finished, 0), coalesce(x.answered, 0),
         coalesce(x.human, 0), coalesce(x.machine, 0), coalesce(x.contacts, 0),
         coalesce(x.conversions, 0), coalesce(x.abandoned, 0), coalesce(x.talk_seconds, 0),
         coalesce(x.cost, 0),
         dialer._stats_ratio(x.answered, x.finished), dialer._stats_ratio(x.contacts, x.finished),
         dialer._stats_ratio(x.abandoned, x.human)
    FROM series s LEFT JOIN sums x ON x.start = s.start
   ORDER BY s.start;
END
$$;
COMMENT ON FUNCTION dialer.campaign_timeseries(uuid, interval, timestamptz, timestamptz) IS
  'A campaign''s calls over time for charts: one row per bucket of p_bucket (whole hours or days, '
  'aligned to UTC midnight and, for multi-day buckets, to Mondays) from p_from (default: 24 buckets '
  'back) to p_to (default now), with attempts, outcomes, talk time, cost and rates, by attempt '
  'time. Reads the kept hourly or daily counters. PT404 unless the caller is a member of the '
  'campaign''s tenant.';
REVOKE EXECUTE ON FUNCTION dialer.campaign_timeseries(uuid, interval, timestamptz, timestamptz) FROM PUBLIC;

CREATE FUNCTION dialer.campaign_local_hours(p_campaign_id uuid)
RETURNS TABLE (
  local_hour integer, finished bigint, answered bigint, contacts bigint, conversions bigint,
  answer_rate numeric, contact_rate numeric, conversion_rate numeric)
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_tenant uuid := dialer._stats_visible_campaign(p_campaign_id);
  c dialer.campaign_call_stats;
BEGIN
  SELECT * INTO c FROM dialer._stats_call_totals(v_tenant, p_campaign_id);
  RETURN QUERY
  SELECT h, coalesce(c.finished_by_local_hour[h + 1], 0), coalesce(c.answered_by_local_hour[h + 1], 0),
         coalesce(c.contacts_by_local_hour[h + 1], 0), coalesce(c.conversions_by_local_hour[h + 1], 0),
         dialer._stats_ratio(c.answered_by_local_hour[h + 1], c.finished_by_local_hour[h + 1]),
         dialer._stats_ratio(c.contacts_by_local_hour[h + 1], c.finished_by_local_hour[h + 1]),
         dialer._stats_ratio(c.conversions_by_local_hour[h + 1], c.contacts_by_local_hour[h + 1])
    FROM generate_series(0, 23) AS h
   ORDER BY h;
END
$$;
COMMENT ON FUNCTION dialer.campaign_local_hours(uuid) IS
  'A campaign''s finished attempts by the hour of day (0-23) in the called person''s time zone '
  '(calls.recipient_time_zone) when the attempt was made, with answers, contacts, conversions and '
  'their rates: when are people reachable. Reads kept counters. PT404 unless the caller is a '
  'member of the campaign''s tenant.';
REVOKE EXECUTE ON FUNCTION dialer.campaign_local_hours(uuid) FROM PUBLIC;

-- The scheduler's reasons grouped into the categories a dashboard shows.
CREATE FUNCTION dialer._stats_block_category(p_reason text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN p_reason IN ('window', 'no_open_window', 'no_time_zone') THEN 'window'
    WHEN p_reason IN ('cap', 'max_attempts', 'class_max_attempts') THEN 'cap'
    WHEN p_reason IN ('retry_delay', 'min_gap', 'after_abandoned', 'after_refusal') THEN 'cool_down'
    WHEN p_reason = 'suppressed' THEN 'suppression'
    WHEN p_reason = 'no_consent' THEN 'consent'
    WHEN p_reason IN ('campaign_start', 'campaign_ended') THEN 'schedule'
    ELSE 'other' END
$$;
COMMENT ON FUNCTION dialer._stats_block_category(text) IS
  'The category of a scheduler reason: window, cap, cool_down, suppression, consent, schedule '
  '(campaign start/end) or other (terminal outcome, unknown result, no retry rule, a lead in a '
  'state the scheduler refuses).';
REVOKE EXECUTE ON FUNCTION dialer._stats_block_category(text) FROM PUBLIC;

CREATE FUNCTION dialer.campaign_dialability(
  p_campaign_id uuid,
  p_now timestamptz DEFAULT now(),
  p_limit integer DEFAULT 10000)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_tenant uuid := dialer._stats_visible_campaign(p_campaign_id);
  v_status dialer.campaign_status;
  v_waiting bigint;
  v_lead uuid;
  v_explain jsonb;
  v_reason text;
  v_scanned bigint := 0;
  v_dialable bigint := 0;
  v_by_rule jsonb := '{}';
BEGIN
  IF p_now IS DISTINCT FROM now() THEN
    PERFORM dialer._check_caller_instant('p_now', p_now);
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 1000000 THEN
    RAISE EXCEPTION 'invalid p_limit: %', coalesce(p_limit::text, 'NULL')
      USING ERRCODE = '22023', DETAIL = 'p_limit must be between 1 and 1000000.',
            HINT = 'Pass p_limit between 1 and 1000000 (the most waiting leads to decide on).';
  END IF;
  SELECT c.status INTO v_status FROM dialer.campaigns c WHERE c.tenant_id = v_tenant AND c.id = p_campaign_id;
  SELECT count(*) INTO v_waiting FROM dialer.leads l
   WHERE l.tenant_id = v_tenant AND l.campaign_id = p_campaign_id AND l.status IN ('pending', 'scheduled');
  -- One scheduler decision per waiting lead, the ones due soonest first: this is the
  -- report that costs O(leads), bounded by p_limit.
  FOR v_lead IN
    SELECT l.id FROM dialer.leads l
     WHERE l.tenant_id = v_tenant AND l.campaign_id = p_campaign_id AND l.status IN ('pending', 'scheduled')
     ORDER BY l.next_attempt_at NULLS FIRST, l.id
     LIMIT p_limit
  LOOP
    v_scanned := v_scanned + 1;
    BEGIN
      v_explain := dialer._explain_lead(v_tenant, v_lead, p_now);
      v_reason := CASE WHEN v_explain ->> 'status' <> 'never'
                        AND (v_explain ->> 'next_attempt_at')::timestamptz <= p_now THEN NULL
                       ELSE coalesce(v_explain ->> 'reason', 'other') END;
    EXCEPTION WHEN data_exception THEN
      -- Why caught: one lead edited into a state the scheduler refuses (an attempt
      -- count without its outcome, say) must not hide the rest of the report.
      v_reason := 'invalid_lead_state';
    END;
    IF v_reason IS NULL THEN
      v_dialable := v_dialable + 1;
    ELSE
      v_by_rule := v_by_rule || jsonb_build_object(v_reason, coalesce((v_by_rule ->> v_reason)::bigint, 0) + 1);
    END IF;
  END LOOP;
  RETURN jsonb_build_object(
    'campaign_id', p_campaign_id, 'as_of', p_now, 'campaign_status', v_status,
    'campaign_blocks_all', v_status <> 'running', 'waiting', v_waiting,
    'scanned', v_scanned, 'complete', v_scanned = v_waiting, 'dialable_now', v_dialable,
    'blocked', (SELECT coalesce(jsonb_object_agg(k.category, k.n), '{}')
                  FROM (SELECT dialer._stats_block_category(r.key) AS category, sum(r.value::bigint) AS n
                          FROM jsonb_each_text(v_by_rule) AS r GROUP BY 1) AS k),
    'blocked_by_rule', v_by_rule);
END
$$;
COMMENT ON FUNCTION dialer.campaign_dialability(uuid, timestamptz, integer) IS
  'Which waiting leads (pending or scheduled) of a campaign the scheduler would let be called at '
  'p_now, and why the others may not: counts by category (window, cap, cool_down, suppression, '
  'consent, schedule, other) and by scheduler rule. Not constant time: one scheduler decision '
  'per waiting lead, due soonest first, at most p_limit (complete says whether all were seen). '
  'campaign_blocks_all is true when the campaign itself is not running. PT404 unless the caller '
  'is a member of the campaign''s tenant.';
REVOKE EXECUTE ON FUNCTION dialer.campaign_dialability(uuid, timestamptz, integer) FROM PUBLIC;

INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.campaign_stats(uuid, timestamptz)',
                    'dialer.campaign_timeseries(uuid, interval, timestamptz, timestamptz)',
                    'dialer.campaign_local_hours(uuid)',
                    'dialer.campaign_dialability(uuid, timestamptz, integer)',
                    'dialer.talk_time_buckets()',
                    -- what talk_time_buckets() is made of, and how clients read a histogram
                    'dialer.talk_time_bucket(bigint)',
                    'dialer.talk_time_bucket_lower(integer)',
                    'dialer.talk_time_quantile(bigint[], double precision)']) AS f,
       unnest(ARRAY['authenticated', 'service_role']) AS g
UNION ALL
SELECT f::regprocedure, 'service_role'
  FROM unnest(ARRAY['dialer.verify_campaign_stats(uuid)',
                    'dialer.rebuild_campaign_stats(uuid)',
                    'dialer.campaign_stats_enabled()']) AS f;

-- ---- sql_src/55_call_slot.sql ----
-- The slot a call holds, recorded when it is claimed (NULL for calls the queue did not
-- create); see dialer.campaign_slots in 41_queue_state.sql. Added in 0.2.0. Why a file
-- of its own after the statistics: the column comes after calls.recipient_time_zone,
-- so a fresh install and one upgraded from 0.1.0 have the same column order.
ALTER TABLE dialer.calls ADD COLUMN slot integer;
COMMENT ON COLUMN dialer.calls.slot IS
  'The dialer.campaign_slots slot the call occupies while in flight (set by dialer.claim_calls).';

-- ---- sql_src/99_finish.sql ----
-- Last step of the install script: apply the API grants registered by every feature
-- file in dialer.api_grants (where Supabase's roles exist).
SELECT dialer.grant_api_access();
