// A statistics counter table as resolved in this connection for the in-place path: its
// relation, primary key, column numbers and whether its rows may be updated in place
// (stats_counter_table.cpp). Cached per connection; forgotten when the table changes.
#pragma once

#include "pg/stats_counters.hpp"

extern "C" {
#include "utils/rel.h"
}

namespace dialer::stats {

constexpr int kMaxColumns = 40;

// A counter table resolved in this connection: its relation, primary key and the
// column number of each of its CounterTable columns.
struct Resolved {
  const CounterTable* table;
  Oid relid;
  Oid pkey;
  AttrNumber attnums[kMaxColumns];
  int index_keys;                  // columns of the primary key
  int key_value[INDEX_MAX_KEYS];   // each one's position in the values
  FmgrInfo equal[INDEX_MAX_KEYS];  // and its btree equality function
  Oid collation[INDEX_MAX_KEYS];
  int16 key_len[INDEX_MAX_KEYS];  // attlen of each of the table's key columns
  bool key_byval[INDEX_MAX_KEYS];
  bool in_place;  // whether rows may be updated in place (see OnlyKeyChecks)
};

// Registers (once) the relcache callback that forgets resolved tables and remembered rows.
void WatchCounterTables();

// The cached resolution of table, made on first use (rel is table, opened and locked).
const Resolved* Resolve(const CounterTable& table, Relation rel);

// The table's OID, looked up by name in schema dialer (or from the cache).
Oid RelationIdOf(const CounterTable& table);

}  // namespace dialer::stats
