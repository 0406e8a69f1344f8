// dialer._stats_calls_changed(): the statement-level AFTER INSERT/UPDATE/DELETE trigger
// on dialer.calls. It reads the statement's old rows (weight -1) and new rows (weight
// +1), derives each call's facts (CallFacts: the flags and slots of
// dialer._stats_call_facts in sql_src/51_stats_rebuild.sql, whose recount
// dialer.verify_campaign_stats() compares with these counters), adds up the net change
// of every counter per campaign and per UTC hour and day, and adds each net change to a
// counter row of a shard reserved by this transaction (stats_counter_write.cpp). An
// UPDATE that moves no counter (a transcript, a lease) writes nothing; a bulk statement
// of a million rows writes one row per campaign and bucket. Contact-call changes go to
// stats_first_contact.cpp.
#include "pg/guard.hpp"
#include "pg/stats_counter_write.hpp"
#include "pg/stats_first_contact.hpp"
#include "pg/stats_reference.hpp"
#include "pg/stats_shards.hpp"
#include "pg/stats_statement.hpp"
#include "stats/talk_time.hpp"

extern "C" {
#include "utils/datetime.h"
#include "utils/timestamp.h"
}

DIALER_FUNCTION(dialer_stats_calls_changed)

namespace dialer::stats {
namespace {

constexpr int kAttemptSlots = 16;  // attempt numbers 1..15, then 16 or more
constexpr int kHours = 24;

// Column numbers of dialer.calls read by the trigger.
struct CallColumns {
  int tenant, campaign, lead, status, outcome, attempt, duration, cost, claimed, started, created,
      zone;
};

// What the counters say about one call row (the recount's dialer._stats_call_facts).
struct CallFacts {
  CampaignKey key;
  const EnumValue* status;
  int class_slot;  // 1: no class yet, 2: a class dialer.outcome_classes lacks
  int32 attempt;
  int attempt_slot;
  int64 seconds;  // duration_seconds, 0 when null
  bool has_cost;
  Datum cost;
  TimestampTz when;  // claimed, else started, else created (dialer._stats_call_time)
  int local_hour;    // 0..23 in the recipient's zone, -1 without one
  int talk_bucket;   // -1 unless talk
  bool answered, human, machine, contact, conversion, abandoned, unknown, transport;
  bool in_flight, attempt_made, finished, talk, completed_timed;
  bool has_lead;
  pg_uuid_t lead;
};

// The vectors of the call totals, by column.
struct CallVectors {
  int64 by_status[kMaxStatuses];
  int64 by_class[kMaxClassSlots];
  int64 talk[dialer::stats::kTalkBuckets];
  int64 finished_by_attempt[kAttemptSlots];
  int64 contacts_by_attempt[kAttemptSlots];
  int64 conversions_by_attempt[kAttemptSlots];
  int64 finished_by_hour[kHours];
  int64 answered_by_hour[kHours];
  int64 contacts_by_hour[kHours];
  int64 conversions_by_hour[kHours];
};
static_assert(sizeof(CallVectors) % sizeof(int64) == 0, "CallVectors is read as int64[]");

// A campaign's net change of its call totals in this statement.
struct CallTotals {
  CampaignKey key;
  int64 n[call_totals::kColumnCount];  // the bigint counters, by column (keys unused)
  Datum cost;                          // numeric
  CallVectors v;
};

struct BucketKey {
  CampaignKey campaign;
  TimestampTz start;
  bool day;
};

// A bucket's net change in this statement.
struct Bucket {
  BucketKey key;
  int64 n[call_buckets::kColumnCount];  // the bigint counters, by column (keys unused)
  Datum cost;
};

struct CallAccumulator {
  HTAB* totals;
  HTAB* buckets;
  HTAB* contacts;
  CallColumns col;
};

// The UTC hour (or day) a timestamp falls in; infinite timestamps are their own bucket.
TimestampTz Truncate(TimestampTz t, int64 unit) {
  if (TIMESTAMP_NOT_FINITE(t)) return t;
  int64 rem = t % unit;
  if (rem < 0) rem += unit;
  return t - rem;
}

// The hour of day (0..23) of t in zone, or -1 when t is infinite; an unknown zone raises
// 22023 exactly as timezone(zone, t) does in the recount.
int LocalHour(TimestampTz t, Datum zone) {
  Timestamp local =
      DatumGetTimestamp(DirectFunctionCall2(timestamptz_zone, zone, TimestampTzGetDatum(t)));
  if (TIMESTAMP_NOT_FINITE(local)) return -1;
  struct pg_tm tm;
  fsec_t fsec;
  if (timestamp2tm(local, nullptr, &tm, &fsec, nullptr, nullptr) != 0) return -1;
  return tm.tm_hour;
}

// The column numbers of the calls the trigger reads.
CallColumns CallColumnsOf(TupleDesc desc) {
  return {ColumnNumber(desc, "tenant_id"),        ColumnNumber(desc, "campaign_id"),
          ColumnNumber(desc, "lead_id"),          ColumnNumber(desc, "status"),
          ColumnNumber(desc, "outcome_class"),    ColumnNumber(desc, "attempt_number"),
          ColumnNumber(desc, "duration_seconds"), ColumnNumber(desc, "cost"),
          ColumnNumber(desc, "claimed_at"),       ColumnNumber(desc, "started_at"),
          ColumnNumber(desc, "created_at"),       ColumnNumber(desc, "recipient_time_zone")};
}

// The outcome-class flags of a call (all false without a known class).
void ReadClassFlags(const ClassInfo* cls, CallFacts* f) {
  f->answered = cls != nullptr && cls->answered;
  f->human = cls != nullptr && cls->human;
  f->machine = cls != nullptr && cls->machine;
  f->contact = cls != nullptr && cls->contact;
  f->conversion = cls != nullptr && cls->conversion;
  f->abandoned = cls != nullptr && cls->abandoned;
  f->unknown = cls != nullptr && cls->unknown_result;
  f->transport = cls != nullptr && cls->transport_error;
}

// The time, local hour and lead of a call.
void ReadWhenAndWho(const CallColumns& c, TupleTableSlot* slot, CallFacts* f) {
  bool isnull;
  Datum at = slot_getattr(slot, c.claimed, &isnull);
  if (isnull) at = slot_getattr(slot, c.started, &isnull);
  if (isnull) at = slot_getattr(slot, c.created, &isnull);
  f->when = DatumGetTimestampTz(at);
  Datum zone = slot_getattr(slot, c.zone, &isnull);
  f->local_hour = isnull ? -1 : LocalHour(f->when, zone);
  Datum lead = slot_getattr(slot, c.lead, &isnull);
  f->has_lead = !isnull;
  if (f->has_lead) f->lead = *DatumGetUUIDP(lead);
}

// The facts of the call in slot; false for a call outside campaigns (not counted).
bool ReadCallFacts(const CallColumns& c, TupleTableSlot* slot, CallFacts* f) {
  bool isnull;
  Datum campaign = slot_getattr(slot, c.campaign, &isnull);
  if (isnull) return false;
  memset(f, 0, sizeof *f);  // Why: f->key is a binary hash key, padding included
  f->key.tenant = *DatumGetUUIDP(slot_getattr(slot, c.tenant, &isnull));
  f->key.campaign = *DatumGetUUIDP(campaign);
  f->status = CallStatus(DatumGetObjectId(slot_getattr(slot, c.status, &isnull)));
  Datum outcome = slot_getattr(slot, c.outcome, &isnull);
  const ClassInfo* cls = isnull ? nullptr : FindClass(outcome);
  f->class_slot = isnull ? 1 : (cls == nullptr ? 2 : cls->slot);
  ReadClassFlags(cls, f);
  f->attempt = DatumGetInt32(slot_getattr(slot, c.attempt, &isnull));
  f->attempt_slot = f->attempt < kAttemptSlots ? f->attempt : kAttemptSlots;
  Datum duration = slot_getattr(slot, c.duration, &isnull);
  bool has_duration = !isnull;
  f->seconds = has_duration ? DatumGetInt32(duration) : 0;
  f->cost = slot_getattr(slot, c.cost, &isnull);
  f->has_cost = !isnull;
  ReadWhenAndWho(c, slot, f);
  StatusKind kind = f->status->kind;
  f->in_flight = kind == StatusKind::kInFlight;
  f->attempt_made = kind != StatusKind::kCancelled && !f->transport;
  f->finished = (kind == StatusKind::kCompleted || kind == StatusKind::kFailed ||
                 kind == StatusKind::kExpired) &&
                !f->transport;
  f->talk = f->answered && has_duration;
  f->completed_timed = kind == StatusKind::kCompleted && has_duration;
  f->talk_bucket = -1;
  if (f->talk) {
    int64 seconds = f->seconds;
    f->talk_bucket = dialer::pg::Guard([&] { return dialer::stats::TalkBucket(seconds); });
  }
  return true;
}

// n[column] += weight when counted.
inline void Count(int64* n, int column, bool counted, int weight) {
  if (counted) n[column] += weight;
}

// Adds one call's weight to the outcome counters the campaign totals and the buckets both
// keep; Column is the writer's column enum (call_totals::Column, call_buckets::Column).
template <typename Column>
void CountOutcomes(int64* n, const CallFacts& f, int w) {
  Count(n, Column::kAttempts, f.attempt_made, w);
  Count(n, Column::kFinished, f.finished, w);
  Count(n, Column::kAnswered, f.answered, w);
  Count(n, Column::kHuman, f.human, w);
  Count(n, Column::kMachine, f.machine, w);
  Count(n, Column::kContacts, f.contact, w);
  Count(n, Column::kConversions, f.conversion, w);
  Count(n, Column::kAbandoned, f.abandoned, w);
  Count(n, Column::kTalkCalls, f.talk, w);
  if (f.talk) n[Column::kTalkSeconds] += w * f.seconds;
}

// Adds one call's weight to its campaign's scalar call totals.
void AddToTotalCounters(CallTotals* t, const CallFacts& f, int w) {
  using namespace call_totals;
  int64* n = t->n;
  CountOutcomes<Column>(n, f, w);
  Count(n, kCalls, true, w);
  Count(n, kInFlight, f.in_flight, w);
  Count(n, kPreDialRejections, f.transport, w);
  Count(n, kUnknownResults, f.unknown, w);
  Count(n, kCompletedTimedCalls, f.completed_timed, w);
  if (f.completed_timed) n[kCompletedSeconds] += w * f.seconds;
  Count(n, kCostCalls, f.has_cost, w);
  if (f.has_cost) t->cost = AddCost(t->cost, f.cost, w);
}

// Adds one call's weight to its campaign's call-total vectors.
void AddToTotalVectors(CallVectors* v, const CallFacts& f, int w) {
  v->by_status[f.status->slot - 1] += w;
  v->by_class[f.class_slot - 1] += w;
  if (f.talk) v->talk[f.talk_bucket] += w;
  if (f.finished) v->finished_by_attempt[f.attempt_slot - 1] += w;
  if (f.contact) v->contacts_by_attempt[f.attempt_slot - 1] += w;
  if (f.conversion) v->conversions_by_attempt[f.attempt_slot - 1] += w;
  if (f.local_hour < 0) return;
  if (f.finished) v->finished_by_hour[f.local_hour] += w;
  if (f.answered) v->answered_by_hour[f.local_hour] += w;
  if (f.contact) v->contacts_by_hour[f.local_hour] += w;
  if (f.conversion) v->conversions_by_hour[f.local_hour] += w;
}

// Adds one call's weight to its campaign's call totals.
void AddToTotals(CallAccumulator* acc, const CallFacts& f, int weight) {
  bool found;
  CallTotals* t = static_cast<CallTotals*>(hash_search(acc->totals, &f.key, HASH_ENTER, &found));
  if (!found) {
    memset(reinterpret_cast<char*>(t) + sizeof(CampaignKey), 0,
           sizeof(CallTotals) - sizeof(CampaignKey));
    t->cost = ZeroNumeric();
  }
  AddToTotalCounters(t, f, weight);
  AddToTotalVectors(&t->v, f, weight);
}

// Adds one call's weight to the bucket of (campaign, start, day).
void AddToBucket(CallAccumulator* acc, const CallFacts& f, TimestampTz start, bool day, int w) {
  using namespace call_buckets;
  BucketKey key;
  memset(&key, 0, sizeof key);  // Why: a binary hash key, padding included
  key.campaign = f.key;
  key.start = start;
  key.day = day;
  bool found;
  Bucket* b = static_cast<Bucket*>(hash_search(acc->buckets, &key, HASH_ENTER, &found));
  if (!found) {
    memset(b->n, 0, sizeof b->n);
    b->cost = ZeroNumeric();
  }
  CountOutcomes<Column>(b->n, f, w);
  if (f.has_cost) b->cost = AddCost(b->cost, f.cost, w);
}

// Adds a contact call's weight to its lead's contact change at its attempt number.
void AddContactChange(CallAccumulator* acc, const CallFacts& f, int weight) {
  if (!f.contact || !f.has_lead) return;
  ContactKey key;
  memset(&key, 0, sizeof key);  // Why: a binary hash key, padding included
  key.campaign = f.key;
  key.lead = f.lead;
  key.attempt = f.attempt;
  bool found;
  ContactChange* change =
      static_cast<ContactChange*>(hash_search(acc->contacts, &key, HASH_ENTER, &found));
  if (!found) change->weight = 0;
  change->weight += weight;
}

// Adds one call row, with weight +1 (new) or -1 (old), to the accumulator.
void AddCall(CallAccumulator* acc, TupleTableSlot* slot, int weight) {
  CallFacts f;
  if (!ReadCallFacts(acc->col, slot, &f)) return;  // calls outside campaigns are not counted
  AddToTotals(acc, f, weight);
  AddToBucket(acc, f, Truncate(f.when, USECS_PER_HOUR), false, weight);
  AddToBucket(acc, f, Truncate(f.when, USECS_PER_DAY), true, weight);
  AddContactChange(acc, f, weight);
}

// qsort order of buckets: campaign, then 'day' before 'hour', then start.
int CompareBuckets(const void* a, const void* b) {
  const BucketKey* x = &(*static_cast<Bucket* const*>(a))->key;
  const BucketKey* y = &(*static_cast<Bucket* const*>(b))->key;
  int c = memcmp(&x->campaign, &y->campaign, sizeof(CampaignKey));
  if (c != 0) return c;
  if (x->day != y->day) return x->day ? -1 : 1;  // 'day' sorts before 'hour'
  return x->start < y->start ? -1 : (x->start > y->start ? 1 : 0);
}

// Whether a campaign's call totals did not move (a transcript, a lease).
bool Unchanged(const CallTotals* t) {
  return AllZero(t->n, call_totals::kColumnCount) && IsZero(t->cost) &&
         AllZero(reinterpret_cast<const int64*>(&t->v), sizeof t->v / sizeof(int64));
}

// Writes one campaign's call totals.
void WriteTotals(CallTotals* t) {
  using namespace call_totals;
  Datum v[kColumnCount] = {};
  v[kTenantId] = UUIDPGetDatum(&t->key.tenant);
  v[kCampaignId] = UUIDPGetDatum(&t->key.campaign);
  v[kShard] = Int16GetDatum(ReserveShard(&t->key));
  for (int c = 0; c < kColumnCount; c++) {
    if (kKinds[c] == 'i') v[c] = Int64GetDatum(t->n[c]);
  }
  v[kCost] = t->cost;
  v[kByStatus] = Vector(t->v.by_status, kMaxStatuses);
  v[kByClass] = Vector(t->v.by_class, kMaxClassSlots);
  v[kTalkHistogram] = Vector(t->v.talk, dialer::stats::kTalkBuckets);
  v[kFinishedByAttempt] = Vector(t->v.finished_by_attempt, kAttemptSlots);
  v[kContactsByAttempt] = Vector(t->v.contacts_by_attempt, kAttemptSlots);
  v[kConversionsByAttempt] = Vector(t->v.conversions_by_attempt, kAttemptSlots);
  v[kFinishedByLocalHour] = Vector(t->v.finished_by_hour, kHours);
  v[kAnsweredByLocalHour] = Vector(t->v.answered_by_hour, kHours);
  v[kContactsByLocalHour] = Vector(t->v.contacts_by_hour, kHours);
  v[kConversionsByLocalHour] = Vector(t->v.conversions_by_hour, kHours);
  AddToCounters(kTable, v);
}

// Writes one bucket.
void WriteBucket(Bucket* b) {
  using namespace call_buckets;
  Datum v[kColumnCount] = {};
  v[kTenantId] = UUIDPGetDatum(&b->key.campaign.tenant);
  v[kCampaignId] = UUIDPGetDatum(&b->key.campaign.campaign);
  // Why built here and not once: the text lives in the statement's memory.
  v[kGranularity] = CStringGetTextDatum(b->key.day ? "day" : "hour");
  v[kBucketStart] = TimestampTzGetDatum(b->key.start);
  v[kShard] = Int16GetDatum(ReserveShard(&b->key.campaign));
  for (int c = 0; c < kColumnCount; c++) {
    if (kKinds[c] == 'i') v[c] = Int64GetDatum(b->n[c]);
  }
  v[kCost] = b->cost;
  AddToCounters(kTable, v);
}

// Sets up one firing's accumulator: the reference data, its tables, the columns it reads.
void StartCalls(CallAccumulator* acc, TupleDesc desc) {
  LoadCallReference();
  acc->totals = NewTable("dialer call totals", sizeof(CampaignKey), sizeof(CallTotals));
  acc->buckets = NewTable("dialer call buckets", sizeof(BucketKey), sizeof(Bucket));
  acc->contacts = NewTable("dialer contact changes", sizeof(ContactKey), sizeof(ContactChange));
  acc->col = CallColumnsOf(desc);
}

// Writes the accumulated call changes: totals, buckets, then first contacts, each in key
// order. Why sorted: writers sharing a shard then lock counter rows in the same order.
void ApplyCalls(CallAccumulator* acc) {
  long count;
  CallTotals** totals = Sorted<CallTotals>(acc->totals, &count, CompareCampaigns);
  for (long i = 0; i < count; i++) {
    if (!Unchanged(totals[i])) WriteTotals(totals[i]);
  }
  Bucket** buckets = Sorted<Bucket>(acc->buckets, &count, CompareBuckets);
  for (long i = 0; i < count; i++) {
    Bucket* b = buckets[i];
    // A status change that moves no bucket counter (claimed -> dialing) writes nothing.
    if (AllZero(b->n, call_buckets::kColumnCount) && IsZero(b->cost)) continue;
    WriteBucket(b);
  }
  ApplyFirstContacts(acc->contacts);
}

}  // namespace
}  // namespace dialer::stats

// dialer._stats_calls_changed() returns trigger: keeps the campaign call counters, hourly and
// daily buckets and first contacts from the statement's transition tables on dialer.calls.
Datum dialer_stats_calls_changed(PG_FUNCTION_ARGS) {
  using namespace dialer::stats;
  return FireStatementTrigger<CallAccumulator>(fcinfo, "dialer._stats_calls_changed", StartCalls,
                                               AddCall, ApplyCalls);
}
