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
