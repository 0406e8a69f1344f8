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
