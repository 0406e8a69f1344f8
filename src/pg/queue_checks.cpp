// The queue's argument checks in SQL, called from C: see queue_checks.hpp.
#include "pg/queue_checks.hpp"

#include "pg/spi_plans.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
}

namespace dialer::pg {
namespace {

// The kept plan of the instant check (prepared on first use in the backend).
SPIPlanPtr instant_plan;

}  // namespace

void InvalidArg(const char* name, const char* value, const char* rule) {
  static const Oid types[] = {TEXTOID, TEXTOID, TEXTOID};
  Datum values[] = {CStringGetTextDatum(name), value ? CStringGetTextDatum(value) : Datum(0),
                    CStringGetTextDatum(rule)};
  const char nulls[] = {' ', value ? ' ' : 'n', ' '};
  // Why not kept: the error path only, once per failing call.
  SPI_execute_with_args("SELECT dialer._invalid_arg($1, $2, $3)", 3, const_cast<Oid*>(types),
                        values, nulls, false, 0);
  elog(ERROR, "pg_dialer: dialer._invalid_arg returned for %s", name);
}

void CheckCallerInstant(const char* name, Datum value, bool null) {
  static const Oid types[] = {TEXTOID, TIMESTAMPTZOID};
  Datum values[] = {CStringGetTextDatum(name), value};
  const char nulls[] = {' ', null ? 'n' : ' '};
  RunKept(&instant_plan, "SELECT dialer._check_caller_instant($1, $2)", 2, types, values, nulls);
}

}  // namespace dialer::pg
