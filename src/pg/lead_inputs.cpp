// dialer._lead_schedule_inputs(p_tenant_id, p_lead_id, p_now, p_last_outcome): every input
// of one scheduling decision for one lead, read from the tables by index lookups (the
// lead, its campaign and tenant, the contact, the lead's calls of the last outcome's class,
// the number's calls within the rules' horizon, both suppression lists).
//
// Why in C: it runs twice per queue cycle (the legality re-check at the claim, the next
// attempt at the completion). As an inlined SQL query, more than half of each run was the
// executor starting up its plan (ExecInitNode over eight scans, two aggregates and a
// dozen joins, `perf`, docs/queue.md), work redone on every execution; here each read is
// one index lookup.
//
// Semantics are those of the SQL query 0.6.0 shipped (sql_upgrade/objects/
// dialer._lead_schedule_inputs/), which test/pgtap/lead_schedule_inputs.sql keeps as the
// reference and compares against field by field.
//
// Plain Postgres code throughout (palloc, index scans that may raise): no C++ object with a
// destructor is ever alive here, so an ereport's longjmp skips nothing.
#include <initializer_list>

#include "pg/lead_inputs.hpp"
#include "pg/postgres_includes.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type_d.h"
#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"
#include "utils/uuid.h"

// The module's own SQL-callable functions this one asks, exactly as the SQL query did.
Datum dialer_default_rule_packs(PG_FUNCTION_ARGS);
Datum dialer_phone_timezones(PG_FUNCTION_ARGS);
Datum dialer_phone_area_timezones(PG_FUNCTION_ARGS);
Datum dialer_rule_history_horizon(PG_FUNCTION_ARGS);
}

DIALER_FUNCTION(dialer_lead_schedule_inputs)

