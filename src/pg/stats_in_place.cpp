// The statistics triggers' fast path: a counter row that exists gets its deltas added in
// place, through the executor's row-level primitives (the ones logical replication's
// apply worker uses), instead of an SQL upsert. Why: each upsert paid for starting and
// ending a statement (its ON CONFLICT projection of up to 30 columns, the EXISTS
// sub-plan, SPI bookkeeping); four to five of them per queue cycle were most of what the
// statistics cost (bench/stats.sh, docs/stats.md).
//
// Why it is the same as the upsert (INSERT ... ON CONFLICT DO UPDATE SET c = s.c + excluded.c):
// - the row is found through the primary key and locked exclusively; a concurrent writer
//   is waited for and the row read again (RelationFindReplTupleByIndex), as ON CONFLICT
//   does, so the latest version gets the sum;
// - only counter columns change, by the same arithmetic (bigint overflow is 22003 as for
//   +, numeric_add, dialer._stats_vector_add), so the key, the foreign key and the
//   tables' one CHECK (campaign_call_buckets.granularity) hold as before;
// - it is an ordinary heap update (WAL, HOT when the page has room, index entries
//   otherwise) followed by CommandCounterIncrement, as SPI does after a statement;
// - the counter tables have no triggers, and the upsert ran as the SECURITY DEFINER
//   triggers' owner, to whom row security does not apply: nothing is skipped.
// A row that does not exist yet (a shard's or bucket's first write) is left to the upsert,
// which also checks that the campaign still exists.
// Under REPEATABLE READ the upsert raised a serialization failure when another
// transaction had changed the row after our snapshot; adding to the latest version is
// exact for counters, so this path does not.
#include "pg/stats_in_place.hpp"

extern "C" {
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "common/int.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"

Datum dialer_stats_vector_add(PG_FUNCTION_ARGS);  // stats_vectors.cpp
}

