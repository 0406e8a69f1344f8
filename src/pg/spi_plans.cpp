// Kept SPI plans: see spi_plans.hpp.
#include "pg/spi_plans.hpp"

namespace dialer::pg {

// Prepares on first use, then returns the kept plan.
SPIPlanPtr KeptPlan(SPIPlanPtr* cache, const char* query, int nargs, const Oid* types) {
  if (*cache != nullptr) return *cache;
  SPIPlanPtr plan = SPI_prepare(query, nargs, const_cast<Oid*>(types));
  if (plan == nullptr)
    elog(ERROR, "pg_dialer: could not prepare \"%s\": %s", query,
         SPI_result_code_string(SPI_result));
  if (SPI_keepplan(plan) != 0) elog(ERROR, "pg_dialer: could not keep the plan of \"%s\"", query);
  *cache = plan;
  return plan;
}

// Executes read-write with the given parameters.
uint64 RunKept(SPIPlanPtr* cache, const char* query, int nargs, const Oid* types, Datum* values,
               const char* nulls) {
  const int rc = SPI_execute_plan(KeptPlan(cache, query, nargs, types), values, nulls, false, 0);
  if (rc < 0)
    elog(ERROR, "pg_dialer: statement failed (%s): %s", SPI_result_code_string(rc), query);
  return SPI_processed;
}

// Reads the last result's tuple table.
Datum ResultColumn(int col, bool* null, uint64 row) {
  return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, null);
}

// Reads the last result's first row through the column type's output function.
char* ResultText(int col) {
  return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col);
}

// Parses, plans and executes once.
void RunOnce(const char* query, int nargs, const Oid* types, const Datum* values,
             const char* nulls) {
  const int rc = SPI_execute_with_args(query, nargs, const_cast<Oid*>(types),
                                       const_cast<Datum*>(values), nulls, false, 0);
  if (rc < 0)
    elog(ERROR, "pg_dialer: statement failed (%s): %s", SPI_result_code_string(rc), query);
}

}  // namespace dialer::pg
