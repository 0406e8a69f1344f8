// Resource bounds on what a signed-in caller may ask for (docs/security.md): the
// dialer.max_* GUCs and dialer._limit(), the one way SQL reads them.
//
// Why GUCs defined here and read through a C function, not current_setting(): the
// GUCs are PGC_SUSET, so only a superuser (or a role granted SET ON PARAMETER) can
// raise them. Before this library is loaded, any role could SET a placeholder of the
// same name and current_setting() would return it; calling a C function loads the
// library first, and PostgreSQL then discards a placeholder value that the role
// which set it had no right to set.
#include <cstring>

#include "pg/guard.hpp"
#include "pg/limits.hpp"

extern "C" {
#include "lib/stringinfo.h"
#include "utils/guc.h"
}

DIALER_FUNCTION(dialer_limit)

namespace dialer::pg {
namespace {

int g_max_clock_skew = 300;            // seconds
int g_max_import_rows = 100000;        // rows per import call
int g_max_timeseries_buckets = 10000;  // rows of one campaign_timeseries answer
int g_max_concurrent_calls = 1000;     // campaigns.max_concurrent_calls

// One bound: its GUC name (after "dialer."), its variable, range and description.
struct Limit {
  const char* name;
  int* value;
  int min;
  int max;
  int flags;
  const char* description;
};

const Limit kLimits[] = {
    {"max_clock_skew", &g_max_clock_skew, 0, 86400 * 366, GUC_UNIT_S,
     "How far an instant a signed-in caller passes (p_now, p_ended_at, ...) to a function that "
     "writes may be from the server clock."},
    {"max_import_rows", &g_max_import_rows, 1, 100000000, 0,
     "The most rows one dialer.import_leads or dialer.import_leads_from call takes."},
    {"max_timeseries_buckets", &g_max_timeseries_buckets, 1, 10000000, 0,
     "The most buckets one dialer.campaign_timeseries call returns."},
    {"max_concurrent_calls", &g_max_concurrent_calls, 1, 1000000, 0,
     "The highest campaigns.max_concurrent_calls (one slot row per concurrent call)."},
};

}  // namespace

void DefineLimitGucs() {
  for (const Limit& limit : kLimits) {
    char* name = psprintf("dialer.%s", limit.name);
    DefineCustomIntVariable(
        name, limit.description,
        "Only a superuser, or a role granted SET on this parameter, may change it.", limit.value,
        *limit.value, limit.min, limit.max, PGC_SUSET, limit.flags, nullptr, nullptr, nullptr);
  }
}

int MaxClockSkewSeconds() { return g_max_clock_skew; }

}  // namespace dialer::pg

// dialer._limit(name): the value of GUC dialer.<name> (seconds for max_clock_skew).
// Plain C (no C++ object is ever alive here), so ereport needs no guard.
Datum dialer_limit(PG_FUNCTION_ARGS) {
  const char* wanted = text_to_cstring(PG_GETARG_TEXT_PP(0));
  for (const dialer::pg::Limit& limit : dialer::pg::kLimits) {
    if (std::strcmp(wanted, limit.name) == 0) PG_RETURN_INT64(*limit.value);
  }
  StringInfoData names;
  initStringInfo(&names);
  for (const dialer::pg::Limit& limit : dialer::pg::kLimits) {
    appendStringInfo(&names, "%s%s", names.len > 0 ? ", " : "", limit.name);
  }
  ereport(ERROR,
          (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("unknown pg_dialer limit \"%s\"", wanted),
           errhint("The limits are %s.", names.data)));
}
