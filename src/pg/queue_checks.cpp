// The queue's argument checks in SQL, called from C: see queue_checks.hpp.
#include "pg/queue_checks.hpp"

#include "pg/limits.hpp"
#include "pg/spi_plans.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/pg_type_d.h"
#include "common/int.h"
#include "utils/timestamp.h"
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

namespace {

// Whether value is finite and within dialer.max_clock_skew of now(): the test the SQL check
// makes as abs(extract(epoch FROM value) - extract(epoch FROM now())) > skew, in exact
// microseconds here.
bool WithinSkew(TimestampTz value) {
  if (TIMESTAMP_NOT_FINITE(value)) return false;
  int64 diff;
  if (pg_sub_s64_overflow(value, GetCurrentTransactionStartTimestamp(), &diff)) return false;
  const int64 skew = static_cast<int64>(MaxClockSkewSeconds()) * USECS_PER_SEC;
  return diff <= skew && diff >= -skew;
}

}  // namespace

void CheckCallerInstant(const char* name, Datum value, bool null) {
  // Why first: an instant within the skew passes whoever calls, and the benchmark's workers
  // (like any worker passing its own clock) make this check twice per cycle; only the rest
  // asks the SQL function, which raises or lets a caller that bypasses RLS through.
  if (!null && WithinSkew(DatumGetTimestampTz(value))) return;
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
