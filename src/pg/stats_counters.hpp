// The statistics counter tables as the C++ writers see them: CounterTable (the columns
// one writer passes for one table) and, generated from the one declaration of the
// counters (src/pg/stats_counters.tab, by tools/stats_counters.awk), each writer's
// column enum, names, kinds, types and CounterTable.
#pragma once

#include "pg/postgres_includes.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
}

namespace dialer::stats {

// A counter table of schema dialer and the meaning of a writer's values: the first nkeys
// columns are the primary key, the others counters added to. kinds[i] is 'k' (key),
// 'i' (bigint), 'n' (numeric) or 'v' (bigint[] vector, element-wise); types[i] is the
// value's type as an upsert parameter.
struct CounterTable {
  const char* name;
  const char* const* columns;
  const char* kinds;
  const Oid* types;
  int ncolumns;
  int nkeys;
};

}  // namespace dialer::stats

#include "stats_counters.inc"