namespace dialer::stats {
namespace {

constexpr int kMaxColumns = 40;
constexpr int kMaxTables = 4;

// A counter table resolved in this connection: its relation, primary key and the
// column number of each of its CounterTable columns.
struct Resolved {
  const CounterTable* table;
  Oid relid;
  Oid pkey;
  AttrNumber attnums[kMaxColumns];
};

Resolved resolved[kMaxTables];
int resolved_count = 0;
bool callback_registered = false;

// Relcache callback: a changed counter table (or a reset of every entry) is resolved again.
void Forget(Datum, Oid relid) {
  for (int i = 0; i < resolved_count; i++) {
    if (relid == InvalidOid || resolved[i].relid == relid) {
      resolved_count = 0;
      return;
    }
  }
}

// The column number of name in rel, raising when it is missing.
AttrNumber ColumnOf(Relation rel, const char* name) {
  TupleDesc desc = RelationGetDescr(rel);
  for (int i = 0; i < desc->natts; i++) {
    Form_pg_attribute a = TupleDescAttr(desc, i);
    if (!a->attisdropped && strcmp(NameStr(a->attname), name) == 0) return a->attnum;
  }
  elog(ERROR, "column %s of table %s is missing", name, RelationGetRelationName(rel));
  return InvalidAttrNumber;
}

// The cached resolution of table, made on first use (table is opened and locked first).
const Resolved* Resolve(const CounterTable& table, Relation rel) {
  for (int i = 0; i < resolved_count; i++) {
    if (resolved[i].table == &table && resolved[i].relid == RelationGetRelid(rel))
      return &resolved[i];
  }
  if (table.ncolumns > kMaxColumns)
    elog(ERROR, "counter table %s has too many columns", table.name);
  if (resolved_count == kMaxTables) resolved_count = 0;
  Resolved* r = &resolved[resolved_count];
  r->table = &table;
  r->relid = RelationGetRelid(rel);
  r->pkey = RelationGetPrimaryKeyIndex(rel);
  if (!OidIsValid(r->pkey)) elog(ERROR, "counter table %s has no primary key", table.name);
  for (int i = 0; i < table.ncolumns; i++) r->attnums[i] = ColumnOf(rel, table.columns[i]);
  resolved_count++;
  return r;
}

// The table's OID, looked up by name in schema dialer.
Oid RelationIdOf(const CounterTable& table) {
  for (int i = 0; i < resolved_count; i++) {
    if (resolved[i].table == &table) return resolved[i].relid;
  }
  Oid relid = get_relname_relid(table.name, get_namespace_oid("dialer", false));
  if (!OidIsValid(relid)) elog(ERROR, "counter table dialer.%s is missing", table.name);
  return relid;
}

// old + delta for a counter of kind 'i', 'n' or 'v'.
Datum Add(char kind, Datum old, Datum delta) {
  switch (kind) {
    case 'i': {
      int64 sum;
      if (pg_add_s64_overflow(DatumGetInt64(old), DatumGetInt64(delta), &sum))
        ereport(ERROR,
                (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("bigint out of range")));
      return Int64GetDatum(sum);
    }
    case 'n':
      return DirectFunctionCall2(numeric_add, old, delta);
    case 'v':
      return DirectFunctionCall2(dialer_stats_vector_add, old, delta);
  }
  elog(ERROR, "unknown counter kind %c", kind);
  return old;
}

// Index entries for the new version of a row whose update could not be HOT (no room
// left on its page): what the executor does after a non-HOT update.
void InsertIndexEntries(Relation rel, TupleTableSlot* slot) {
  EState* estate = CreateExecutorState();
  ResultRelInfo* info = makeNode(ResultRelInfo);
  InitResultRelInfo(info, rel, 1, nullptr, 0);
  ExecOpenIndices(info, false);
  // update = false: true only adds the "key unchanged" hint for bottom-up index deletion,
  // and computing it needs a range table this bare executor state does not have.
  ExecInsertIndexTuples(info, slot, estate, false, false, nullptr, NIL);
  ExecCloseIndices(info);
  FreeExecutorState(estate);
}

// The row's next version: the old one with every counter column summed.
void Sum(const CounterTable& table, const Resolved* r, TupleTableSlot* old, const Datum* values,
         TupleTableSlot* next) {
  slot_getallattrs(old);
  int natts = old->tts_tupleDescriptor->natts;
  ExecClearTuple(next);
  memcpy(next->tts_values, old->tts_values, sizeof(Datum) * natts);
  memcpy(next->tts_isnull, old->tts_isnull, sizeof(bool) * natts);
  for (int i = table.nkeys; i < table.ncolumns; i++) {
    int a = r->attnums[i] - 1;
    if (old->tts_isnull[a]) elog(ERROR, "counter %s of %s is null", table.columns[i], table.name);
    next->tts_values[a] = Add(table.kinds[i], old->tts_values[a], values[i]);
  }
  ExecStoreVirtualTuple(next);
}

}  // namespace

bool AddToCounterRow(const CounterTable& table, const Datum* values) {
  if (!callback_registered) {
    CacheRegisterRelcacheCallback(Forget, 0);
    callback_registered = true;
  }
  Relation rel = table_open(RelationIdOf(table), RowExclusiveLock);
  const Resolved* r = Resolve(table, rel);
  TupleDesc desc = RelationGetDescr(rel);
  TupleTableSlot* key = MakeSingleTupleTableSlot(desc, &TTSOpsVirtual);
  TupleTableSlot* old = table_slot_create(rel, nullptr);
  ExecClearTuple(key);
  memset(key->tts_isnull, true, sizeof(bool) * desc->natts);
  for (int i = 0; i < table.nkeys; i++) {
    key->tts_values[r->attnums[i] - 1] = values[i];
    key->tts_isnull[r->attnums[i] - 1] = false;
  }
  ExecStoreVirtualTuple(key);
  bool found = RelationFindReplTupleByIndex(rel, r->pkey, LockTupleExclusive, key, old);
  if (found) {
    TupleTableSlot* next = MakeSingleTupleTableSlot(desc, &TTSOpsVirtual);
    Sum(table, r, old, values, next);
    bool update_indexes = false;
    simple_table_tuple_update(rel, &old->tts_tid, next,
                              ActiveSnapshotSet() ? GetActiveSnapshot() : InvalidSnapshot,
                              &update_indexes);
    if (update_indexes) InsertIndexEntries(rel, next);
    // Why: later statements of this transaction (and our next lookup of this row, which
    // locks it again) must see the new version, as after an SQL statement.
    CommandCounterIncrement();
    ExecDropSingleTupleTableSlot(next);
  }
  ExecDropSingleTupleTableSlot(old);
  ExecDropSingleTupleTableSlot(key);
  table_close(rel, NoLock);
  return found;
}

}  // namespace dialer::stats
