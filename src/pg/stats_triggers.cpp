// The statistics triggers: dialer._stats_calls_changed() and dialer._stats_leads_changed(),
// statement-level AFTER INSERT/UPDATE/DELETE triggers with transition tables on
// dialer.calls and dialer.leads. They read the statement's old rows (weight -1) and new
// rows (weight +1), add up the net change of every counter per campaign (and per UTC
// hour and day for calls), and add each net change to a counter row of a shard reserved
// by this transaction (ReserveShard): in place when the row exists, else with a prepared
// upsert (AddToCounters, stats_in_place.cpp). An UPDATE that moves no counter (a
// transcript, a lease) writes nothing; a bulk statement of a million rows writes one row per
// campaign and bucket.
//
// The definitions are those of the recount (dialer._stats_call_facts in
// sql_src/51_stats_rebuild.sql); dialer.verify_campaign_stats() proves they agree.
//
// Why C-style (no C++ objects, no Guard except around the pure talk-time core): these run
// on every write of the two busiest tables; a PL/pgSQL version spent most of its time
// starting up the executor for its aggregate queries. Nothing here owns a destructor, so
// an ereport cannot skip one. Per-statement memory lives in one context deleted at the end.
#include "pg/guard.hpp"
#include "pg/stats_in_place.hpp"
#include "stats/talk_time.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "common/hashfn.h"
#include "catalog/pg_type_d.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "storage/backendid.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/uuid.h"
}

DIALER_FUNCTION(dialer_stats_calls_changed)
DIALER_FUNCTION(dialer_stats_leads_changed)
DIALER_FUNCTION(dialer_stats_forget_outcome_classes)

namespace {

constexpr int kShards = 32;
// Shards a writer may take when the first kShards are all reserved (smallint column;
// above any max_connections this module would see).
constexpr int kMaxShards = 32767;
// Advisory lock key space of the shard reservations (second key: this | shard).
constexpr uint32 kShardLockSpace = 0x5DA70000;
constexpr int kMaxStatuses = 32;       // values of dialer.call_status / dialer.lead_status
constexpr int kMaxClassSlots = 256;    // dialer.stats_outcome_slots.slot
constexpr int kAttemptSlots = 16;      // attempt numbers 1..15, then 16 or more
constexpr int kLeadAttemptSlots = 17;  // attempts 0..15, then 16 or more
constexpr int kHours = 24;
constexpr int64 kHour = USECS_PER_HOUR;
constexpr int64 kDay = USECS_PER_DAY;

// ---- reference data cached per connection -----------------------------------

// What a call status means for the counters, by name.
enum StatusKind { kInFlight, kCompleted, kFailed, kExpired, kCancelled };

struct EnumValue {
  Oid oid;
  int slot;  // 1-based position in the enum's order (its vector slot)
  StatusKind kind;
};

struct EnumMap {
  int count;
  EnumValue values[kMaxStatuses];
};

// Outcome class flags and vector slot (one row of dialer.outcome_classes).
struct ClassInfo {
  char name[NAMEDATALEN];
  int slot;
  bool answered, human, machine, contact, conversion, abandoned, unknown_result, transport_error;
};

struct ClassCache {
  bool valid;
  int count;
  ClassInfo* classes;  // in TopMemoryContext
};

EnumMap call_statuses;
EnumMap lead_statuses;
ClassCache classes;
bool callback_registered = false;
Oid outcome_classes_relid = InvalidOid;

// Relcache callback: dialer._stats_forget_outcome_classes() invalidates the relcache
// entry of dialer.outcome_classes after its rows change, which reaches every connection.
void ForgetClasses(Datum, Oid relid) {
  if (relid == InvalidOid || relid == outcome_classes_relid) classes.valid = false;
}

// Whether the running trigger firing has connected to SPI (see WithStatementMemory).
bool* spi_connected = nullptr;

// Connects the running firing to SPI on first use. Why lazily: most firings only add to
// counter rows that exist, in place, and run no SQL at all.
void NeedSpi() {
  if (*spi_connected) return;
  MemoryContext context = CurrentMemoryContext;
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  // Why switch back: SPI_connect moved us into its own procedure context.
  MemoryContextSwitchTo(context);
  *spi_connected = true;
}

// Fills map with the values of enum type type_name in their order.
void LoadEnum(const char* type_name, EnumMap* map) {
  NeedSpi();
  char query[256];
  snprintf(query, sizeof query,
           "SELECT e.oid, e.enumlabel::text FROM pg_catalog.pg_enum e "
           "WHERE e.enumtypid = '%s'::regtype ORDER BY e.enumsortorder",
           type_name);
  if (SPI_execute(query, true, 0) != SPI_OK_SELECT || SPI_processed > kMaxStatuses) {
    elog(ERROR, "could not read the values of %s", type_name);
  }
  map->count = 0;
  for (uint64 i = 0; i < SPI_processed; i++) {
    HeapTuple tuple = SPI_tuptable->vals[i];
    bool isnull;
    EnumValue* v = &map->values[map->count++];
    v->oid = DatumGetObjectId(SPI_getbinval(tuple, SPI_tuptable->tupdesc, 1, &isnull));
    v->slot = static_cast<int>(i) + 1;
    char* label = SPI_getvalue(tuple, SPI_tuptable->tupdesc, 2);
    v->kind = strcmp(label, "completed") == 0   ? kCompleted
              : strcmp(label, "failed") == 0    ? kFailed
              : strcmp(label, "expired") == 0   ? kExpired
              : strcmp(label, "cancelled") == 0 ? kCancelled
                                                : kInFlight;
  }
}

// The map entry of an enum value, reloading the map once if the value is new
// (ALTER TYPE ... ADD VALUE).
const EnumValue* FindEnum(EnumMap* map, const char* type_name, Oid oid) {
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < map->count; i++) {
      if (map->values[i].oid == oid) return &map->values[i];
    }
    LoadEnum(type_name, map);
  }
  elog(ERROR, "unknown value %u of %s", oid, type_name);
}

