// dialer._stats_leads_changed(): the statement-level AFTER INSERT/UPDATE/DELETE trigger
// on dialer.leads. It adds up, per campaign, the net change of the lead counters (leads
// by status, attempts per lead) from the statement's old rows (weight -1) and new rows
// (weight +1), and adds it to a counter row of a shard reserved by this transaction.
// The definitions are those of the recount (dialer._stats_recount_leads).
#include "pg/stats_counter_write.hpp"
#include "pg/stats_reference.hpp"
#include "pg/stats_shards.hpp"
#include "pg/stats_statement.hpp"

DIALER_FUNCTION(dialer_stats_leads_changed)

namespace dialer::stats {
namespace {

constexpr int kLeadAttemptSlots = 17;  // attempts 0..15, then 16 or more

// A campaign's net change of its lead counters in this statement.
struct LeadTotals {
  CampaignKey key;
  int64 n[lead_totals::kColumnCount];  // the bigint counters, by column (keys unused)
  int64 by_status[kMaxStatuses];
  int64 by_attempts[kLeadAttemptSlots];
};

struct LeadAccumulator {
  HTAB* totals;
  int tenant, campaign, status, attempts;
};

// Adds one lead row, with weight +1 (new) or -1 (old), to the accumulator.
void AddLead(LeadAccumulator* acc, TupleTableSlot* slot, int weight) {
  bool isnull;
  CampaignKey key;
  memset(&key, 0, sizeof key);  // Why: a binary hash key, padding included
  key.tenant = *DatumGetUUIDP(slot_getattr(slot, acc->tenant, &isnull));
  key.campaign = *DatumGetUUIDP(slot_getattr(slot, acc->campaign, &isnull));
  const EnumValue* status = LeadStatus(DatumGetObjectId(slot_getattr(slot, acc->status, &isnull)));
  int32 attempts = DatumGetInt32(slot_getattr(slot, acc->attempts, &isnull));
  bool found;
  LeadTotals* t = static_cast<LeadTotals*>(hash_search(acc->totals, &key, HASH_ENTER, &found));
  if (!found)
    memset(reinterpret_cast<char*>(t) + sizeof(CampaignKey), 0,
           sizeof(LeadTotals) - sizeof(CampaignKey));
  t->n[lead_totals::kLeads] += weight;
  t->n[lead_totals::kAttempts] += weight * static_cast<int64>(attempts);
  t->by_status[status->slot - 1] += weight;
  t->by_attempts[attempts < kLeadAttemptSlots - 1 ? attempts : kLeadAttemptSlots - 1] += weight;
}

// Whether a campaign's lead counters did not move (a priority, custom fields).
bool Unchanged(const LeadTotals* t) {
  return AllZero(t->n, lead_totals::kColumnCount) && AllZero(t->by_status, kMaxStatuses) &&
         AllZero(t->by_attempts, kLeadAttemptSlots);
}

// Writes one campaign's lead counters.
void WriteLeadTotals(LeadTotals* t) {
  using namespace lead_totals;
  Datum v[kColumnCount] = {};
  v[kTenantId] = UUIDPGetDatum(&t->key.tenant);
  v[kCampaignId] = UUIDPGetDatum(&t->key.campaign);
  v[kShard] = Int16GetDatum(ReserveShard(&t->key));
  for (int c = 0; c < kColumnCount; c++) {
    if (kKinds[c] == 'i') v[c] = Int64GetDatum(t->n[c]);
  }
  v[kByStatus] = Vector(t->by_status, kMaxStatuses);
  v[kByAttempts] = Vector(t->by_attempts, kLeadAttemptSlots);
  AddToCounters(kTable, v);
}

// Sets up one firing's accumulator: the reference data, its table, the columns it reads.
void StartLeads(LeadAccumulator* acc, TupleDesc desc) {
  LoadLeadReference();
  acc->totals = NewTable("dialer lead totals", sizeof(CampaignKey), sizeof(LeadTotals));
  acc->tenant = ColumnNumber(desc, "tenant_id");
  acc->campaign = ColumnNumber(desc, "campaign_id");
  acc->status = ColumnNumber(desc, "status");
  acc->attempts = ColumnNumber(desc, "attempts");
}

// Writes the accumulated lead changes in campaign order.
void ApplyLeads(LeadAccumulator* acc) {
  long count;
  LeadTotals** totals = Sorted<LeadTotals>(acc->totals, &count, CompareCampaigns);
  for (long i = 0; i < count; i++) {
    if (!Unchanged(totals[i])) WriteLeadTotals(totals[i]);
  }
}

}  // namespace
}  // namespace dialer::stats

// dialer._stats_leads_changed() returns trigger: keeps the campaign lead counters from the
// statement's transition tables on dialer.leads.
Datum dialer_stats_leads_changed(PG_FUNCTION_ARGS) {
  using namespace dialer::stats;
  return FireStatementTrigger<LeadAccumulator>(fcinfo, "dialer._stats_leads_changed", StartLeads,
                                               AddLead, ApplyLeads);
}
