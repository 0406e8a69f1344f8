// Adding a writer's deltas to an existing statistics counter row in place (an index
// lookup, or a remembered tuple id, and a heap update), without planning, starting and
// ending an SQL statement. See stats_in_place.cpp for why it equals the upsert.
#pragma once

#include "pg/stats_counters.hpp"

namespace dialer::stats {

// Adds values[nkeys..] to the row of table whose key is values[0..nkeys) (all
// non-null); false when no such row exists, or the table has triggers or forced row
// security (the caller then runs its upsert).
bool AddToCounterRow(const CounterTable& table, const Datum* values);

}  // namespace dialer::stats