// Loads dialer.outcome_classes with their slots into the cache.
void LoadClasses() {
  NeedSpi();
  if (!callback_registered) {
    CacheRegisterRelcacheCallback(ForgetClasses, (Datum)0);
    callback_registered = true;
  }
  outcome_classes_relid = get_relname_relid("outcome_classes", get_namespace_oid("dialer", false));
  if (SPI_execute(
          "SELECT oc.outcome_class, coalesce(s.slot, 2), oc.answered, oc.human, oc.machine, "
          "oc.contact, oc.conversion, oc.abandoned, oc.unknown_result, oc.transport_error "
          "FROM dialer.outcome_classes oc "
          "LEFT JOIN dialer.stats_outcome_slots s ON s.outcome_class = oc.outcome_class",
          true, 0) != SPI_OK_SELECT) {
    elog(ERROR, "could not read dialer.outcome_classes");
  }
  if (classes.classes != nullptr) pfree(classes.classes);
  classes.classes = static_cast<ClassInfo*>(
      MemoryContextAllocZero(TopMemoryContext, sizeof(ClassInfo) * (SPI_processed + 1)));
  classes.count = 0;
  for (uint64 i = 0; i < SPI_processed; i++) {
    HeapTuple tuple = SPI_tuptable->vals[i];
    TupleDesc desc = SPI_tuptable->tupdesc;
    ClassInfo* c = &classes.classes[classes.count++];
    bool isnull;
    strlcpy(c->name, SPI_getvalue(tuple, desc, 1), NAMEDATALEN);
    c->slot = DatumGetInt32(SPI_getbinval(tuple, desc, 2, &isnull));
    if (c->slot < 1 || c->slot > kMaxClassSlots) {
      ereport(ERROR,
              (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
               errmsg("outcome class \"%s\" has statistics slot %d", c->name, c->slot),
               errdetail("The statistics count at most %d outcome classes.", kMaxClassSlots - 2)));
    }
    bool* flags[] = {&c->answered,   &c->human,     &c->machine,        &c->contact,
                     &c->conversion, &c->abandoned, &c->unknown_result, &c->transport_error};
    for (int f = 0; f < 8; f++) {
      *flags[f] = DatumGetBool(SPI_getbinval(tuple, desc, 3 + f, &isnull));
    }
  }
  classes.valid = true;
}

// The class named by a text datum, or nullptr when dialer.outcome_classes lacks it.
const ClassInfo* FindClass(Datum name) {
  text* t = DatumGetTextPP(name);
  int len = VARSIZE_ANY_EXHDR(t);
  for (int i = 0; i < classes.count; i++) {
    const ClassInfo* c = &classes.classes[i];
    if (static_cast<int>(strlen(c->name)) == len && memcmp(c->name, VARDATA_ANY(t), len) == 0) {
      return c;
    }
  }
  return nullptr;
}

// ---- per-statement accumulation ---------------------------------------------

struct CampaignKey {
  pg_uuid_t tenant;
  pg_uuid_t campaign;
};

// Scalar call counters, in the order of kTotalsColumns from its fourth.
enum CallScalar {
  kCalls,
  kAttempts,
  kFinished,
  kInFlightCalls,
  kAnswered,
  kHuman,
  kMachine,
  kContacts,
  kConversions,
  kAbandoned,
  kPreDial,
  kUnknown,
  kTalkCalls,
  kTalkSeconds,
  kCompletedTimed,
  kCompletedSeconds,
  kCostCalls,
  kCallScalars
};