namespace {

// ---- the relations, indexes and columns read, found by name once per backend ----------

enum Rel {
  kLeads,
  kCampaigns,
  kTenants,
  kContacts,
  kCalls,
  kSuppressions,
  kGlobalSuppressions,
  kRelCount
};
constexpr const char* kRelNames[kRelCount] = {
    "leads", "campaigns", "tenants", "contacts", "calls", "suppressions", "global_suppressions"};

// Every column read, with its relation.
enum Col {
  kLeadTenant,
  kLeadId,
  kLeadCampaign,
  kLeadPhone,
  kLeadAttempts,
  kLeadLastAttempt,
  kLeadLastOutcome,
  kLeadReleased,
  kCampaignTenant,
  kCampaignId,
  kCampaignPolicy,
  kCampaignPrecision,
  kCampaignZone,
  kCampaignWindows,
  kCampaignPacks,
  kCampaignAiVoice,
  kCampaignStart,
  kCampaignEnd,
  kTenantId,
  kTenantZone,
  kContactTenant,
  kContactPhone,
  kContactZone,
  kContactWindows,
  kContactConsent,
  kContactRevoked,
  kCallTenant,
  kCallLead,
  kCallPhone,
  kCallOutcome,
  kCallStatus,
  kCallClaimed,
  kCallStarted,
  kCallEnded,
  kSuppressionTenant,
  kSuppressionPhone,
  kSuppressionExpires,
  kGlobalPhone,
  kGlobalExpires,
  kColCount
};
struct ColumnSpec {
  Rel rel;
  const char* name;
};
constexpr ColumnSpec kColumns[kColCount] = {
    {kLeads, "tenant_id"},
    {kLeads, "id"},
    {kLeads, "campaign_id"},
    {kLeads, "phone"},
    {kLeads, "attempts"},
    {kLeads, "last_attempt_at"},
    {kLeads, "last_outcome_class"},
    {kLeads, "released_at"},
    {kCampaigns, "tenant_id"},
    {kCampaigns, "id"},
    {kCampaigns, "retry_policy"},
    {kCampaigns, "zone_precision"},
    {kCampaigns, "time_zone"},
    {kCampaigns, "calling_windows"},
    {kCampaigns, "rule_packs"},
    {kCampaigns, "uses_ai_voice"},
    {kCampaigns, "schedule_start"},
    {kCampaigns, "schedule_end"},
    {kTenants, "id"},
    {kTenants, "default_time_zone"},
    {kContacts, "tenant_id"},
    {kContacts, "phone"},
    {kContacts, "time_zone"},
    {kContacts, "calling_windows"},
    {kContacts, "consent_ai_voice_at"},
    {kContacts, "consent_revoked_at"},
    {kCalls, "tenant_id"},
    {kCalls, "lead_id"},
    {kCalls, "phone"},
    {kCalls, "outcome_class"},
    {kCalls, "status"},
    {kCalls, "claimed_at"},
    {kCalls, "started_at"},
    {kCalls, "ended_at"},
    {kSuppressions, "tenant_id"},
    {kSuppressions, "phone"},
    {kSuppressions, "expires_at"},
    {kGlobalSuppressions, "phone"},
    {kGlobalSuppressions, "expires_at"},
};

// The indexes searched, and the leading key columns each must have (checked when found,
// so a differently built index fails loudly instead of answering wrongly).
enum Ix {
  kLeadsPkey,
  kCampaignsPkey,
  kTenantsPkey,
  kContactsPhone,
  kCallsLead,
  kCallsPhone,
  kSuppressionsPhone,
  kGlobalPkey,
  kIxCount
};
// A key column and the equality operator's function of its type (uuid or text).
struct KeySpec {
  Col col;
  RegProcedure eq;
};
constexpr KeySpec kUuid(Col c) { return KeySpec{c, F_UUID_EQ}; }
constexpr KeySpec kText(Col c) { return KeySpec{c, F_TEXTEQ}; }
struct IndexSpec {
  Rel rel;
  const char* name;
  int nkeys;
  KeySpec keys[3];
};
constexpr IndexSpec kIndexes[kIxCount] = {
    {kLeads, "leads_pkey", 2, {kUuid(kLeadTenant), kUuid(kLeadId)}},
    {kCampaigns, "campaigns_pkey", 2, {kUuid(kCampaignTenant), kUuid(kCampaignId)}},
    {kTenants, "tenants_pkey", 1, {kUuid(kTenantId)}},
    {kContacts, "contacts_tenant_id_phone_key", 2, {kUuid(kContactTenant), kText(kContactPhone)}},
    {kCalls, "calls_lead_idx", 2, {kUuid(kCallTenant), kUuid(kCallLead)}},
    // The third key, claimed_at, is a range (ReadHistory keys it itself).
    {kCalls,
     "calls_phone_idx",
     3,
     {kUuid(kCallTenant), kText(kCallPhone), {kCallClaimed, InvalidOid}}},
    {kSuppressions,
     "suppressions_tenant_id_phone_key",
     2,
     {kUuid(kSuppressionTenant), kText(kSuppressionPhone)}},
    {kGlobalSuppressions, "global_suppressions_pkey", 1, {kText(kGlobalPhone)}},
};

// The fields of dialer.schedule_inputs, in their declared order (sql_src/30_schedule.sql).
enum Field {
  kFLeadId,
  kFRetryPolicy,
  kFZones,
  kFAttempts,
  kFLastOutcome,
  kFClassAttempts,
  kFLastAttemptAt,
  kFRecentCalls,
  kFLastAbandonedAt,
  kFLastRefusalAt,
  kFCallingWindows,
  kFContactWindows,
  kFRulePacks,
  kFSuppressed,
  kFArtificialVoice,
  kFHasConsent,
  kFCampaignStartsAt,
  kFCampaignEndsAt,
  kFieldCount
};
static_assert(kFieldCount == dialer::pg::kScheduleInputCount, "lead_inputs.hpp's count");
static_assert(kFZones == dialer::pg::kScheduleInputZones, "lead_inputs.hpp's zones field");
constexpr const char* kFieldNames[kFieldCount] = {
    "lead_id",         "retry_policy",       "zones",
    "attempts",        "last_outcome",       "class_attempts",
    "last_attempt_at", "recent_calls",       "last_abandoned_at",
    "last_refusal_at", "calling_windows",    "contact_windows",
    "rule_packs",      "suppressed",         "artificial_voice",
    "has_consent",     "campaign_starts_at", "campaign_ends_at"};

// What was found, per backend. Plain data: the invalidation callback writes it.
struct Catalog {
  bool callback_registered = false;
  uint64_t invalidations = 1;  // bumped by the callback; starts ahead of read_at
  uint64_t read_at = 0;        // invalidations when last filled
  Oid rel[kRelCount] = {};
  Oid index[kIxCount] = {};
  AttrNumber att[kColCount] = {};
  Oid status_cancelled = InvalidOid;  // the labels of dialer.call_status compared with
  Oid status_claimed = InvalidOid;
};
Catalog g_cat;

// Relcache invalidation callback: any change to a relation read (or a cache reset,
// InvalidOid) makes the next call look everything up again. Must not fail.
void OnRelcacheInvalidation(Datum, Oid relid) {
  if (relid == InvalidOid) {
    ++g_cat.invalidations;
    return;
  }
  for (Oid r : g_cat.rel) {
    if (r == relid) ++g_cat.invalidations;
  }
  for (Oid r : g_cat.index) {
    if (r == relid) ++g_cat.invalidations;
  }
}

// Raises the error for a schema that is not the one this function reads.
[[noreturn]] void SchemaMismatch(const char* what, const char* name) {
  ereport(ERROR,
          (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
           errmsg("pg_dialer: %s dialer.%s is missing or changed", what, name),
           errhint("Run ALTER EXTENSION pg_dialer UPDATE; do not alter the extension's tables.")));
}

// Checks that index ix's leading key columns are the ones its spec names.
void CheckIndexKeys(Ix ix) {
  HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(g_cat.index[ix]));
  if (!HeapTupleIsValid(tup)) SchemaMismatch("index", kIndexes[ix].name);
  auto* form = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
  bool ok =
      form->indrelid == g_cat.rel[kIndexes[ix].rel] && form->indnkeyatts >= kIndexes[ix].nkeys;
  for (int k = 0; ok && k < kIndexes[ix].nkeys; ++k) {
    ok = form->indkey.values[k] == g_cat.att[kIndexes[ix].keys[k].col];
  }
  ReleaseSysCache(tup);
  if (!ok) SchemaMismatch("index", kIndexes[ix].name);
}

