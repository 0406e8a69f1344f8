// Writing one counter row's deltas: in place when the row exists, else the upsert
// derived from the same CounterTable (its SQL text and kept plan, one per table).
#include "pg/stats_counter_write.hpp"

#include "pg/stats_in_place.hpp"
#include "pg/stats_statement.hpp"

extern "C" {
#include "lib/stringinfo.h"
}

namespace dialer::stats {
namespace {

constexpr int kMaxPlans = 8;

// The kept upsert plan of each table written so far in this connection.
struct UpsertPlan {
  const CounterTable* table;
  SPIPlanPtr plan;
};
UpsertPlan plans[kMaxPlans];
int plan_count = 0;

// The kept upsert plan of table, prepared on first use.
// Why kept for the connection: every shard's and bucket's first write takes it.
SPIPlanPtr UpsertPlanOf(const CounterTable& table) {
  UpsertPlan* p = nullptr;
  for (int i = 0; i < plan_count && p == nullptr; i++) {
    if (plans[i].table == &table) p = &plans[i];
  }
  if (p == nullptr) {
    if (plan_count == kMaxPlans) elog(ERROR, "too many statistics counter writers");
    p = &plans[plan_count++];
    *p = {&table, nullptr};
  }
  if (p->plan == nullptr) Prepare(&p->plan, CounterUpsertSql(table), table.ncolumns, table.types);
  return p->plan;
}

}  // namespace

void AddToCounters(const CounterTable& table, Datum* values) {
  RequireAllValues(table, values);
  if (AddToCounterRow(table, values)) return;
  Run(UpsertPlanOf(table), values);
}

char* CounterUpsertSql(const CounterTable& table) {
  StringInfoData sql;
  initStringInfo(&sql);
  appendStringInfo(&sql, "INSERT INTO dialer.%s AS s (", table.name);
  for (int i = 0; i < table.ncolumns; i++)
    appendStringInfo(&sql, "%s%s", i > 0 ? ", " : "", table.columns[i]);
  appendStringInfoString(&sql, ") SELECT ");
  for (int i = 0; i < table.ncolumns; i++)
    appendStringInfo(&sql, "%s$%d", i > 0 ? ", " : "", i + 1);
  // Why "WHERE EXISTS": deleting a campaign cascades to its calls and leads, whose
  // triggers then find the campaign (and its counter rows) gone.
  appendStringInfoString(
      &sql,
      " WHERE EXISTS (SELECT 1 FROM dialer.campaigns c WHERE c.tenant_id = $1 AND c.id = $2)"
      " ON CONFLICT (");
  for (int i = 0; i < table.nkeys; i++)
    appendStringInfo(&sql, "%s%s", i > 0 ? ", " : "", table.columns[i]);
  appendStringInfoString(&sql, ") DO UPDATE SET ");
  for (int i = table.nkeys; i < table.ncolumns; i++) {
    const char* c = table.columns[i];
    const char* sep = i > table.nkeys ? ", " : "";
    if (table.kinds[i] == 'v')
      appendStringInfo(&sql, "%s%s = dialer._stats_vector_add(s.%s, excluded.%s)", sep, c, c, c);
    else
      appendStringInfo(&sql, "%s%s = s.%s + excluded.%s", sep, c, c, c);
  }
  return sql.data;
}

}  // namespace dialer::stats
