// libphonenumber's own straightforward path as a SQL-callable function, for the
// SQL differential test and the benchmark baseline. Not declared by the install
// script: those create it (as a pg_temp function or a bench-only function) so it
// exists only where it is compared against.
#include "pg/convert.hpp"
#include "phone/phone.hpp"
#include "phone/reference.hpp"

DIALER_FUNCTION(pg_dialer_phone_reference_e164)

// pg_dialer_phone_reference_e164(phone text, region text) returns text:
// Parse + IsValidNumber + Format(E164) through libphonenumber, NULL if invalid.
// Uncapped like libphonenumber itself (quadratic on long input): test use only.
Datum pg_dialer_phone_reference_e164(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  std::string_view phone = dialer::pg::TextView(PG_GETARG_TEXT_PP(0));
  std::string_view region =
      PG_ARGISNULL(1) ? std::string_view() : dialer::pg::TextView(PG_GETARG_TEXT_PP(1));
  text* out = dialer::pg::Guard([&]() -> text* {
    std::string canonical = dialer::phone::CanonicalRegion(region);
    dialer::phone::E164Text e164;
    if (!dialer::phone::ReferenceE164(phone, canonical, &e164)) return nullptr;
    return dialer::pg::ToText(e164.view());
  });
  if (out == nullptr) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(out);
}
