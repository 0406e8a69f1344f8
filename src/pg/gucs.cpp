// The dialer.* configuration parameters (GUCs), defined once at library load.
#include "pg/guard.hpp"
#include "pg/limits.hpp"
#include "pg/module.hpp"
#include "pg/phone_settings.hpp"
#include "pg/updated_at.hpp"
#include "phone/phone.hpp"

extern "C" {
#include "utils/guc.h"
#include "utils/plancache.h"
}

namespace dialer::pg {
namespace {

char* g_default_region = nullptr;
bool g_updated_at_fast_path = true;

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

// Assign hook of dialer.updated_at_fast_path: a change replans cached statements.
// Why: whether an UPDATE stamps in its plan is decided at planning time; without the
// reset, plans made before the change would keep (or keep lacking) the rewrite.
void AssignUpdatedAtFastPath(bool newval, void* extra) {
  if (newval != g_updated_at_fast_path) ResetPlanCache();
}

}  // namespace

const char* DefaultRegion() { return g_default_region != nullptr ? g_default_region : ""; }

bool UpdatedAtFastPathEnabled() { return g_updated_at_fast_path; }

void DefineGucs() {
  DefineCustomStringVariable(
      "dialer.default_region",
      "Region (ISO 3166-1 alpha-2) for national phone numbers in dialer.e164_default() and "
      "dialer.try_e164_default().",
      "Empty means numbers must be written internationally with a leading +.", &g_default_region,
      "", PGC_USERSET, 0, CheckDefaultRegion, nullptr, nullptr);
  DefineCustomBoolVariable(
      "dialer.updated_at_fast_path",
      "Stamps columns kept by dialer.set_updated_at() in the UPDATE plan instead of firing the "
      "row trigger, where the result is the same.",
      "Applies to plain tables whose only BEFORE UPDATE row trigger is dialer.set_updated_at() "
      "without skip_noop; active once the library is loaded (session_preload_libraries).",
      &g_updated_at_fast_path, true, PGC_USERSET, 0, nullptr, AssignUpdatedAtFastPath, nullptr);
  DefineLimitGucs();
  // Reserve the prefix so a typo such as dialer.defualt_region is reported.
  MarkGUCPrefixReserved("dialer");
}

}  // namespace dialer::pg