struct CallTotals {
  CampaignKey key;
  int64 n[kCallScalars];
  Datum cost;  // numeric
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

// Bucket counters, in the order of kBucketColumns from its sixth.
enum BucketScalar {
  kBAttempts,
  kBFinished,
  kBAnswered,
  kBHuman,
  kBMachine,
  kBContacts,
  kBConversions,
  kBAbandoned,
  kBTalkCalls,
  kBTalkSeconds,
  kBucketScalars
};

struct BucketKey {
  CampaignKey campaign;
  TimestampTz start;
  bool day;
};

struct Bucket {
  BucketKey key;
  int64 n[kBucketScalars];
  Datum cost;
};

struct ContactKey {
  CampaignKey campaign;
  pg_uuid_t lead;
  int32 attempt;
};

struct ContactChange {
  ContactKey key;
  int64 weight;
};

struct LeadTotals {
  CampaignKey key;
  int64 leads;
  int64 attempts;
  int64 by_status[kMaxStatuses];
  int64 by_attempts[kLeadAttemptSlots];
};

// A dynahash table of fixed-size binary keys in the current memory context, sized for the
// common statement: one campaign, two buckets.
// Why so small: dynahash allocates entries in batches of at least 32 unless the expected
// size is below that, when it allocates exactly that many. A call-totals entry is 4 kB, so
// an expected 64 made every firing allocate 256 kB (63 entries) to use one.
HTAB* NewTable(const char* name, Size keysize, Size entrysize) {
  HASHCTL ctl;
  memset(&ctl, 0, sizeof ctl);
  ctl.keysize = keysize;
  ctl.entrysize = entrysize;
  ctl.hcxt = CurrentMemoryContext;
  return hash_create(name, 2, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

Datum zero_numeric;

// cost += weight * value (numeric).
Datum AddCost(Datum cost, Datum value, int weight) {
  return DirectFunctionCall2(weight > 0 ? numeric_add : numeric_sub, cost, value);
}

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

// Column numbers of dialer.calls read by the calls trigger.
struct CallColumns {
  int tenant, campaign, lead, status, outcome, attempt, duration, cost, claimed, started, created,
      zone;
};

struct CallAccumulator {
  HTAB* totals;
  HTAB* buckets;
  HTAB* contacts;
  CallColumns col;
};

// Adds weight * one to the bucket of (campaign, start, day).
void AddToBucket(CallAccumulator* acc, const CampaignKey* campaign, TimestampTz start, bool day,
                 const bool* flags, int weight, int64 seconds, bool has_cost, Datum cost) {
  BucketKey key;
  memset(&key, 0, sizeof key);
  key.campaign = *campaign;
  key.start = start;
  key.day = day;
  bool found;
  Bucket* b = static_cast<Bucket*>(hash_search(acc->buckets, &key, HASH_ENTER, &found));
  if (!found) {
    memset(b->n, 0, sizeof b->n);
    b->cost = zero_numeric;
  }
  for (int i = 0; i < kBTalkSeconds; i++) {
    if (flags[i]) b->n[i] += weight;
  }
  if (flags[kBTalkCalls]) b->n[kBTalkSeconds] += weight * seconds;
  if (has_cost) b->cost = AddCost(b->cost, cost, weight);
}

// Adds one call row, with weight +1 (new) or -1 (old), to the accumulator.
void AddCall(CallAccumulator* acc, TupleTableSlot* slot, int weight) {
  const CallColumns& c = acc->col;
  bool isnull;
  Datum campaign = slot_getattr(slot, c.campaign, &isnull);
  if (isnull) return;  // calls outside campaigns are not counted
  CampaignKey key;
  memset(&key, 0, sizeof key);
  key.tenant = *DatumGetUUIDP(slot_getattr(slot, c.tenant, &isnull));
  key.campaign = *DatumGetUUIDP(campaign);

  const EnumValue* status = FindEnum(&call_statuses, "dialer.call_status",
                                     DatumGetObjectId(slot_getattr(slot, c.status, &isnull)));
  Datum outcome = slot_getattr(slot, c.outcome, &isnull);
  const ClassInfo* cls = isnull ? nullptr : FindClass(outcome);
  int class_slot = isnull ? 1 : (cls == nullptr ? 2 : cls->slot);
  int32 attempt = DatumGetInt32(slot_getattr(slot, c.attempt, &isnull));
  int attempt_slot = attempt < kAttemptSlots ? attempt : kAttemptSlots;
  bool has_duration;
  Datum duration_datum = slot_getattr(slot, c.duration, &isnull);
  has_duration = !isnull;
  int64 seconds = has_duration ? DatumGetInt32(duration_datum) : 0;
  Datum cost = slot_getattr(slot, c.cost, &isnull);
  bool has_cost = !isnull;
  Datum at = slot_getattr(slot, c.claimed, &isnull);
  if (isnull) at = slot_getattr(slot, c.started, &isnull);
  if (isnull) at = slot_getattr(slot, c.created, &isnull);
  TimestampTz when = DatumGetTimestampTz(at);
  Datum zone = slot_getattr(slot, c.zone, &isnull);
  int hour = isnull ? -1 : LocalHour(when, zone);

  bool answered = cls != nullptr && cls->answered;
  bool transport = cls != nullptr && cls->transport_error;
  bool contact = cls != nullptr && cls->contact;
  bool conversion = cls != nullptr && cls->conversion;
  bool is_attempt = status->kind != kCancelled && !transport;
  bool finished =
      (status->kind == kCompleted || status->kind == kFailed || status->kind == kExpired) &&
      !transport;
  bool talk = answered && has_duration;
  int talk_bucket = -1;
  if (talk) talk_bucket = dialer::pg::Guard([&] { return dialer::stats::TalkBucket(seconds); });

  bool found;
  CallTotals* t = static_cast<CallTotals*>(hash_search(acc->totals, &key, HASH_ENTER, &found));
  if (!found) {
    memset(reinterpret_cast<char*>(t) + sizeof(CampaignKey), 0,
           sizeof(CallTotals) - sizeof(CampaignKey));
    t->cost = zero_numeric;
  }
  const bool scalar[kCallScalars] = {true,
                                     is_attempt,
                                     finished,
                                     status->kind == kInFlight,
                                     answered,
                                     cls != nullptr && cls->human,
                                     cls != nullptr && cls->machine,
                                     contact,
                                     conversion,
                                     cls != nullptr && cls->abandoned,
                                     transport,
                                     cls != nullptr && cls->unknown_result,
                                     talk,
                                     false,
                                     status->kind == kCompleted && has_duration,
                                     false,
                                     has_cost};
  for (int i = 0; i < kCallScalars; i++) {
    if (scalar[i]) t->n[i] += weight;
  }
  if (talk) t->n[kTalkSeconds] += weight * seconds;
  if (status->kind == kCompleted && has_duration) t->n[kCompletedSeconds] += weight * seconds;
  if (has_cost) t->cost = AddCost(t->cost, cost, weight);
  t->by_status[status->slot - 1] += weight;
  t->by_class[class_slot - 1] += weight;
  if (talk) t->talk[talk_bucket] += weight;
  if (finished) t->finished_by_attempt[attempt_slot - 1] += weight;
  if (contact) t->contacts_by_attempt[attempt_slot - 1] += weight;
  if (conversion) t->conversions_by_attempt[attempt_slot - 1] += weight;
  if (hour >= 0) {
    if (finished) t->finished_by_hour[hour] += weight;
    if (answered) t->answered_by_hour[hour] += weight;
    if (contact) t->contacts_by_hour[hour] += weight;
    if (conversion) t->conversions_by_hour[hour] += weight;
  }

  const bool bucket_flags[kBucketScalars] = {is_attempt,
                                             finished,
                                             answered,
                                             cls != nullptr && cls->human,
                                             cls != nullptr && cls->machine,
                                             contact,
                                             conversion,
                                             cls != nullptr && cls->abandoned,
                                             talk,
                                             false};
  AddToBucket(acc, &key, Truncate(when, kHour), false, bucket_flags, weight, seconds, has_cost,
              cost);
  AddToBucket(acc, &key, Truncate(when, kDay), true, bucket_flags, weight, seconds, has_cost, cost);

  Datum lead = slot_getattr(slot, c.lead, &isnull);
  if (contact && !isnull) {
    ContactKey ck;
    memset(&ck, 0, sizeof ck);
    ck.campaign = key;
    ck.lead = *DatumGetUUIDP(lead);
    ck.attempt = attempt;
    ContactChange* change =
        static_cast<ContactChange*>(hash_search(acc->contacts, &ck, HASH_ENTER, &found));
    if (!found) change->weight = 0;
    change->weight += weight;
  }
}

// Reads every row of a transition table into the accumulator with the given weight.
template <typename Add, typename Acc>
void ReadTransitionTable(Tuplestorestate* store, TupleDesc desc, Acc* acc, int weight, Add add) {
  if (store == nullptr) return;
  // Why a read pointer of our own: other triggers of the statement read the same store.
  int pointer = tuplestore_alloc_read_pointer(store, EXEC_FLAG_REWIND);
  tuplestore_select_read_pointer(store, pointer);
  tuplestore_rescan(store);
  TupleTableSlot* slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
  while (tuplestore_gettupleslot(store, true, false, slot)) {
    CHECK_FOR_INTERRUPTS();
    add(acc, slot, weight);
  }
  ExecDropSingleTupleTableSlot(slot);
}

// ---- shards --------------------------------------------------------------------

// The counter shard this transaction writes a campaign's deltas to, reserved with a
// transaction-level advisory lock on (campaign, shard): concurrent transactions never
// share a shard row, so the statistics add no row-lock waits (nor deadlocks) to the
// queue's. The search starts at the backend's own shard, so a transaction that comes
// back to a campaign finds the shard it already holds. When more than kShards writers
// hold shards of the campaign, the next one takes a shard past kShards: it never waits.
// Why the backend id and not the pid: backend ids of live backends are distinct and
// dense (1, 2, 3, ...), so up to kShards writers start on distinct shards and reserve
// at the first try; pids modulo kShards collide (16 writers: almost surely), and every
// extra try is a trip through the shared lock table.
int ReserveShard(const CampaignKey* key) {
  uint32 campaign_hash = hash_bytes(reinterpret_cast<const unsigned char*>(key), sizeof *key);
  int start = (MyBackendId > 0 ? MyBackendId : MyProcPid) % kShards;
  LOCKTAG tag;
  // Why try-only, past kShards when needed: waiting here would wait while the caller
  // holds row locks (a claim's lead and slots), and the holder of the shard could be
  // waiting for one of them (a deadlock, seen with 64 workers). Each concurrent writer
  // holds at most one shard per campaign, so a free one exists among the first
  // MaxBackends + kShards; a shard past kShards is just one more counter row to sum.
  for (int i = 0; i < kMaxShards; i++) {
    int shard = i < kShards ? (start + i) % kShards : i;
    SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, campaign_hash, kShardLockSpace | shard, 2);
    if (LockAcquire(&tag, ExclusiveLock, false, true) != LOCKACQUIRE_NOT_AVAIL) return shard;
  }
  ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                  errmsg("pg_dialer: no free statistics shard among %d", kMaxShards)));
}

