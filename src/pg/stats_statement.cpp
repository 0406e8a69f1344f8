// One firing of a statistics trigger: statement memory, lazy SPI, the trigger-protocol
// check, hash tables, kept plans and the value helpers of stats_statement.hpp.
#include "pg/stats_statement.hpp"

extern "C" {
#include "utils/array.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
}

namespace dialer::stats {
namespace {

// The running firing's state (null between firings).
Statement* current = nullptr;

Datum zero_numeric;

}  // namespace

void StartStatement(Statement* statement) {
  statement->context =
      AllocSetContextCreate(CurrentMemoryContext, "dialer statistics", ALLOCSET_DEFAULT_SIZES);
  statement->caller = MemoryContextSwitchTo(statement->context);
  statement->spi_connected = false;
  // Why no check of a leftover current: after an error the abort freed the previous
  // firing's memory and SPI; its pointer is simply replaced.
  current = statement;
}

void FinishStatement(Statement* statement) {
  if (statement->spi_connected) SPI_finish();
  current = nullptr;
  MemoryContextSwitchTo(statement->caller);
  MemoryContextDelete(statement->context);
}

// Why lazily: most firings only add to counter rows that exist, in place, and run no SQL.
void NeedSpi() {
  if (current->spi_connected) return;
  MemoryContext context = CurrentMemoryContext;
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  // Why switch back: SPI_connect moved us into its own procedure context.
  MemoryContextSwitchTo(context);
  current->spi_connected = true;
}

TriggerData* CheckTrigger(FunctionCallInfo fcinfo, const char* name) {
  if (!CALLED_AS_TRIGGER(fcinfo)) {
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("%s() must be fired as a trigger", name)));
  }
  TriggerData* trigdata = reinterpret_cast<TriggerData*>(fcinfo->context);
  if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) ||
      !TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event) ||
      (trigdata->tg_oldtable == nullptr && trigdata->tg_newtable == nullptr)) {
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("%s() must be fired AFTER ... FOR EACH STATEMENT with transition tables",
                           name)));
  }
  return trigdata;
}

// Why so small an expected size: dynahash allocates entries in batches of at least 32
// unless the expected size is below that, when it allocates exactly that many. A
// call-totals entry is 4 kB, so an expected 64 made every firing allocate 256 kB (63
// entries) to use one.
HTAB* NewTable(const char* name, Size keysize, Size entrysize) {
  HASHCTL ctl;
  memset(&ctl, 0, sizeof ctl);
  ctl.keysize = keysize;
  ctl.entrysize = entrysize;
  ctl.hcxt = CurrentMemoryContext;
  return hash_create(name, 2, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

int ColumnNumber(TupleDesc desc, const char* name) {
  int attnum = SPI_fnumber(desc, name);
  if (attnum <= 0) elog(ERROR, "column \"%s\" is missing", name);
  return attnum;
}

SPIPlanPtr Prepare(SPIPlanPtr* cache, const char* query, int nargs, const Oid* types) {
  NeedSpi();
  if (*cache == nullptr) {
    SPIPlanPtr plan = SPI_prepare(query, nargs, const_cast<Oid*>(types));
    if (plan == nullptr)
      elog(ERROR, "could not prepare a statistics statement: %s",
           SPI_result_code_string(SPI_result));
    if (SPI_keepplan(plan) != 0) elog(ERROR, "could not keep a statistics statement");
    *cache = plan;
  }
  return *cache;
}

void Run(SPIPlanPtr plan, Datum* values) {
  NeedSpi();
  int rc = SPI_execute_plan(plan, values, nullptr, false, 0);
  if (rc < 0) elog(ERROR, "statistics statement failed: %s", SPI_result_code_string(rc));
}

Datum Vector(const int64* v, int n) {
  while (n > 0 && v[n - 1] == 0) n--;
  if (n == 0) return PointerGetDatum(construct_empty_array(INT8OID));
  Datum* items = static_cast<Datum*>(palloc(sizeof(Datum) * n));
  for (int i = 0; i < n; i++) items[i] = Int64GetDatum(v[i]);
  return PointerGetDatum(
      construct_array(items, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

bool AllZero(const int64* v, int n) {
  for (int i = 0; i < n; i++) {
    if (v[i] != 0) return false;
  }
  return true;
}

// Why in TopMemoryContext: it outlives every statement's memory.
Datum ZeroNumeric() {
  if (zero_numeric == 0) {
    MemoryContext caller = MemoryContextSwitchTo(TopMemoryContext);
    zero_numeric = DirectFunctionCall1(int4_numeric, Int32GetDatum(0));
    MemoryContextSwitchTo(caller);
  }
  return zero_numeric;
}

bool IsZero(Datum numeric) {
  return DatumGetBool(DirectFunctionCall2(numeric_eq, numeric, ZeroNumeric()));
}

Datum AddCost(Datum cost, Datum value, int weight) {
  return DirectFunctionCall2(weight > 0 ? numeric_add : numeric_sub, cost, value);
}

// Why: a numeric or vector value left unset is a null pointer the in-place addition
// would dereference; bigint and key values may legitimately be 0.
void RequireAllValues(const CounterTable& table, const Datum* values) {
  for (int i = table.nkeys; i < table.ncolumns; i++) {
    if ((table.kinds[i] == 'n' || table.kinds[i] == 'v') && values[i] == 0)
      elog(ERROR, "statistics writer of %s leaves counter %s unset", table.name, table.columns[i]);
  }
}

}  // namespace dialer::stats