// Looks up every relation, column, index and label (after an invalidation).
void FillCatalog() {
  if (!g_cat.callback_registered) {
    CacheRegisterRelcacheCallback(OnRelcacheInvalidation, Datum(0));
    g_cat.callback_registered = true;
  }
  // Why remember the count first: an invalidation during the look-ups must cause another.
  const uint64_t seen = g_cat.invalidations;
  const Oid ns = get_namespace_oid("dialer", false);
  for (int r = 0; r < kRelCount; ++r) {
    g_cat.rel[r] = get_relname_relid(kRelNames[r], ns);
    if (!OidIsValid(g_cat.rel[r])) SchemaMismatch("table", kRelNames[r]);
  }
  for (int c = 0; c < kColCount; ++c) {
    g_cat.att[c] = get_attnum(g_cat.rel[kColumns[c].rel], kColumns[c].name);
    if (g_cat.att[c] == InvalidAttrNumber) SchemaMismatch("column of", kRelNames[kColumns[c].rel]);
  }
  for (int i = 0; i < kIxCount; ++i) {
    g_cat.index[i] = get_relname_relid(kIndexes[i].name, ns);
    if (!OidIsValid(g_cat.index[i])) SchemaMismatch("index", kIndexes[i].name);
    CheckIndexKeys(static_cast<Ix>(i));
  }
  const Oid status_type = get_atttype(g_cat.rel[kCalls], g_cat.att[kCallStatus]);
  g_cat.status_cancelled = dialer::pg::EnumLabelOid(status_type, "cancelled");
  g_cat.status_claimed = dialer::pg::EnumLabelOid(status_type, "claimed");
  g_cat.read_at = seen;
}

// ---- index lookups -----------------------------------------------------------------------

// One index scan over a relation, under the statement's snapshot.
struct Lookup {
  Relation heap;
  Relation index;
  IndexScanDesc scan;
  TupleTableSlot* slot;
  ScanKeyData keys[4];  // the most any lookup uses (the history: 4)
  int nkeys;
};

// Opens index ix and its table (AccessShareLock, kept to the transaction's end as the
// executor keeps it).
void Open(Lookup* s, Ix ix) {
  s->heap = table_open(g_cat.rel[kIndexes[ix].rel], AccessShareLock);
  s->index = index_open(g_cat.index[ix], AccessShareLock);
  s->nkeys = 0;
}

// Key on index column `col` (1-based): the column's collation, as the planner would use.
void KeyOn(Lookup* s, AttrNumber col, StrategyNumber strategy, RegProcedure proc, Datum value) {
  if (s->nkeys == lengthof(s->keys)) elog(ERROR, "pg_dialer: too many scan keys");
  ScanKeyData* k = &s->keys[s->nkeys++];
  ScanKeyEntryInitialize(k, 0, col, strategy, InvalidOid, s->index->rd_indcollation[col - 1], proc,
                         value);
}

// Starts the scan over the keys added.
void Start(Lookup* s) {
  s->slot = table_slot_create(s->heap, nullptr);
  s->scan = index_beginscan(s->heap, s->index, GetActiveSnapshot(), s->nkeys, 0);
  index_rescan(s->scan, s->keys, s->nkeys, nullptr, 0);
}

// The next visible row (in s->slot), or false.
bool Next(Lookup* s) { return index_getnext_slot(s->scan, ForwardScanDirection, s->slot); }

// Opens index ix keyed by equality on its leading columns, in order, to values (a key
// after them, such as the history's range, may still be added before Start).
void OpenEqual(Lookup* s, Ix ix, std::initializer_list<Datum> values) {
  Open(s, ix);
  AttrNumber col = 1;
  for (Datum v : values) {
    KeyOn(s, col, BTEqualStrategyNumber, kIndexes[ix].keys[col - 1].eq, v);
    ++col;
  }
}

