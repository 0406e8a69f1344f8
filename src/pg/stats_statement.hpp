// What one firing of a statistics trigger works with: its memory context and lazy SPI
// connection, the trigger-protocol check, reading transition tables, per-statement hash
// tables, kept SPI plans and the small value helpers (vectors, numeric zero) the writers
// share. Implemented in stats_statement.cpp.
//
// Why C-style (no C++ objects, no Guard except around pure cores): the triggers run on
// every write of the two busiest tables; nothing here owns a destructor, so an ereport
// cannot skip one. Per-statement memory lives in one context deleted at the end.
#pragma once

#include "pg/stats_counters.hpp"

extern "C" {
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "utils/hsearch.h"
#include "utils/tuplestore.h"
}

namespace dialer::stats {

// The statement-lived state StartStatement sets up and FinishStatement tears down.
struct Statement {
  MemoryContext context;
  MemoryContext caller;
  bool spi_connected;
};

// Switches into a new statement-lived memory context; SPI is connected on first use.
void StartStatement(Statement* statement);

// Finishes SPI if it was connected, and deletes the statement's memory.
void FinishStatement(Statement* statement);

// Runs body between StartStatement and FinishStatement. After an error the abort cleans
// up SPI and the memory, and the next firing starts afresh.
template <typename Body>
void WithStatementMemory(Body body) {
  Statement statement;
  StartStatement(&statement);
  body();
  FinishStatement(&statement);
}

// Connects the running firing to SPI on first use.
void NeedSpi();

// Checks that the function is fired as the statistics triggers are declared.
TriggerData* CheckTrigger(FunctionCallInfo fcinfo, const char* name);

// A dynahash table of fixed-size binary keys in the current memory context, sized for the
// common statement (one campaign, two buckets).
HTAB* NewTable(const char* name, Size keysize, Size entrysize);

// The entries of table in compare's order (count into *count).
template <typename Entry>
Entry** Sorted(HTAB* table, long* count, int (*compare)(const void*, const void*)) {
  *count = hash_get_num_entries(table);
  Entry** entries = static_cast<Entry**>(palloc(sizeof(Entry*) * (*count + 1)));
  HASH_SEQ_STATUS status;
  hash_seq_init(&status, table);
  long i = 0;
  for (Entry* e; (e = static_cast<Entry*>(hash_seq_search(&status))) != nullptr;) entries[i++] = e;
  qsort(entries, *count, sizeof(Entry*), compare);
  return entries;
}

// Calls add(acc, slot, weight) for every row of a transition table (none when store is null).
template <typename Add, typename Acc>
void ReadTransitionTable(Tuplestorestate* store, TupleDesc desc, Acc* acc, int weight, Add add) {
  if (store == nullptr) return;
  // Why a read pointer of our own: other triggers of the statement read the same store.
  int pointer = tuplestore_alloc_read_pointer(store, EXEC_FLAG_REWIND);
  tuplestore_select_read_pointer(store, pointer);
  tuplestore_rescan(store);
  TupleTableSlot* slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
  while (tuplestore_gettupleslot(store, true, false, slot)) {
    CHECK_FOR_INTERRUPTS();
    add(acc, slot, weight);
  }
  ExecDropSingleTupleTableSlot(slot);
}

// Runs one firing of the statistics trigger name: checks how it is fired, then in statement
// memory sets an accumulator up with start(&acc, desc), adds the transition tables' old
// rows (weight -1) and new rows (+1) to it with add, and writes the net change with apply.
template <typename Acc, typename Start, typename Add, typename Apply>
Datum FireStatementTrigger(FunctionCallInfo fcinfo, const char* name, Start start, Add add,
                           Apply apply) {
  TriggerData* trigdata = CheckTrigger(fcinfo, name);
  TupleDesc desc = RelationGetDescr(trigdata->tg_relation);
  WithStatementMemory([&] {
    Acc acc;
    start(&acc, desc);
    ReadTransitionTable(trigdata->tg_oldtable, desc, &acc, -1, add);
    ReadTransitionTable(trigdata->tg_newtable, desc, &acc, 1, add);
    apply(&acc);
  });
  return PointerGetDatum(nullptr);
}

// The 1-based number of column name of desc, raising when it is missing.
int ColumnNumber(TupleDesc desc, const char* name);

// Prepares (once per connection, into *cache) and returns a kept plan.
SPIPlanPtr Prepare(SPIPlanPtr* cache, const char* query, int nargs, const Oid* types);

// Runs a kept plan with all parameters non-null.
void Run(SPIPlanPtr plan, Datum* values);

// A bigint[] of the first n elements of v without its trailing zeros.
Datum Vector(const int64* v, int n);

// Whether the first n elements of v are all zero.
bool AllZero(const int64* v, int n);

// The numeric 0 (kept for the connection).
Datum ZeroNumeric();

// Whether a numeric is zero.
bool IsZero(Datum numeric);

// cost + weight * value (numeric; weight is +1 or -1).
Datum AddCost(Datum cost, Datum value, int weight);

// Raises unless every numeric and vector value of a writer's row is set: a counter the
// declaration (stats_counters.tab) gives a writer that the writer does not fill.
void RequireAllValues(const CounterTable& table, const Datum* values);

}  // namespace dialer::stats
