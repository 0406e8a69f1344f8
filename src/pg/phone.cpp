// SQL entry points of the phone core: dialer.e164, try_e164, their *_default
// forms, phone_info, phone_timezones, phone_area_timezones,
// phone_library_version and the check function behind the dialer.phone_e164
// domain.
//
// e164/try_e164/phone_info/phone_timezones/phone_area_timezones are not STRICT
// on purpose: a NULL region means "international input only", while a NULL
// phone gives NULL.
#include <string>
#include <vector>

#include "pg/convert.hpp"
#include "pg/jsonb.hpp"
#include "pg/phone_settings.hpp"
#include "phone/phone.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
#include "utils/array.h"
}

DIALER_FUNCTION(dialer_e164)
DIALER_FUNCTION(dialer_try_e164)
DIALER_FUNCTION(dialer_e164_default)
DIALER_FUNCTION(dialer_try_e164_default)
DIALER_FUNCTION(dialer_phone_info)
DIALER_FUNCTION(dialer_phone_timezones)
DIALER_FUNCTION(dialer_phone_area_timezones)
DIALER_FUNCTION(dialer_phone_library_version)
DIALER_FUNCTION(dialer_phone_e164_check)
DIALER_FUNCTION(dialer_number_region)

namespace {

// The region argument n as a view ("" for NULL); detoasts, so call it before
// any C++ object exists.
std::string_view RegionArg(FunctionCallInfo fcinfo, int n) {
  return PG_ARGISNULL(n) ? std::string_view() : dialer::pg::TextView(PG_GETARG_TEXT_PP(n));
}

// E.164 of phone in region: raises (or_raise) or returns nullptr when invalid.
text* NormaliseOrNull(std::string_view phone, std::string_view region, bool or_raise) {
  return dialer::pg::Guard([&]() -> text* {
    std::string canonical = dialer::phone::CanonicalRegion(region);
    dialer::phone::E164Text e164;
    if (or_raise) {
      dialer::phone::E164OrThrow(phone, canonical, &e164);
    } else if (!dialer::phone::TryE164(phone, canonical, &e164)) {
      return nullptr;
    }
    return dialer::pg::ToText(e164.view());
  });
}

// A text[] of zones (strings or views), palloc'd through PgCall.
template <typename Zones>
ArrayType* ZoneArray(const Zones& zones) {
  std::vector<Datum> items;
  items.reserve(zones.size());
  for (const auto& z : zones) items.push_back(PointerGetDatum(dialer::pg::ToText(z)));
  return dialer::pg::PgCall([&] {
    return construct_array(items.data(), static_cast<int>(items.size()), TEXTOID, -1, false,
                           TYPALIGN_INT);
  });
}

// The zones zones_of(phone, canonical region) finds for a call's (phone text, region text)
// arguments, as text[] (null for a null phone; raises 22023 when the number is not valid).
template <typename ZonesOf>
Datum PhoneZones(FunctionCallInfo fcinfo, ZonesOf zones_of) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  std::string_view phone = dialer::pg::TextView(PG_GETARG_TEXT_PP(0));
  std::string_view region = RegionArg(fcinfo, 1);
  ArrayType* out = dialer::pg::Guard([&] {
    std::string canonical = dialer::phone::CanonicalRegion(region);
    return ZoneArray(zones_of(phone, canonical));
  });
  PG_RETURN_ARRAYTYPE_P(out);
}

}  // namespace

// dialer.e164(phone text, region text) returns text: the E.164 form of a valid
// number; raises 22023 naming input, region and reason otherwise.
Datum dialer_e164(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  std::string_view phone = dialer::pg::TextView(PG_GETARG_TEXT_PP(0));
  std::string_view region = RegionArg(fcinfo, 1);
  PG_RETURN_TEXT_P(NormaliseOrNull(phone, region, true));
}

