// The statistics counter tables as the triggers write them: adding deltas to an existing
// counter row in place (an index lookup and a heap update, without planning, starting
// and ending an SQL statement), and the SQL upsert that creates a missing row, both
// derived from one description of the table. See stats_in_place.cpp for why they agree.
#pragma once

#include "pg/postgres_includes.hpp"

namespace dialer::stats {

// A counter table of schema dialer and the meaning of an upsert's parameters: the
// first nkeys columns are the primary key, the others counters added to. kind[i] is
// 'k' (key), 'i' (bigint), 'n' (numeric) or 'v' (bigint[] vector, element-wise).
struct CounterTable {
  const char* name;
  const char* const* columns;
  const char* kinds;
  int ncolumns;
  int nkeys;
};

// Adds values[nkeys..] to the row of table whose key is values[0..nkeys) (all
// non-null); false when no such row exists, or the table has triggers or forced row
// security (the caller then runs its upsert).
bool AddToCounterRow(const CounterTable& table, const Datum* values);

// The upsert of table's parameters $1..$ncolumns (in columns order): inserts the row, or
// adds the counters to it; writes nothing when the campaign ($1, $2) is gone.
char* CounterUpsertSql(const CounterTable& table);

// The 1-based number of column name of desc, raising when it is missing.
int ColumnNumber(TupleDesc desc, const char* name);

}  // namespace dialer::stats
