// The dialer.* configuration parameters (GUCs), defined once at library load.
#include "pg/guard.hpp"
#include "pg/module.hpp"
#include "pg/phone_settings.hpp"
#include "phone/phone.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace dialer::pg {
namespace {

char* g_default_region = nullptr;

// Check hook of dialer.default_region: empty, or a region libphonenumber knows.
// Why the try block: the lookup is C++ (it may throw bad_alloc) and a GUC hook
// must report failure by returning false, never by unwinding into Postgres.
bool CheckDefaultRegion(char** newval, void** extra, GucSource source) {
  const char* value = *newval != nullptr ? *newval : "";
  bool ok = false;
  try {
    ok = value[0] == '\0' || dialer::phone::IsSupportedRegion(value);
  } catch (...) {
    ok = false;
  }
  if (ok) return true;
  GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
  GUC_check_errmsg("unknown region code \"%s\" for dialer.default_region", value);
  GUC_check_errdetail(
      "Regions are ISO 3166-1 alpha-2 codes known to libphonenumber, such as US, GB or DE.");
  GUC_check_errhint(
      "Use an empty string to require international numbers (the United Kingdom is 'GB').");
  return false;
}

}  // namespace

const char* DefaultRegion() { return g_default_region != nullptr ? g_default_region : ""; }

void DefineGucs() {
  DefineCustomStringVariable(
      "dialer.default_region",
      "Region (ISO 3166-1 alpha-2) for national phone numbers in dialer.e164_default() and "
      "dialer.try_e164_default().",
      "Empty means numbers must be written internationally with a leading +.", &g_default_region,
      "", PGC_USERSET, 0, CheckDefaultRegion, nullptr, nullptr);
  // Reserve the prefix so a typo such as dialer.defualt_region is reported.
  MarkGUCPrefixReserved("dialer");
}

}  // namespace dialer::pg
