// Resolving a statistics counter table for the in-place path: its relation, primary key
// and column numbers, and whether an in-place update is equivalent to the upsert
// (OnlyKeyChecks); cached per connection until a relcache invalidation of the table.
#include "pg/stats_counter_table.hpp"

#include "pg/stats_row_cache.hpp"
#include "pg/stats_statement.hpp"

extern "C" {
#include "access/genam.h"
#include "access/stratnum.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/relcache.h"
}

namespace dialer::stats {
namespace {

constexpr int kMaxTables = 8;

Resolved resolved[kMaxTables];
int resolved_count = 0;
bool callback_registered = false;

// Relcache callback: a changed counter table (or a reset of every entry) is resolved again.
void Forget(Datum, Oid relid) {
  for (int i = 0; i < resolved_count; i++) {
    if (relid == InvalidOid || resolved[i].relid == relid) {
      resolved_count = 0;
      ForgetAllRows();  // TRUNCATE, VACUUM FULL, CLUSTER: tuple ids mean nothing now
      return;
    }
  }
}

// The position among the table's first nkeys (key) columns of column attnum, or -1 when
// it is not a key column.
int KeyPosition(const CounterTable& table, const Resolved* r, AttrNumber attnum) {
  for (int k = 0; k < table.nkeys; k++) {
    if (r->attnums[k] == attnum) return k;
  }
  return -1;
}

// The primary key's scan keys: per index column, which value holds it and how to compare.
void ResolveKey(const CounterTable& table, Resolved* r) {
  Relation index = index_open(r->pkey, AccessShareLock);
  r->index_keys = IndexRelationGetNumberOfKeyAttributes(index);
  for (int i = 0; i < r->index_keys; i++) {
    r->key_value[i] = KeyPosition(table, r, index->rd_index->indkey.values[i]);
    if (r->key_value[i] < 0)
      elog(ERROR, "primary key of %s has a column not in its key", table.name);
    Oid type = index->rd_opcintype[i];
    Oid op = get_opfamily_member(index->rd_opfamily[i], type, type, BTEqualStrategyNumber);
    if (!OidIsValid(op)) elog(ERROR, "no equality operator for the primary key of %s", table.name);
    fmgr_info_cxt(get_opcode(op), &r->equal[i], TopMemoryContext);
    r->collation[i] = index->rd_indcollation[i];
  }
  index_close(index, NoLock);
}

// Whether every trigger of rel is a foreign-key check of this (referencing) table and
// every foreign key of rel is on key columns only. Then an update that changes no key
// column fires nothing the upsert's update would have fired (see the file comment);
// anything else (a user's trigger, a foreign key on a counter) keeps the upsert.
// Why this is needed at all: a foreign key adds internal triggers to the referencing
// table, so "no triggers" never held for the counter tables and the in-place path was
// never taken (found by profiling: every counter write was an SPI upsert).
bool OnlyKeyChecks(const CounterTable& table, Relation rel, const Resolved* r) {
  if (rel->rd_rel->relforcerowsecurity) return false;
  TriggerDesc* triggers = rel->trigdesc;
  for (int i = 0; triggers != nullptr && i < triggers->numtriggers; i++) {
    if (RI_FKey_trigger_type(triggers->triggers[i].tgfoid) != RI_TRIGGER_FK) return false;
  }
  ListCell* lc;
  foreach (lc, RelationGetFKeyList(rel)) {
    const ForeignKeyCacheInfo* fk = static_cast<const ForeignKeyCacheInfo*>(lfirst(lc));
    for (int k = 0; k < fk->nkeys; k++) {
      if (KeyPosition(table, r, fk->conkey[k]) < 0) return false;
    }
  }
  return true;
}

}  // namespace

void WatchCounterTables() {
  if (!callback_registered) {
    CacheRegisterRelcacheCallback(Forget, 0);
    callback_registered = true;
  }
}

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
  for (int i = 0; i < table.ncolumns; i++)
    r->attnums[i] = ColumnNumber(RelationGetDescr(rel), table.columns[i]);
  if (table.nkeys > INDEX_MAX_KEYS)
    elog(ERROR, "counter table %s has too many key columns", table.name);
  for (int k = 0; k < table.nkeys; k++) {
    const FormData_pg_attribute* att = TupleDescAttr(RelationGetDescr(rel), r->attnums[k] - 1);
    r->key_len[k] = att->attlen;
    r->key_byval[k] = att->attbyval;
  }
  ResolveKey(table, r);
  r->in_place = OnlyKeyChecks(table, rel, r);
  resolved_count++;
  return r;
}

Oid RelationIdOf(const CounterTable& table) {
  for (int i = 0; i < resolved_count; i++) {
    if (resolved[i].table == &table) return resolved[i].relid;
  }
  Oid relid = get_relname_relid(table.name, get_namespace_oid("dialer", false));
  if (!OidIsValid(relid)) elog(ERROR, "counter table dialer.%s is missing", table.name);
  return relid;
}

}  // namespace dialer::stats
