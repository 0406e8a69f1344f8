// The statistics triggers' fast path: a counter row that exists gets its deltas added in
// place, through the executor's row-level primitives, instead of an SQL upsert. Why: each
// upsert paid for starting and ending a statement (its ON CONFLICT projection of up to
// 30 columns, the EXISTS sub-plan, SPI bookkeeping, a tuple lock before the update);
// four to five of them per queue cycle were most of what the statistics cost
// (bench/stats.sh, docs/stats.md).
//
// Why it is the same as the upsert (INSERT ... ON CONFLICT DO UPDATE SET c = s.c + excluded.c):
// - the row's latest version is found through the primary key with a dirty snapshot
//   (committed, or this transaction's own), or at the tuple id where this connection last
//   wrote it when that version is still live under the same snapshot and holds the key
//   (FetchRemembered); a version another transaction is still writing is waited for and
//   the row read again, as ON CONFLICT does;
// - the update is a heap update of exactly that version: if another transaction changed
//   it in between, heap_update reports it (after waiting for that transaction) and the row
//   is read and summed again, so no delta is lost;
// - only counter columns change, by the same arithmetic (bigint overflow is 22003 as for
//   +, numeric_add, dialer._stats_vector_add), so the key, the foreign key and the
//   tables' one CHECK (campaign_call_buckets.granularity) hold as before;
// - it is an ordinary heap update (WAL, HOT when the page has room, index entries
//   otherwise) followed by CommandCounterIncrement, as SPI does after a statement;
// - the counter tables' only triggers are the checks of their foreign key to
//   dialer.campaigns, whose columns are key columns: PostgreSQL runs that check on an
//   UPDATE only when the key changes or the row was inserted by the same transaction,
//   and the insert was checked at the end of its own upsert statement (and the key never
//   changes here), so the check has nothing left to prove (OnlyKeyChecks);
// - the upsert ran as the SECURITY DEFINER triggers' owner, to whom row security does
//   not apply: nothing is skipped (a table given any other trigger, a foreign key on a
//   counter column, or FORCE ROW LEVEL SECURITY goes back to the upsert).
// A row that does not exist yet (a shard's or bucket's first write) is left to the upsert,
// which also checks that the campaign still exists.
// Under REPEATABLE READ the upsert raised a serialization failure when another
// transaction had changed the row after our snapshot; adding to the latest version is
// exact for counters, so this path does not.
//
// Why not execReplication.c's RelationFindReplTupleByIndex + ExecSimpleRelationUpdate (the
// apply worker's helpers), though this path uses the same primitives they are built on:
// they always descend the primary key (the remembered tuple ids could not be used), lock
// the tuple before updating it, and need an executor state with a range table per write.
// Tried on branch stats-helpers-experiment, 3 Dec, `scripts/ab-workers.sh --rounds 4` with
// 16 workers: 475.8 cycles/s and 3.658 CPU ms/cycle against this path's 471.5 and 3.549
// (statistics off: 539.1, 3.112), i.e. the same rate within noise and a quarter more CPU
// for the statistics (docs/stats.md, The writer's code).
#include "pg/stats_in_place.hpp"

#include "pg/stats_counter_table.hpp"
#include "pg/stats_row_cache.hpp"

extern "C" {
#include "access/genam.h"
#include "access/heapam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "storage/smgr.h"

Datum dialer_stats_vector_add(PG_FUNCTION_ARGS);  // stats_vectors.cpp
}

