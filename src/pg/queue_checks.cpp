// The queue's argument checks in SQL, called from C: see queue_checks.hpp.
#include "pg/queue_checks.hpp"

#include "pg/spi_plans.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
#include "utils/uuid.h"
}

namespace dialer::pg {
namespace {

// The kept plans of the instant check and the gate (prepared on first use in the backend).
SPIPlanPtr instant_plan, gate_plan;

}  // namespace

void InvalidArg(const char* name, const char* value, const char* rule) {
  static const Oid types[] = {TEXTOID, TEXTOID, TEXTOID};
  const Datum values[] = {CStringGetTextDatum(name), value ? CStringGetTextDatum(value) : Datum(0),
                          CStringGetTextDatum(rule)};
  const char nulls[] = {' ', value ? ' ' : 'n', ' '};
  // Why not kept: the error path only, once per failing call.
  RunOnce("SELECT dialer._invalid_arg($1, $2, $3)", 3, types, values, nulls);
  elog(ERROR, "pg_dialer: dialer._invalid_arg returned for %s", name);
}

void CheckCallerInstant(const char* name, Datum value, bool null) {
  static const Oid types[] = {TEXTOID, TIMESTAMPTZOID};
  Datum values[] = {CStringGetTextDatum(name), value};
  const char nulls[] = {' ', null ? 'n' : ' '};
  RunKept(&instant_plan, "SELECT dialer._check_caller_instant($1, $2)", 2, types, values, nulls);
}

void TakeCampaignGateShared(Datum campaign_id, bool null) {
  static const Oid types[] = {UUIDOID};
  Datum values[] = {campaign_id};
  const char nulls[] = {null ? 'n' : ' '};
  RunKept(&gate_plan, "SELECT pg_advisory_xact_lock_shared(dialer._campaign_gate_key($1))", 1,
          types, values, nulls);
}

const char* UuidArgText(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) return "<NULL>";
  return DatumGetCString(DirectFunctionCall1(uuid_out, PG_GETARG_DATUM(arg)));
}

}  // namespace dialer::pg