// dialer.try_e164(phone text, region text) returns text: as e164, NULL when invalid.
Datum dialer_try_e164(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  std::string_view phone = dialer::pg::TextView(PG_GETARG_TEXT_PP(0));
  std::string_view region = RegionArg(fcinfo, 1);
  text* out = NormaliseOrNull(phone, region, false);
  if (out == nullptr) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(out);
}

// dialer.e164_default(phone text) returns text: e164 in dialer.default_region.
Datum dialer_e164_default(PG_FUNCTION_ARGS) {
  std::string_view phone = dialer::pg::TextView(PG_GETARG_TEXT_PP(0));
  PG_RETURN_TEXT_P(NormaliseOrNull(phone, dialer::pg::DefaultRegion(), true));
}

// dialer.try_e164_default(phone text) returns text: try_e164 in dialer.default_region.
Datum dialer_try_e164_default(PG_FUNCTION_ARGS) {
  std::string_view phone = dialer::pg::TextView(PG_GETARG_TEXT_PP(0));
  text* out = NormaliseOrNull(phone, dialer::pg::DefaultRegion(), false);
  if (out == nullptr) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(out);
}

// dialer.phone_info(phone text, region text) returns jsonb: every fact about
// the input (validity, reason, parts, type, formats, dialling-safety flags).
Datum dialer_phone_info(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  std::string_view phone = dialer::pg::TextView(PG_GETARG_TEXT_PP(0));
  std::string_view region = RegionArg(fcinfo, 1);
  Datum out = dialer::pg::Guard([&] {
    std::string canonical = dialer::phone::CanonicalRegion(region);
    return dialer::pg::ToJsonb(dialer::phone::FactsJson(dialer::phone::Describe(phone, canonical)));
  });
  PG_RETURN_DATUM(out);
}

// dialer.phone_timezones(phone text, region text) returns text[]: candidate
// IANA zones of a valid number; raises 22023 like e164 when it is not valid.
Datum dialer_phone_timezones(PG_FUNCTION_ARGS) {
  return PhoneZones(fcinfo, dialer::phone::TimeZones);
}

// dialer.phone_area_timezones(phone text, region text) returns text[]: candidate
// IANA zones at area-code precision (every zone under a NANP number's area code);
// raises 22023 like phone_timezones when the number is not valid.
Datum dialer_phone_area_timezones(PG_FUNCTION_ARGS) {
  return PhoneZones(fcinfo, dialer::phone::AreaTimeZones);
}

// dialer.phone_library_version() returns text: libphonenumber's version and
// metadata fingerprint.
Datum dialer_phone_library_version(PG_FUNCTION_ARGS) {
  text* out =
      dialer::pg::Guard([&] { return dialer::pg::ToText(dialer::phone::LibraryVersion()); });
  PG_RETURN_TEXT_P(out);
}

// dialer.phone_e164_check(value text) returns boolean: is value canonical E.164
// of a valid number? (the CHECK of the dialer.phone_e164 domain)
Datum dialer_phone_e164_check(PG_FUNCTION_ARGS) {
  std::string_view value = dialer::pg::TextView(PG_GETARG_TEXT_PP(0));
  bool ok = dialer::pg::Guard([&] { return dialer::phone::IsCanonicalE164(value); });
  PG_RETURN_BOOL(ok);
}

// dialer._number_region(phone text) returns text: the region a valid international
// number belongs to (NULL when invalid). For default rule packs, per scheduling decision.
Datum dialer_number_region(PG_FUNCTION_ARGS) {
  std::string_view phone = dialer::pg::TextView(PG_GETARG_TEXT_PP(0));  // detoast first
  text* out = dialer::pg::Guard([&]() -> text* {
    const std::string region = dialer::phone::NumberRegion(phone);
    if (region.empty()) return nullptr;
    return dialer::pg::PgCall(
        [&] { return cstring_to_text_with_len(region.data(), region.size()); });
  });
  if (out == nullptr) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(out);
}