// The first visible row of index ix equal to values on its leading columns (in s->slot),
// or false; the caller reads it there, then closes s either way.
bool FindRow(Lookup* s, Ix ix, std::initializer_list<Datum> values) {
  OpenEqual(s, ix, values);
  Start(s);
  return Next(s);
}

// Ends the scan; the locks stay.
void Close(Lookup* s) {
  index_endscan(s->scan);
  ExecDropSingleTupleTableSlot(s->slot);
  index_close(s->index, NoLock);
  table_close(s->heap, NoLock);
}

// Column c of the current row; a by-reference value is copied (detoasted) into the
// current memory context, since the row's buffer is released at the next row.
Datum Get(Lookup* s, Col c, bool* isnull) {
  Datum d = slot_getattr(s->slot, g_cat.att[c], isnull);
  if (*isnull) return d;
  Form_pg_attribute a = TupleDescAttr(s->slot->tts_tupleDescriptor, g_cat.att[c] - 1);
  if (a->attbyval) return d;
  if (a->attlen == -1) return PointerGetDatum(PG_DETOAST_DATUM_COPY(d));
  return datumCopy(d, false, a->attlen);
}

// A nullable column as a (value, isnull) pair.
struct Value {
  Datum d;
  bool null;
};
Value Read(Lookup* s, Col c) {
  Value v;
  v.d = Get(s, c, &v.null);
  return v;
}

// ---- small helpers -------------------------------------------------------------------

// True when text datum t (detoasted) is exactly s. Why bytes: equality under the database's
// deterministic collation, as the SQL compared them.
bool TextIs(Datum t, const char* s) {
  text* v = DatumGetTextPP(t);
  const size_t n = strlen(s);
  return VARSIZE_ANY_EXHDR(v) == n && memcmp(VARDATA_ANY(v), s, n) == 0;
}