namespace dialer::stats {
namespace {

// Whether a vector delta is empty (the triggers trim trailing zeros, so an unchanged vector
// is '{}'). Why it matters: a claim moves a handful of the call totals' ten vectors, and
// adding an empty one copied the old array for nothing.
bool EmptyVector(Datum delta) { return ARR_NDIM(DatumGetArrayTypeP(delta)) == 0; }

// old + delta for a counter of kind 'i', 'n' or 'v' (old itself when a vector delta is empty).
Datum Add(char kind, Datum old, Datum delta) {
  if (kind == 'v' && EmptyVector(delta)) return old;
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

// A hash of the row's key (values[0..nkeys)), under which its tuple id is remembered.
uint64 KeyHash(const CounterTable& table, const Resolved* r, const Datum* values) {
  uint64 hash = 0;  // the table is part of the remembered key already
  for (int k = 0; k < table.nkeys; k++) {
    const unsigned char* bytes;
    Size length;
    if (r->key_byval[k]) {
      bytes = reinterpret_cast<const unsigned char*>(&values[k]);
      length = sizeof(Datum);
    } else if (r->key_len[k] > 0) {
      bytes = reinterpret_cast<const unsigned char*>(DatumGetPointer(values[k]));
      length = r->key_len[k];
    } else {
      // Why no detoasting: the triggers build these texts themselves ("hour", "day").
      bytes = reinterpret_cast<const unsigned char*>(VARDATA_ANY(DatumGetPointer(values[k])));
      length = VARSIZE_ANY_EXHDR(DatumGetPointer(values[k]));
    }
    hash = hash_combine64(hash, hash_bytes_extended(bytes, length, 0));
  }
  return hash;
}

// Whether the row in slot has the key in values (by the primary key's equality functions).
bool KeyMatches(const Resolved* r, const Datum* values, TupleTableSlot* slot) {
  for (int i = 0; i < r->index_keys; i++) {
    bool isnull;
    Datum stored = slot_getattr(slot, r->attnums[r->key_value[i]], &isnull);
    if (isnull) return false;
    Datum same = FunctionCall2Coll(const_cast<FmgrInfo*>(&r->equal[i]), r->collation[i],
                                   values[r->key_value[i]], stored);
    if (!DatumGetBool(same)) return false;
  }
  return true;
}

// Whether block lies within rel's main fork. Why not RelationGetNumberOfBlocks: that asks
// the kernel (lseek) every time, which cost as much as the primary-key lookup it replaces
// (a profile of 16 workers). The size this connection last learned is kept by the storage
// manager (smgr_cached_nblocks); it can only be too small, never too large, while the
// relation is open: tables grow under other connections without telling this one, and the
// one way they shrink, VACUUM cutting empty pages off the end, takes an ACCESS EXCLUSIVE
// lock and sends an invalidation that closes this connection's storage-manager entry
// (forgetting the size) before it releases the lock, which this connection's own lock on
// the table (taken before any remembered row is read) then waits for and processes. So a
// block below the kept size exists; above it, the kernel is asked.
bool BlockExists(Relation rel, BlockNumber block) {
  SMgrRelation smgr = RelationGetSmgr(rel);
  BlockNumber known = smgr->smgr_cached_nblocks[MAIN_FORKNUM];
  if (known != InvalidBlockNumber && block < known) return true;
  return block < smgrnblocks(smgr, MAIN_FORKNUM);
}

// Reads into slot the version this connection last wrote of the row whose key is in
// values, if that is still the row's latest version (or one being written: see FindRow);
// false otherwise, and nothing is remembered of the row any more.
// Why it is the row the primary key would find: the version is live under the dirty
// snapshot (no committed successor, so no newer version anywhere) and holds the key,
// which the primary key makes unique among live rows. A tuple id whose line pointer was
// freed and reused holds another key, or an older or dead version, and is refused.
bool FetchRemembered(Relation rel, const Resolved* r, const Datum* values, uint64 key_hash,
                     Snapshot dirty, TupleTableSlot* slot) {
  ItemPointerData tid;
  if (!RecallRow(r->relid, key_hash, &tid)) return false;
  BlockNumber block = ItemPointerGetBlockNumber(&tid);
  // Why: VACUUM may have cut the table's empty tail off since; reading past it is an error.
  bool ok = BlockExists(rel, block);
  if (ok) {
    // Why prune first: an index fetch does, and HOT chains are only cut back by such
    // reads; without it the row's versions would fill its page and move off it.
    Buffer buffer = ReadBuffer(rel, block);
    heap_page_prune_opt(rel, buffer);
    ReleaseBuffer(buffer);
    ok = table_tuple_fetch_row_version(rel, &tid, dirty, slot) && KeyMatches(r, values, slot);
  }
  if (!ok) {
    ExecClearTuple(slot);
    ForgetRow(r->relid, key_hash);
  }
  return ok;
}

// Reads through the primary key the latest version of the row whose key is in values
// into slot; false when there is no such row.
bool LookUp(Relation rel, const Resolved* r, const Datum* values, Snapshot dirty,
            TupleTableSlot* slot) {
  Relation index = index_open(r->pkey, RowExclusiveLock);
  ScanKeyData keys[INDEX_MAX_KEYS];
  for (int i = 0; i < r->index_keys; i++) {
    ScanKeyEntryInitializeWithInfo(&keys[i], 0, i + 1, BTEqualStrategyNumber, InvalidOid,
                                   r->collation[i], const_cast<FmgrInfo*>(&r->equal[i]),
                                   values[r->key_value[i]]);
  }
  IndexScanDesc scan = index_beginscan(rel, index, dirty, r->index_keys, 0);
  index_rescan(scan, keys, r->index_keys, nullptr, 0);
  // The slot keeps its own pin on the row's buffer after the scan ends; FindRow copies it.
  bool found = index_getnext_slot(scan, ForwardScanDirection, slot);
  index_endscan(scan);
  index_close(index, NoLock);
  return found;
}

// Reads the latest version of the row whose key is in values into slot (a version another
// transaction is writing is waited for first); false when there is no such row.
bool FindRow(Relation rel, const Resolved* r, const Datum* values, uint64 key_hash,
             TupleTableSlot* slot) {
  SnapshotData dirty;
  InitDirtySnapshot(dirty);
  for (;;) {
    bool found = FetchRemembered(rel, r, values, key_hash, &dirty, slot) ||
                 LookUp(rel, r, values, &dirty, slot);
    TransactionId writer = TransactionIdIsValid(dirty.xmin) ? dirty.xmin : dirty.xmax;
    if (!found || !TransactionIdIsValid(writer)) {
      if (found) ExecMaterializeSlot(slot);
      return found;
    }
    XactLockTableWait(writer, rel, &slot->tts_tid, XLTW_FetchUpdated);
  }
}

// Replaces the version in old by next (index entries added when it cannot be HOT); false
// when another transaction changed or deleted that version first (read it again).
bool Update(Relation rel, TupleTableSlot* old, TupleTableSlot* next) {
  TM_FailureData failure;
  LockTupleMode mode;
  bool update_indexes = false;
  TM_Result result = table_tuple_update(rel, &old->tts_tid, next, GetCurrentCommandId(true),
                                        ActiveSnapshotSet() ? GetActiveSnapshot() : InvalidSnapshot,
                                        InvalidSnapshot, true, &failure, &mode, &update_indexes);
  if (result == TM_Updated || result == TM_Deleted) return false;
  if (result != TM_Ok) elog(ERROR, "could not update a statistics counter row (%d)", result);
  if (update_indexes) InsertIndexEntries(rel, next);
  return true;
}

}  // namespace

bool AddToCounterRow(const CounterTable& table, const Datum* values) {
  WatchCounterTables();
  Relation rel = table_open(RelationIdOf(table), RowExclusiveLock);
  const Resolved* r = Resolve(table, rel);
  // Why: the equivalence with the upsert holds only while the table has no triggers but
  // its foreign-key checks and no forced row security (the owner's upsert bypasses plain
  // RLS); if someone adds either, every write takes the upsert, which honours them.
  if (!r->in_place) {
    table_close(rel, NoLock);
    return false;
  }
  TupleTableSlot* old = table_slot_create(rel, nullptr);
  TupleTableSlot* next = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsVirtual);
  bool found;
  uint64 key_hash = KeyHash(table, r, values);
  // Why a loop: a concurrent change between our read and our update (possible only when
  // more than 32 writers share a shard, or with a rebuild) means reading the row again.
  while ((found = FindRow(rel, r, values, key_hash, old))) {
    Sum(table, r, old, values, next);
    if (Update(rel, old, next)) {
      RememberRow(r->relid, key_hash, &next->tts_tid);
      break;
    }
    ForgetRow(r->relid, key_hash);
  }
  if (found) {
    // Why: later statements of this transaction (and our next update of this row) must
    // see the new version, as after an SQL statement.
    CommandCounterIncrement();
  }
  ExecDropSingleTupleTableSlot(next);
  ExecDropSingleTupleTableSlot(old);
  table_close(rel, NoLock);
  return found;
}

}  // namespace dialer::stats
