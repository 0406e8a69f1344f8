// Re-planning a number's other waiting leads: see replan_number.hpp.
#include "pg/replan_number.hpp"

#include "pg/spi_plans.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
#include "utils/timestamp.h"
}

namespace dialer::pg {
namespace {

// _replan_number's own first test, repeated here. Why not one SQL function both call: a
// scalar SQL function whose body has a sub-select is never inlined, and run on its own it was
// parsed and planned again on every call (measured: 735 us per call under 16 workers,
// scripts/statements-cycle.sh). test/pgtap/queue_replan_probe.sql holds the two together.
// Why the status is tested in the aggregate and not in WHERE: with "status IN ('pending',
// 'scheduled')" in WHERE, the waiting leads' partial indexes qualify, and planned while
// dialer.leads was empty and analysed (a connection whose first completion is of a call
// without a lead, in a new project) the kept plan scanned leads_waiting_idx on tenant_id
// alone: every waiting lead of the tenant, on every claim and completion, until an ANALYZE.
// Without it, leads_contact_idx (tenant_id, phone) is the index that matches both conditions
// (test/scripts/replan_probe_plans.sh). A number has a few leads, so reading them all is cheap.
constexpr const char* kProbe =
    "SELECT coalesce(bool_or(s.status IN ('pending', 'scheduled') AND s.id IS DISTINCT FROM $3),"
    " false) FROM dialer.leads s WHERE s.tenant_id = $1 AND s.phone = $2";
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
  const Datum has = ResultColumn(1, &null);
  if (null || !DatumGetBool(has)) return;
  RunKept(&replan_plan, kReplan, 4, types, values, nulls);
}

}  // namespace dialer::pg