// ---- applying the changes ------------------------------------------------------

// A bigint[] of the first n elements of v without its trailing zeros.
Datum Vector(const int64* v, int n) {
  while (n > 0 && v[n - 1] == 0) n--;
  if (n == 0) return PointerGetDatum(construct_empty_array(INT8OID));
  Datum* items = static_cast<Datum*>(palloc(sizeof(Datum) * n));
  for (int i = 0; i < n; i++) items[i] = Int64GetDatum(v[i]);
  return PointerGetDatum(
      construct_array(items, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

bool AllZero(const int64* v, int n) {
  for (int i = 0; i < n; i++) {
    if (v[i] != 0) return false;
  }
  return true;
}

bool IsZero(Datum numeric) {
  return DatumGetBool(DirectFunctionCall2(numeric_eq, numeric, zero_numeric));
}

// Prepares (once per connection) and returns a kept plan.
SPIPlanPtr Prepare(SPIPlanPtr* cache, const char* query, int nargs, const Oid* types) {
  NeedSpi();
  if (*cache == nullptr) {
    SPIPlanPtr plan = SPI_prepare(query, nargs, const_cast<Oid*>(types));
    if (plan == nullptr)
      elog(ERROR, "could not prepare a statistics statement: %s",
           SPI_result_code_string(SPI_result));
    if (SPI_keepplan(plan) != 0) elog(ERROR, "could not keep a statistics statement");
    *cache = plan;
  }
  return *cache;
}

// Runs a kept plan with all parameters non-null.
void Run(SPIPlanPtr plan, Datum* values) {
  NeedSpi();
  int rc = SPI_execute_plan(plan, values, nullptr, false, 0);
  if (rc < 0) elog(ERROR, "statistics statement failed: %s", SPI_result_code_string(rc));
}

const char* const kFirstContacts = "SELECT dialer._stats_update_first_contacts($1, $2, $3, $4)";

// The common case of a first contact: the lead's first contact call. The row is created
// only if the lead has none (ON CONFLICT DO NOTHING); when it is, the lead counters move
// by kFirstContactTable as _stats_update_first_contacts would move them.
const char* const kFirstContactInsert =
    "INSERT INTO dialer.lead_first_contacts (tenant_id, campaign_id, lead_id, attempt_number) "
    "SELECT $1, $2, $3, $4 "
    "WHERE EXISTS (SELECT 1 FROM dialer.campaigns c WHERE c.tenant_id = $1 AND c.id = $2) "
    "ON CONFLICT DO NOTHING";

SPIPlanPtr totals_plan, bucket_plan, lead_plan, first_contact_plan, first_contacts_plan,
    first_contact_insert_plan;

// The counter tables, each column in the order of the trigger's parameter values: the
// in-place addition (stats_in_place.cpp) and the upsert that creates a missing row are
// both derived from these.
const char* const kTotalsColumns[] = {"tenant_id",
                                      "campaign_id",
                                      "shard",
                                      "calls",
                                      "attempts",
                                      "finished",
                                      "in_flight",
                                      "answered",
                                      "human",
                                      "machine",
                                      "contacts",
                                      "conversions",
                                      "abandoned",
                                      "pre_dial_rejections",
                                      "unknown_results",
                                      "talk_calls",
                                      "talk_seconds",
                                      "completed_timed_calls",
                                      "completed_seconds",
                                      "cost_calls",
                                      "cost",
                                      "by_status",
                                      "by_class",
                                      "talk_histogram",
                                      "finished_by_attempt",
                                      "contacts_by_attempt",
                                      "conversions_by_attempt",
                                      "finished_by_local_hour",
                                      "answered_by_local_hour",
                                      "contacts_by_local_hour",
                                      "conversions_by_local_hour"};
const dialer::stats::CounterTable kTotalsTable = {"campaign_call_stats", kTotalsColumns,
                                                  "kkkiiiiiiiiiiiiiiiiinvvvvvvvvvv", 31, 3};

const char* const kBucketColumns[] = {"tenant_id", "campaign_id", "granularity",  "bucket_start",
                                      "shard",     "attempts",    "finished",     "answered",
                                      "human",     "machine",     "contacts",     "conversions",
                                      "abandoned", "talk_calls",  "talk_seconds", "cost"};
const dialer::stats::CounterTable kBucketTable = {"campaign_call_buckets", kBucketColumns,
                                                  "kkkkkiiiiiiiiiin", 16, 5};

const char* const kLeadColumns[] = {"tenant_id", "campaign_id", "shard",      "leads",
                                    "attempts",  "by_status",   "by_attempts"};
const dialer::stats::CounterTable kLeadTable = {"campaign_lead_stats", kLeadColumns, "kkkiivv", 7,
                                                3};
// A lead's first contact: one more contacted lead, reached at attempt n.
const char* const kFirstContactColumns[] = {"tenant_id",       "campaign_id",
                                            "shard",           "contacted_leads",
                                            "first_contact_attempts", "by_first_contact"};
const dialer::stats::CounterTable kFirstContactTable = {"campaign_lead_stats", kFirstContactColumns,
                                                        "kkkiiv", 6, 3};
static_assert(sizeof kTotalsColumns / sizeof *kTotalsColumns == 31,
              "one column per totals parameter");
static_assert(sizeof kBucketColumns / sizeof *kBucketColumns == 16,
              "one column per bucket parameter");
static_assert(sizeof kLeadColumns / sizeof *kLeadColumns == 7, "one column per lead parameter");
static_assert(sizeof kFirstContactColumns / sizeof *kFirstContactColumns == 6,
              "one column per first-contact parameter");

// Adds one row's deltas: in place when the counter row exists, else by the table's upsert
// (prepared on first use into *plan).
void AddToCounters(const dialer::stats::CounterTable& table, SPIPlanPtr* plan, const Oid* types,
                   Datum* values) {
  if (dialer::stats::AddToCounterRow(table, values)) return;
  if (*plan == nullptr)
    Prepare(plan, dialer::stats::CounterUpsertSql(table), table.ncolumns, types);
  Run(*plan, values);
}

// Orders entries by their leading binary key (so writers sharing a shard lock counter
// rows in the same order).
template <typename Entry>
Entry** Sorted(HTAB* table, long* count, int (*compare)(const void*, const void*)) {
  *count = hash_get_num_entries(table);
  Entry** entries = static_cast<Entry**>(palloc(sizeof(Entry*) * (*count + 1)));
  HASH_SEQ_STATUS status;
  hash_seq_init(&status, table);
  long i = 0;
  for (Entry* e; (e = static_cast<Entry*>(hash_seq_search(&status))) != nullptr;) entries[i++] = e;
  qsort(entries, *count, sizeof(Entry*), compare);
  return entries;
}

int CompareCampaigns(const void* a, const void* b) {
  return memcmp(*static_cast<CampaignKey* const*>(a), *static_cast<CampaignKey* const*>(b),
                sizeof(CampaignKey));
}

int CompareBuckets(const void* a, const void* b) {
  const BucketKey* x = &(*static_cast<Bucket* const*>(a))->key;
  const BucketKey* y = &(*static_cast<Bucket* const*>(b))->key;
  int c = memcmp(&x->campaign, &y->campaign, sizeof(CampaignKey));
  if (c != 0) return c;
  if (x->day != y->day) return x->day ? -1 : 1;  // 'day' sorts before 'hour'
  return x->start < y->start ? -1 : (x->start > y->start ? 1 : 0);
}

// The one contact change of a statement when it is a lead's new contact call (weight
// +1), else null.
ContactChange* SingleNewContact(CallAccumulator* acc) {
  ContactChange* single = nullptr;
  HASH_SEQ_STATUS status;
  hash_seq_init(&status, acc->contacts);
  for (ContactChange* c; (c = static_cast<ContactChange*>(hash_seq_search(&status))) != nullptr;) {
    if (c->weight == 0) continue;
    if (single != nullptr || c->weight != 1) {
      hash_seq_term(&status);
      return nullptr;
    }
    single = c;
  }
  return single;
}

// The fast path of first contacts: true when the statement's only contact change was
// the lead's first contact call and it has been counted; false when the general
// recount (_stats_update_first_contacts) must run.
// Why it is exact: a lead_first_contacts row exists exactly when the lead has a contact
// call, so creating it proves this call is the only one, hence the first. A concurrent
// writer of another contact call of the lead waits on the row's unique key and then
// finds it (its own insert does nothing) and takes the general path, which sees both
// calls. Only under READ COMMITTED: at higher isolation the general path adds the
// serialization checks a snapshot older than the statement needs.
bool TryFirstContact(CallAccumulator* acc) {
  if (XactIsoLevel != XACT_READ_COMMITTED) return false;
  ContactChange* c = SingleNewContact(acc);
  if (c == nullptr || c->key.attempt < 1) return false;
  static const Oid insert_types[4] = {UUIDOID, UUIDOID, UUIDOID, INT4OID};
  Datum row[4];
  row[0] = UUIDPGetDatum(&c->key.campaign.tenant);
  row[1] = UUIDPGetDatum(&c->key.campaign.campaign);
  row[2] = UUIDPGetDatum(&c->key.lead);
  row[3] = Int32GetDatum(c->key.attempt);
  Run(Prepare(&first_contact_insert_plan, kFirstContactInsert, 4, insert_types), row);
  if (SPI_processed != 1) return false;  // the lead had a contact (or the campaign is gone)
  static const Oid types[6] = {UUIDOID, UUIDOID, INT2OID, INT8OID, INT8OID, INT8ARRAYOID};
  int64 by_attempt[kAttemptSlots] = {0};
  by_attempt[(c->key.attempt < kAttemptSlots ? c->key.attempt : kAttemptSlots) - 1] = 1;
  Datum v[6];
  v[0] = row[0];
  v[1] = row[1];
  v[2] = Int16GetDatum(ReserveShard(&c->key.campaign));
  v[3] = Int64GetDatum(1);
  v[4] = Int64GetDatum(c->key.attempt);
  v[5] = Vector(by_attempt, kAttemptSlots);
  AddToCounters(kFirstContactTable, &first_contact_plan, types, v);
  return true;
}

// Writes the accumulated call changes: totals, buckets, then first contacts.
void ApplyCalls(CallAccumulator* acc) {
  long count;
  CallTotals** totals = Sorted<CallTotals>(acc->totals, &count, CompareCampaigns);
  static const Oid totals_types[31] = {
      UUIDOID,      UUIDOID,      INT2OID,      INT8OID,      INT8OID,      INT8OID,
      INT8OID,      INT8OID,      INT8OID,      INT8OID,      INT8OID,      INT8OID,
      INT8OID,      INT8OID,      INT8OID,      INT8OID,      INT8OID,      INT8OID,
      INT8OID,      INT8OID,      NUMERICOID,   INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID,
      INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID,
      INT8ARRAYOID};
  for (long i = 0; i < count; i++) {
    CallTotals* t = totals[i];
    // An update that moved no counter (a transcript, a lease) writes nothing.
    if (AllZero(t->n, kCallScalars) && IsZero(t->cost) &&
        AllZero(t->by_status,
                (sizeof(CallTotals) - offsetof(CallTotals, by_status)) / sizeof(int64))) {
      continue;
    }
    Datum v[31];
    v[0] = UUIDPGetDatum(&t->key.tenant);
    v[1] = UUIDPGetDatum(&t->key.campaign);
    v[2] = Int16GetDatum(ReserveShard(&t->key));
    for (int s = 0; s < kCallScalars; s++) v[3 + s] = Int64GetDatum(t->n[s]);
    v[20] = t->cost;
    v[21] = Vector(t->by_status, kMaxStatuses);
    v[22] = Vector(t->by_class, kMaxClassSlots);
    v[23] = Vector(t->talk, dialer::stats::kTalkBuckets);
    v[24] = Vector(t->finished_by_attempt, kAttemptSlots);
    v[25] = Vector(t->contacts_by_attempt, kAttemptSlots);
    v[26] = Vector(t->conversions_by_attempt, kAttemptSlots);
    v[27] = Vector(t->finished_by_hour, kHours);
    v[28] = Vector(t->answered_by_hour, kHours);
    v[29] = Vector(t->contacts_by_hour, kHours);
    v[30] = Vector(t->conversions_by_hour, kHours);
    AddToCounters(kTotalsTable, &totals_plan, totals_types, v);
  }

  Bucket** buckets = Sorted<Bucket>(acc->buckets, &count, CompareBuckets);
  static const Oid bucket_types[16] = {UUIDOID, UUIDOID, TEXTOID, TIMESTAMPTZOID, INT2OID, INT8OID,
                                       INT8OID, INT8OID, INT8OID, INT8OID,        INT8OID, INT8OID,
                                       INT8OID, INT8OID, INT8OID, NUMERICOID};
  Datum hour_text = CStringGetTextDatum("hour");
  Datum day_text = CStringGetTextDatum("day");
  for (long i = 0; i < count; i++) {
    Bucket* b = buckets[i];
    // A status change that moves no bucket counter (claimed -> dialing) writes nothing.
    if (AllZero(b->n, kBucketScalars) && IsZero(b->cost)) continue;
    Datum v[16];
    v[0] = UUIDPGetDatum(&b->key.campaign.tenant);
    v[1] = UUIDPGetDatum(&b->key.campaign.campaign);
    v[2] = b->key.day ? day_text : hour_text;
    v[3] = TimestampTzGetDatum(b->key.start);
    v[4] = Int16GetDatum(ReserveShard(&b->key.campaign));
    for (int s = 0; s < kBucketScalars; s++) v[5 + s] = Int64GetDatum(b->n[s]);
    v[15] = b->cost;
    AddToCounters(kBucketTable, &bucket_plan, bucket_types, v);
  }

  // Leads whose contact calls changed (a net change at some attempt number).
  long changes = hash_get_num_entries(acc->contacts);
  if (changes == 0 || TryFirstContact(acc)) return;
  Datum* tenants = static_cast<Datum*>(palloc(sizeof(Datum) * changes));
  Datum* campaigns = static_cast<Datum*>(palloc(sizeof(Datum) * changes));
  Datum* leads = static_cast<Datum*>(palloc(sizeof(Datum) * changes));
  Datum* shards = static_cast<Datum*>(palloc(sizeof(Datum) * changes));
  int n = 0;
  HASH_SEQ_STATUS status;
  hash_seq_init(&status, acc->contacts);
  for (ContactChange* c; (c = static_cast<ContactChange*>(hash_seq_search(&status))) != nullptr;) {
    if (c->weight == 0) continue;
    tenants[n] = UUIDPGetDatum(&c->key.campaign.tenant);
    campaigns[n] = UUIDPGetDatum(&c->key.campaign.campaign);
    leads[n] = UUIDPGetDatum(&c->key.lead);
    shards[n] = Int16GetDatum(ReserveShard(&c->key.campaign));
    n++;
  }
  if (n == 0) return;
  static const Oid first_types[4] = {UUIDARRAYOID, UUIDARRAYOID, UUIDARRAYOID, INT2ARRAYOID};
  Datum v[4];
  v[0] = PointerGetDatum(construct_array(tenants, n, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
  v[1] = PointerGetDatum(construct_array(campaigns, n, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
  v[2] = PointerGetDatum(construct_array(leads, n, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
  v[3] = PointerGetDatum(construct_array(shards, n, INT2OID, sizeof(int16), true, TYPALIGN_SHORT));
  Run(Prepare(&first_contacts_plan, kFirstContacts, 4, first_types), v);
}

// Checks that the function is fired as the statistics triggers are declared.
TriggerData* CheckTrigger(FunctionCallInfo fcinfo, const char* name) {
  if (!CALLED_AS_TRIGGER(fcinfo)) {
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("%s() must be fired as a trigger", name)));
  }
  TriggerData* trigdata = reinterpret_cast<TriggerData*>(fcinfo->context);
  if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) ||
      !TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event) ||
      (trigdata->tg_oldtable == nullptr && trigdata->tg_newtable == nullptr)) {
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("%s() must be fired AFTER ... FOR EACH STATEMENT with transition tables",
                           name)));
  }
  return trigdata;
}

// Runs body in a statement-lived memory context, with SPI connected on first use
// (NeedSpi) and finished at the end. After an error, the abort cleans up SPI, and the
// next firing sets spi_connected again.
template <typename Body>
void WithStatementMemory(Body body) {
  MemoryContext context =
      AllocSetContextCreate(CurrentMemoryContext, "dialer statistics", ALLOCSET_DEFAULT_SIZES);
  MemoryContext old = MemoryContextSwitchTo(context);
  bool connected = false;
  spi_connected = &connected;
  if (zero_numeric == 0) {
    MemoryContext top = MemoryContextSwitchTo(TopMemoryContext);
    zero_numeric = DirectFunctionCall1(int4_numeric, Int32GetDatum(0));
    MemoryContextSwitchTo(top);
  }
  body();
  if (connected) SPI_finish();
  spi_connected = nullptr;
  MemoryContextSwitchTo(old);
  MemoryContextDelete(context);
}

// ---- leads --------------------------------------------------------------------

struct LeadAccumulator {
  HTAB* totals;
  int tenant, campaign, status, attempts;
};

// Adds one lead row, with weight +1 (new) or -1 (old), to the accumulator.
void AddLead(LeadAccumulator* acc, TupleTableSlot* slot, int weight) {
  bool isnull;
  CampaignKey key;
  memset(&key, 0, sizeof key);
  key.tenant = *DatumGetUUIDP(slot_getattr(slot, acc->tenant, &isnull));
  key.campaign = *DatumGetUUIDP(slot_getattr(slot, acc->campaign, &isnull));
  const EnumValue* status = FindEnum(&lead_statuses, "dialer.lead_status",
                                     DatumGetObjectId(slot_getattr(slot, acc->status, &isnull)));
  int32 attempts = DatumGetInt32(slot_getattr(slot, acc->attempts, &isnull));
  bool found;
  LeadTotals* t = static_cast<LeadTotals*>(hash_search(acc->totals, &key, HASH_ENTER, &found));
  if (!found)
    memset(reinterpret_cast<char*>(t) + sizeof(CampaignKey), 0,
           sizeof(LeadTotals) - sizeof(CampaignKey));
  t->leads += weight;
  t->attempts += weight * static_cast<int64>(attempts);
  t->by_status[status->slot - 1] += weight;
  t->by_attempts[attempts < kLeadAttemptSlots - 1 ? attempts : kLeadAttemptSlots - 1] += weight;
}

// Writes the accumulated lead changes.
void ApplyLeads(LeadAccumulator* acc) {
  long count;
  LeadTotals** totals = Sorted<LeadTotals>(acc->totals, &count, CompareCampaigns);
  static const Oid types[7] = {UUIDOID, UUIDOID,      INT2OID,     INT8OID,
                               INT8OID, INT8ARRAYOID, INT8ARRAYOID};
  for (long i = 0; i < count; i++) {
    LeadTotals* t = totals[i];
    // An update that moved no counter (a priority, custom fields) writes nothing.
    if (t->leads == 0 && t->attempts == 0 && AllZero(t->by_status, kMaxStatuses) &&
        AllZero(t->by_attempts, kLeadAttemptSlots)) {
      continue;
    }
    Datum v[7] = {UUIDPGetDatum(&t->key.tenant),
                  UUIDPGetDatum(&t->key.campaign),
                  Int16GetDatum(ReserveShard(&t->key)),
                  Int64GetDatum(t->leads),
                  Int64GetDatum(t->attempts),
                  Vector(t->by_status, kMaxStatuses),
                  Vector(t->by_attempts, kLeadAttemptSlots)};
    AddToCounters(kLeadTable, &lead_plan, types, v);
  }
}

}  // namespace

// dialer._stats_calls_changed() returns trigger: keeps the campaign call counters, hourly and
// daily buckets and first contacts from the statement's transition tables on dialer.calls.
Datum dialer_stats_calls_changed(PG_FUNCTION_ARGS) {
  TriggerData* trigdata = CheckTrigger(fcinfo, "dialer._stats_calls_changed");
  TupleDesc desc = RelationGetDescr(trigdata->tg_relation);
  WithStatementMemory([&] {
    if (call_statuses.count == 0) LoadEnum("dialer.call_status", &call_statuses);
    if (!classes.valid) LoadClasses();
    CallAccumulator acc;
    acc.totals = NewTable("dialer call totals", sizeof(CampaignKey), sizeof(CallTotals));
    acc.buckets = NewTable("dialer call buckets", sizeof(BucketKey), sizeof(Bucket));
    acc.contacts = NewTable("dialer contact changes", sizeof(ContactKey), sizeof(ContactChange));
    acc.col = {dialer::stats::ColumnNumber(desc, "tenant_id"),
               dialer::stats::ColumnNumber(desc, "campaign_id"),
               dialer::stats::ColumnNumber(desc, "lead_id"),
               dialer::stats::ColumnNumber(desc, "status"),
               dialer::stats::ColumnNumber(desc, "outcome_class"),
               dialer::stats::ColumnNumber(desc, "attempt_number"),
               dialer::stats::ColumnNumber(desc, "duration_seconds"),
               dialer::stats::ColumnNumber(desc, "cost"),
               dialer::stats::ColumnNumber(desc, "claimed_at"),
               dialer::stats::ColumnNumber(desc, "started_at"),
               dialer::stats::ColumnNumber(desc, "created_at"),
               dialer::stats::ColumnNumber(desc, "recipient_time_zone")};
    ReadTransitionTable(trigdata->tg_oldtable, desc, &acc, -1, AddCall);
    ReadTransitionTable(trigdata->tg_newtable, desc, &acc, 1, AddCall);
    ApplyCalls(&acc);
  });
  return PointerGetDatum(nullptr);
}

// dialer._stats_leads_changed() returns trigger: keeps the campaign lead counters from the
// statement's transition tables on dialer.leads.
Datum dialer_stats_leads_changed(PG_FUNCTION_ARGS) {
  TriggerData* trigdata = CheckTrigger(fcinfo, "dialer._stats_leads_changed");
  TupleDesc desc = RelationGetDescr(trigdata->tg_relation);
  WithStatementMemory([&] {
    if (lead_statuses.count == 0) LoadEnum("dialer.lead_status", &lead_statuses);
    LeadAccumulator acc;
    acc.totals = NewTable("dialer lead totals", sizeof(CampaignKey), sizeof(LeadTotals));
    acc.tenant = dialer::stats::ColumnNumber(desc, "tenant_id");
    acc.campaign = dialer::stats::ColumnNumber(desc, "campaign_id");
    acc.status = dialer::stats::ColumnNumber(desc, "status");
    acc.attempts = dialer::stats::ColumnNumber(desc, "attempts");
    ReadTransitionTable(trigdata->tg_oldtable, desc, &acc, -1, AddLead);
    ReadTransitionTable(trigdata->tg_newtable, desc, &acc, 1, AddLead);
    ApplyLeads(&acc);
  });
  return PointerGetDatum(nullptr);
}

// dialer._stats_forget_outcome_classes() returns void: makes every connection reload the
// outcome classes its statistics triggers cached (at commit, through a relcache
// invalidation of dialer.outcome_classes); called when their rows change.
Datum dialer_stats_forget_outcome_classes(PG_FUNCTION_ARGS) {
  Oid relid = get_relname_relid("outcome_classes", get_namespace_oid("dialer", false));
  classes.valid = false;
  if (OidIsValid(relid)) CacheInvalidateRelcacheByRelid(relid);
  PG_RETURN_VOID();
}
