// Writing one counter row's deltas: in place when the row exists (stats_in_place.cpp),
// else by the table's SQL upsert, which creates it (stats_counter_write.cpp).
#pragma once

#include "pg/stats_counters.hpp"

namespace dialer::stats {

// Adds values (in table.columns order, all non-null) to the counter row they key.
void AddToCounters(const CounterTable& table, Datum* values);

// The upsert of table's parameters $1..$ncolumns (in columns order): inserts the row, or
// adds the counters to it; writes nothing when the campaign ($1, $2) is gone.
char* CounterUpsertSql(const CounterTable& table);

}  // namespace dialer::stats
