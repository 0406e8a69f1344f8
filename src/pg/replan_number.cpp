// Re-planning a number's other waiting leads: see replan_number.hpp.
#include "pg/replan_number.hpp"

#include "pg/spi_plans.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
#include "utils/timestamp.h"
}

namespace dialer::pg {
namespace {

constexpr const char* kProbe = "SELECT dialer._number_has_waiting_leads($1, $2, $3)";
constexpr const char* kReplan = "SELECT dialer._replan_number($1, $2, $3, $4)";

// The kept plans (prepared on first use in the backend).
SPIPlanPtr probe_plan, replan_plan;

}  // namespace

void ReplanNumber(Datum tenant_id, Datum phone, Datum except_lead, bool except_null,
                  TimestampTz now) {
  static const Oid types[] = {UUIDOID, TEXTOID, UUIDOID, TIMESTAMPTZOID};
  Datum values[] = {tenant_id, phone, except_lead, TimestampTzGetDatum(now)};
  const char nulls[] = {' ', ' ', except_null ? 'n' : ' ', ' '};
  RunKept(&probe_plan, kProbe, 3, types, values, nulls);
  bool null;
  const Datum has = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &null);
  if (null || !DatumGetBool(has)) return;
  RunKept(&replan_plan, kReplan, 4, types, values, nulls);
}

}  // namespace dialer::pg