// True when two text datums hold the same bytes.
bool TextsEqual(Datum a, Datum b) {
  text* x = DatumGetTextPP(a);
  text* y = DatumGetTextPP(b);
  return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
         memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

// Calls fn with up to 7 arguments, any of them NULL, and reports a NULL result (what
// DirectFunctionCall cannot). flinfo is NULL, as DirectFunctionCall passes it.
Datum Call(PGFunction fn, int nargs, const Datum* args, const bool* nulls, bool* isnull) {
  LOCAL_FCINFO(fcinfo, 7);
  InitFunctionCallInfoData(*fcinfo, nullptr, nargs, InvalidOid, nullptr, nullptr);
  for (int i = 0; i < nargs; ++i) {
    fcinfo->args[i].value = args[i];
    fcinfo->args[i].isnull = nulls[i];
  }
  Datum result = fn(fcinfo);
  *isnull = fcinfo->isnull;
  return result;
}

// A one-element text[] holding v (a NULL element when v is NULL): SQL's ARRAY[v].
Datum OneTextArray(Value v) {
  int dims[1] = {1};
  int lbs[1] = {1};
  ArrayType* a = construct_md_array(&v.d, &v.null, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT);
  return PointerGetDatum(a);
}

// ---- the decision's inputs -------------------------------------------------------------

// The lead's row.
struct LeadRow {
  Datum tenant, id, campaign, phone;
  int32 attempts;
  Value last_attempt, last_outcome, released;
};
// The campaign's row.
struct CampaignRow {
  Value policy, precision, zone, windows, packs, ai_voice, start, end;
};
// The contact's row, when there is one.
struct ContactRow {
  bool found;
  Value zone, windows, consent, revoked;
};
// The number's recent calls, aggregated as the SQL's lateral subquery did.
struct History {
  int count;
  TimestampTz* recent;  // coalesce(started_at, claimed_at) of each call, sorted below
  Value lead_last, last_abandoned, last_refusal;
};

// The lead (tenant, id): false when there is none visible.
bool ReadLead(Datum tenant, Datum lead, LeadRow* out) {
  Lookup s;
  bool found = FindRow(&s, kLeadsPkey, {tenant, lead});
  if (found) {
    // Why every flag is kept: these columns are NOT NULL, but a lookup keyed by a NULL
    // would dereference it; a row without them (the constraint dropped by hand) is no lead.
    bool nulls[5];
    out->tenant = Get(&s, kLeadTenant, &nulls[0]);
    out->id = Get(&s, kLeadId, &nulls[1]);
    out->campaign = Get(&s, kLeadCampaign, &nulls[2]);
    out->phone = Get(&s, kLeadPhone, &nulls[3]);
    out->attempts = DatumGetInt32(Get(&s, kLeadAttempts, &nulls[4]));
    out->last_attempt = Read(&s, kLeadLastAttempt);
    out->last_outcome = Read(&s, kLeadLastOutcome);
    out->released = Read(&s, kLeadReleased);
    for (bool n : nulls) found = found && !n;
  }
  Close(&s);
  return found;
}

// The lead's campaign: false when there is none (the SQL's inner join then gave no row).
bool ReadCampaign(const LeadRow& l, CampaignRow* out) {
  Lookup s;
  const bool found = FindRow(&s, kCampaignsPkey, {l.tenant, l.campaign});
  if (found) {
    out->policy = Read(&s, kCampaignPolicy);
    out->precision = Read(&s, kCampaignPrecision);
    out->zone = Read(&s, kCampaignZone);
    out->windows = Read(&s, kCampaignWindows);
    out->packs = Read(&s, kCampaignPacks);
    out->ai_voice = Read(&s, kCampaignAiVoice);
    out->start = Read(&s, kCampaignStart);
    out->end = Read(&s, kCampaignEnd);
  }
  Close(&s);
  return found;
}

// The tenant's default zone; false when the tenant is not visible.
bool ReadTenantZone(Datum tenant, Value* zone) {
  Lookup s;
  const bool found = FindRow(&s, kTenantsPkey, {tenant});
  if (found) *zone = Read(&s, kTenantZone);
  Close(&s);
  return found;
}

// The contact of the lead's number in its tenant, if any.
void ReadContact(const LeadRow& l, ContactRow* out) {
  Lookup s;
  out->found = FindRow(&s, kContactsPhone, {l.tenant, l.phone});
  if (out->found) {
    out->zone = Read(&s, kContactZone);
    out->windows = Read(&s, kContactWindows);
    out->consent = Read(&s, kContactConsent);
    out->revoked = Read(&s, kContactRevoked);
  }
  Close(&s);
}

// How many of the lead's calls have outcome class `outcome`.
int64 CountClassCalls(const LeadRow& l, Datum outcome) {
  Lookup s;
  OpenEqual(&s, kCallsLead, {l.tenant, l.id});
  Start(&s);
  int64 n = 0;
  while (Next(&s)) {
    CHECK_FOR_INTERRUPTS();
    bool isnull;
    Datum d = slot_getattr(s.slot, g_cat.att[kCallOutcome], &isnull);
    if (!isnull && TextsEqual(d, outcome)) ++n;
  }
  Close(&s);
  return n;
}

// The later of a running maximum and t.
void KeepMax(Value* max, TimestampTz t) {
  if (max->null || DatumGetTimestampTz(max->d) < t) {
    max->d = TimestampTzGetDatum(t);
    max->null = false;
  }
}

// A timestamptz column of the current row, or `fallback` when it is NULL.
TimestampTz TimeOr(Lookup* s, Col c, TimestampTz fallback) {
  bool isnull;
  Datum d = slot_getattr(s->slot, g_cat.att[c], &isnull);
  return isnull ? fallback : DatumGetTimestampTz(d);
}

// Every call to the number claimed in (after, now], except cancelled ones and the
// lead's own claimed, not yet placed call (and, as the SQL's NOT (lead = ... AND status =
// 'claimed') did for a NULL lead, claimed calls of no lead).
void ReadHistory(const LeadRow& l, TimestampTz after, TimestampTz now, History* h) {
  Lookup s;
  OpenEqual(&s, kCallsPhone, {l.tenant, l.phone});
  KeyOn(&s, 3, BTGreaterStrategyNumber, F_TIMESTAMPTZ_GT, TimestampTzGetDatum(after));
  KeyOn(&s, 3, BTLessEqualStrategyNumber, F_TIMESTAMPTZ_LE, TimestampTzGetDatum(now));
  Start(&s);
  int capacity = 16;
  h->count = 0;
  h->recent = static_cast<TimestampTz*>(palloc(capacity * sizeof(TimestampTz)));
  h->lead_last.null = h->last_abandoned.null = h->last_refusal.null = true;
  while (Next(&s)) {
    CHECK_FOR_INTERRUPTS();
    bool isnull;
    const Oid status = DatumGetObjectId(slot_getattr(s.slot, g_cat.att[kCallStatus], &isnull));
    Datum lead = slot_getattr(s.slot, g_cat.att[kCallLead], &isnull);
    const bool own = !isnull && memcmp(DatumGetUUIDP(lead), DatumGetUUIDP(l.id), UUID_LEN) == 0;
    if (status == g_cat.status_cancelled) continue;
    if (status == g_cat.status_claimed && (isnull || own)) continue;
    const TimestampTz claimed = TimeOr(&s, kCallClaimed, 0);  // NOT NULL: the key matched it
    const TimestampTz placed = TimeOr(&s, kCallStarted, claimed);
    if (h->count == capacity) {
      capacity *= 2;
      h->recent = static_cast<TimestampTz*>(repalloc(h->recent, capacity * sizeof(TimestampTz)));
    }
    h->recent[h->count++] = placed;
    if (own) KeepMax(&h->lead_last, placed);
    Datum outcome = slot_getattr(s.slot, g_cat.att[kCallOutcome], &isnull);
    if (isnull) continue;
    const TimestampTz ended = TimeOr(&s, kCallEnded, placed);
    if (TextIs(outcome, "abandoned")) KeepMax(&h->last_abandoned, ended);
    if (TextIs(outcome, "refused")) KeepMax(&h->last_refusal, ended);
  }
  Close(&s);
}

// qsort's order of instants.
int CompareInstants(const void* a, const void* b) {
  const TimestampTz x = *static_cast<const TimestampTz*>(a);
  const TimestampTz y = *static_cast<const TimestampTz*>(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

// The history's instants as a sorted timestamptz[], or NULL when there were none
// (array_agg over no rows).
Value RecentArray(History* h) {
  if (h->count == 0) return Value{Datum(0), true};
  qsort(h->recent, h->count, sizeof(TimestampTz), CompareInstants);
  Datum* elems = static_cast<Datum*>(palloc(h->count * sizeof(Datum)));
  for (int i = 0; i < h->count; ++i) elems[i] = TimestampTzGetDatum(h->recent[i]);
  return Value{PointerGetDatum(construct_array(elems, h->count, TIMESTAMPTZOID, sizeof(TimestampTz),
                                               FLOAT8PASSBYVAL, TYPALIGN_DOUBLE)),
               false};
}

// True when a row of `ix` equal to keys ((tenant, phone) or (phone)) is in force at now
// (expires_at NULL or later than now).
bool Suppressed(Ix ix, std::initializer_list<Datum> keys, TimestampTz now) {
  Lookup s;
  OpenEqual(&s, ix, keys);
  Start(&s);
  bool found = false;
  const Col expires = ix == kGlobalPkey ? kGlobalExpires : kSuppressionExpires;
  while (!found && Next(&s)) {
    bool isnull;
    Datum d = slot_getattr(s.slot, g_cat.att[expires], &isnull);
    found = isnull || DatumGetTimestampTz(d) > now;
  }
  Close(&s);
  return found;
}

// The retry policy the decision uses: the campaign's, or, for a lead a person released
// after an unknown result (dialer.release_lead), the campaign's with an immediate redial of
// that result (SQL: jsonb_set(policy, '{classes}', coalesce(policy -> 'classes', '{}') ||
// '{"unknown": ...}')).
Value EffectivePolicy(const LeadRow& l, const CampaignRow& c, bool last_outcome_given) {
  const bool released_unknown =
      !last_outcome_given && !l.last_outcome.null && TextIs(l.last_outcome.d, "unknown") &&
      !l.released.null && !l.last_attempt.null &&
      DatumGetTimestampTz(l.released.d) >= DatumGetTimestampTz(l.last_attempt.d);
  if (!released_unknown || c.policy.null) return c.policy;
  bool isnull;
  Datum field_args[2] = {c.policy.d, CStringGetTextDatum("classes")};
  bool no_nulls[4] = {false, false, false, false};
  Datum classes = Call(jsonb_object_field, 2, field_args, no_nulls, &isnull);
  if (isnull) classes = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"));
  Datum redial = DirectFunctionCall1(
      jsonb_in, CStringGetDatum("{\"unknown\": {\"delays\": [0], \"max_attempts\": 1000}}"));
  Datum merged = DirectFunctionCall2(jsonb_concat, classes, redial);
  Datum path_elem = CStringGetTextDatum("classes");
  Datum path = PointerGetDatum(construct_array(&path_elem, 1, TEXTOID, -1, false, TYPALIGN_INT));
  Datum set_args[4] = {c.policy.d, path, merged, BoolGetDatum(true)};
  Datum policy = Call(jsonb_set, 4, set_args, no_nulls, &isnull);
  return Value{policy, isnull};
}

// The zones the scheduler must find open: the contact's zone; else every candidate zone of
// the number under the campaign's precision; else the campaign's or the tenant's zone.
Datum Zones(const LeadRow& l, const CampaignRow& c, const ContactRow& ct, Value fallback) {
  if (ct.found && !ct.zone.null) return OneTextArray(ct.zone);
  const bool exchange = !c.precision.null && TextIs(c.precision.d, "exchange");
  Datum args[2] = {l.phone, Datum(0)};
  bool nulls[2] = {false, true};
  bool isnull;
  Datum zones = Call(exchange ? dialer_phone_timezones : dialer_phone_area_timezones, 2, args,
                     nulls, &isnull);
  // nullif(zones, '{}'): an empty array (no dimensions) counts as none.
  if (!isnull && ARR_NDIM(DatumGetArrayTypeP(zones)) != 0) return zones;
  return OneTextArray(fallback);
}

// The rule packs in force: the campaign's, or when it names none the defaults of the
// recipient's country and state (dialer.default_rule_packs).
Value Packs(const LeadRow& l, const CampaignRow& c) {
  if (c.packs.null || ARR_NDIM(DatumGetArrayTypeP(c.packs.d)) != 0) return c.packs;
  bool nulls[1] = {false};
  Value v;
  v.d = Call(dialer_default_rule_packs, 1, &l.phone, nulls, &v.null);
  return v;
}

// Where the history starts: p_now - (the rules' horizon in seconds) - 1 day, computed with
// the same functions the SQL used (the day is subtracted in the session's time zone).
TimestampTz HistoryStart(const CampaignRow& c, Value packs, TimestampTz now) {
  Datum horizon_args[2] = {c.policy.d, packs.d};
  bool horizon_nulls[2] = {c.policy.null, packs.null};
  bool isnull;
  Datum secs = Call(dialer_rule_history_horizon, 2, horizon_args, horizon_nulls, &isnull);
  Datum iv_args[7] = {Int32GetDatum(0),
                      Int32GetDatum(0),
                      Int32GetDatum(0),
                      Int32GetDatum(0),
                      Int32GetDatum(0),
                      Int32GetDatum(0),
                      Float8GetDatum(static_cast<double>(DatumGetInt64(secs)))};
  bool iv_nulls[7] = {false, false, false, false, false, false, false};
  Datum horizon = Call(make_interval, 7, iv_args, iv_nulls, &isnull);
  Interval one_day{};
  one_day.day = 1;
  Datum t = DirectFunctionCall2(timestamptz_mi_interval, TimestampTzGetDatum(now), horizon);
  t = DirectFunctionCall2(timestamptz_mi_interval, t, PointerGetDatum(&one_day));
  return DatumGetTimestampTz(t);
}

// Whether the contact consented to an AI voice by now, and has not revoked it since.
bool HasConsent(const ContactRow& ct, TimestampTz now) {
  if (!ct.found || ct.consent.null) return false;
  const TimestampTz consent = DatumGetTimestampTz(ct.consent.d);
  return consent <= now && (ct.revoked.null || DatumGetTimestampTz(ct.revoked.d) < consent);
}

// Checks that the composite type's fields are the ones (and in the order) filled here.
void CheckInputsType(TupleDesc desc) {
  bool ok = desc->natts == kFieldCount;
  for (int i = 0; ok && i < kFieldCount; ++i) {
    ok = !TupleDescAttr(desc, i)->attisdropped &&
         strcmp(NameStr(TupleDescAttr(desc, i)->attname), kFieldNames[i]) == 0;
  }
  if (!ok) SchemaMismatch("type", "schedule_inputs");
}

// Sets field f of the inputs row.
void SetField(Datum* values, bool* nulls, Field f, Value v) {
  values[f] = v.d;
  nulls[f] = v.null;
}

// A non-null value.
Value Of(Datum d) { return Value{d, false}; }

// Builds and returns (inputs, fallback_zone) into the SRF's tuplestore.
void Emit(FunctionCallInfo fcinfo, Datum* values, bool* nulls, Value fallback) {
  auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  TupleDesc desc = lookup_rowtype_tupdesc(TupleDescAttr(rsinfo->setDesc, 0)->atttypid, -1);
  CheckInputsType(desc);
  HeapTuple row = heap_form_tuple(desc, values, nulls);
  ReleaseTupleDesc(desc);
  Datum out[2] = {HeapTupleGetDatum(row), fallback.d};
  bool out_nulls[2] = {false, fallback.null};
  tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, out, out_nulls);
}

}  // namespace

namespace dialer::pg {

// The OID of label of the extension's enum type typid (see the header).
Oid EnumLabelOid(Oid typid, const char* label) {
  HeapTuple tup = SearchSysCache2(ENUMTYPOIDNAME, ObjectIdGetDatum(typid), CStringGetDatum(label));
  if (!HeapTupleIsValid(tup)) {
    ereport(
        ERROR,
        (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
         errmsg("pg_dialer: enum label \"%s\" of type %s is missing", label, format_type_be(typid)),
         errhint("Run ALTER EXTENSION pg_dialer UPDATE; do not alter the extension's types.")));
  }
  const Oid oid = reinterpret_cast<Form_pg_enum>(GETSTRUCT(tup))->oid;
  ReleaseSysCache(tup);
  return oid;
}

// Argument arg of fcinfo as the instant a decision is made at (see the header).
TimestampTz DecisionInstantArg(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("p_now must not be NULL"),
                    errhint("Pass the instant the decision is made at, e.g. now().")));
  }
  return PG_GETARG_TIMESTAMPTZ(arg);
}

