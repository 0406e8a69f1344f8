// The statistics triggers' fast path: adding deltas to an existing counter row in place
// (an index lookup, a row lock and a heap update), without planning, starting and
// ending an SQL upsert. See stats_in_place.cpp for why it is equivalent.
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

}  // namespace dialer::stats