// Reads every input of lead_id's decision at now (see the header). Postgres code.
bool ReadScheduleInputs(Datum tenant_id, Datum lead_id, TimestampTz now, const Datum* last_outcome,
                        Datum* values, bool* nulls, Datum* fallback_zone, bool* fallback_null) {
  if (g_cat.read_at != g_cat.invalidations) FillCatalog();
  const bool outcome_given = last_outcome != nullptr;
  LeadRow l{};
  CampaignRow c{};
  Value tenant_zone{};
  if (!ReadLead(tenant_id, lead_id, &l) || !ReadCampaign(l, &c) ||
      !ReadTenantZone(l.tenant, &tenant_zone)) {
    return false;
  }
  ContactRow ct{};
  ReadContact(l, &ct);
  const Value last = outcome_given ? Of(*last_outcome) : l.last_outcome;
  const Value fallback = c.zone.null ? tenant_zone : c.zone;
  const Value packs = Packs(l, c);
  History h{};
  ReadHistory(l, HistoryStart(c, packs, now), now, &h);

  SetField(values, nulls, kFLeadId, Of(l.id));
  SetField(values, nulls, kFRetryPolicy, EffectivePolicy(l, c, outcome_given));
  SetField(values, nulls, kFZones, Of(Zones(l, c, ct, fallback)));
  SetField(values, nulls, kFAttempts, Of(Int32GetDatum(l.attempts)));
  SetField(values, nulls, kFLastOutcome, last);
  // At least 1 when a last outcome is recorded: a lead edited by hand (or whose calls were
  // deleted) must not make the planner reject the whole claim.
  const int64 class_calls = last.null ? 0 : Max(int64{1}, CountClassCalls(l, last.d));
  SetField(values, nulls, kFClassAttempts, Of(Int32GetDatum(static_cast<int32>(class_calls))));
  SetField(values, nulls, kFLastAttemptAt, h.lead_last.null ? l.last_attempt : h.lead_last);
  SetField(values, nulls, kFRecentCalls, RecentArray(&h));
  SetField(values, nulls, kFLastAbandonedAt, h.last_abandoned);
  SetField(values, nulls, kFLastRefusalAt, h.last_refusal);
  SetField(values, nulls, kFCallingWindows, c.windows);
  SetField(values, nulls, kFContactWindows, ct.found ? ct.windows : Value{Datum(0), true});
  SetField(values, nulls, kFRulePacks, packs);
  const bool suppressed = Suppressed(kSuppressionsPhone, {l.tenant, l.phone}, now) ||
                          Suppressed(kGlobalPkey, {l.phone}, now);
  SetField(values, nulls, kFSuppressed, Of(BoolGetDatum(suppressed)));
  SetField(values, nulls, kFArtificialVoice, c.ai_voice);
  SetField(values, nulls, kFHasConsent, Of(BoolGetDatum(HasConsent(ct, now))));
  SetField(values, nulls, kFCampaignStartsAt, c.start);
  SetField(values, nulls, kFCampaignEndsAt, c.end);
  *fallback_zone = fallback.d;
  *fallback_null = fallback.null;
  return true;
}

}  // namespace dialer::pg

// dialer._lead_schedule_inputs(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
// p_last_outcome text) returns table (inputs dialer.schedule_inputs, fallback_zone text):
// one row for a visible lead (none otherwise) holding every input of its scheduling
// decision at p_now, p_last_outcome standing for the lead's last outcome when given (the
// class of a call being completed in this transaction), and the zone a call is counted
// under when the number has several candidates.
Datum dialer_lead_schedule_inputs(PG_FUNCTION_ARGS) {
  // Why the expected descriptor when there is one (a FunctionScan always passes it): without
  // the flag, InitMaterializedSRF asks get_call_result_type, which builds the OUT columns'
  // descriptor from pg_proc with scratch it leaves in the query's memory, about 1 kB per
  // call, and a statement deciding for a million leads would keep all of it.
  const auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  InitMaterializedSRF(
      fcinfo, rsinfo != nullptr && IsA(rsinfo, ReturnSetInfo) && rsinfo->expectedDesc != nullptr
                  ? MAT_SRF_USE_EXPECTED_DESC
                  : 0);
  if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) return Datum(0);
  const TimestampTz now = dialer::pg::DecisionInstantArg(fcinfo, 2);
  const Datum outcome = PG_ARGISNULL(3) ? Datum(0) : PointerGetDatum(PG_GETARG_TEXT_PP(3));
  Datum values[kFieldCount];
  bool nulls[kFieldCount];
  Datum fallback;
  bool fallback_null;
  if (!dialer::pg::ReadScheduleInputs(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), now,
                                      PG_ARGISNULL(3) ? nullptr : &outcome, values, nulls,
                                      &fallback, &fallback_null)) {
    return Datum(0);
  }
  Emit(fcinfo, values, nulls, Value{fallback, fallback_null});
  return Datum(0);
}
