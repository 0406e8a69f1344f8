// SQL entry points of the scheduler: dialer.next_attempt_at,
// dialer.explain_next_attempt, dialer.check_retry_policy and
// dialer.check_calling_windows (declared in sql_src/30_schedule.sql).
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/error.hpp"
#include "common/interrupts.hpp"
#include "pg/convert.hpp"
#include "pg/guard.hpp"
#include "pg/jsonb.hpp"
#include "pg/lead_inputs.hpp"
#include "pg/rule_pack_store.hpp"
#include "pg/schedule_cache.hpp"
#include "schedule/explain.hpp"
#include "schedule/fields.hpp"
#include "schedule/planner.hpp"
#include "tz/zone_cache.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/arrayaccess.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "utils/uuid.h"
}

DIALER_FUNCTION(dialer_next_attempt_at)
DIALER_FUNCTION(dialer_explain_next_attempt)
DIALER_FUNCTION(dialer_next_attempt_decision)
DIALER_FUNCTION(dialer_decide_inputs)
DIALER_FUNCTION(dialer_explain_inputs)
DIALER_FUNCTION(dialer_check_retry_policy)
DIALER_FUNCTION(dialer_check_calling_windows)
DIALER_FUNCTION(dialer_rule_history_horizon)
DIALER_FUNCTION(dialer_check_rule_packs)

namespace dialer::pg {
namespace {

using schedule::Micros;

constexpr const char* kNullValueNotAllowed = "22004";
// Unix microseconds of PostgreSQL's epoch, 2000-01-01 00:00:00 UTC.
constexpr Micros kPgEpochMicros = 946684800LL * schedule::kMicrosPerSecond;

// The arguments in declaration order (sql_src/30_schedule.sql).
enum Arg {
  kLeadId,
  kRetryPolicy,
  kZones,
  kAttempts,
  kLastOutcome,
  kClassAttempts,
  kLastAttemptAt,
  kRecentCalls,
  kLastAbandonedAt,
  kLastRefusalAt,
  kCallingWindows,
  kContactWindows,
  kRulePacks,
  kSuppressed,
  kArtificialVoice,
  kHasConsent,
  kCampaignStartsAt,
  kCampaignEndsAt,
  kNow,
  kArgCount
};

constexpr const char* kArgNames[kArgCount] = {"p_lead_id",
                                              "p_retry_policy",
                                              "p_zones",
                                              "p_attempts",
                                              "p_last_outcome",
                                              "p_class_attempts",
                                              "p_last_attempt_at",
                                              "p_recent_calls",
                                              "p_last_abandoned_at",
                                              "p_last_refusal_at",
                                              "p_calling_windows",
                                              "p_contact_windows",
                                              "p_rule_packs",
                                              "p_suppressed",
                                              "p_artificial_voice",
                                              "p_has_consent",
                                              "p_campaign_starts_at",
                                              "p_campaign_ends_at",
                                              "p_now"};

// The arguments, detoasted. Plain data: read before any C++ object exists,
// because detoasting can raise a Postgres error.
struct RawArgs {
  bool null[kArgCount];
  Datum value[kArgCount];  // varlena arguments hold detoasted pointers
};

// Detoasts the varlena slots of a (Postgres code, no C++ objects alive).
void DetoastRawArgs(RawArgs* a) {
  // Arrays and jsonb are detoasted to a plain 4-byte header: later code reads
  // them in place and must not need another (allocating) detoast.
  for (int i : {kRetryPolicy, kZones, kRecentCalls, kCallingWindows, kContactWindows, kRulePacks}) {
    if (!a->null[i]) a->value[i] = PointerGetDatum(PG_DETOAST_DATUM(a->value[i]));
  }
  if (!a->null[kLastOutcome]) {
    a->value[kLastOutcome] = PointerGetDatum(PG_DETOAST_DATUM_PACKED(a->value[kLastOutcome]));
  }
}

// Reads and detoasts every argument (Postgres code, no C++ objects alive).
void ReadRawArgs(FunctionCallInfo fcinfo, RawArgs* a) {
  for (int i = 0; i < kArgCount; ++i) {
    a->null[i] = PG_ARGISNULL(i);
    a->value[i] = a->null[i] ? Datum(0) : PG_GETARG_DATUM(i);
  }
  DetoastRawArgs(a);
}

// The attribute index of the field `name` in desc, or -1.
int FieldIndex(TupleDesc desc, const char* name) {
  for (int i = 0; i < desc->natts; ++i) {
    const Form_pg_attribute att = TupleDescAttr(desc, i);
    if (!att->attisdropped && std::strcmp(NameStr(att->attname), name) == 0) return i;
  }
  return -1;
}

// Where each scheduler input sits in rows of one composite type. Why kept in fn_extra: the
// queue decides twice per cycle through the same call sites, and finding the fields by
// name is the same answer every time (a type change invalidates the plans, and with them
// the FmgrInfo that holds this).
struct InputsLayout {
  Oid type;
  int32 typmod;
  int field[kNow];
};

// The layout of rows of (type, typmod) for this call site, found by name on first use:
// each input is the row's field named as the argument without "p_". Postgres code.
const InputsLayout* InputsLayoutOf(FunctionCallInfo fcinfo, Oid type, int32 typmod,
                                   TupleDesc desc) {
  auto* layout = static_cast<InputsLayout*>(fcinfo->flinfo->fn_extra);
  if (layout != nullptr && layout->type == type && layout->typmod == typmod) return layout;
  if (layout == nullptr) {
    layout = static_cast<InputsLayout*>(
        MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(InputsLayout)));
    fcinfo->flinfo->fn_extra = layout;
  }
  layout->type = InvalidOid;  // not valid until every field is found
  for (int i = 0; i < kNow; ++i) {
    const char* field = kArgNames[i] + 2;  // "p_retry_policy" -> "retry_policy"
    layout->field[i] = FieldIndex(desc, field);
    if (layout->field[i] < 0) {
      ReleaseTupleDesc(desc);
      ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                      errmsg("the scheduler's input row has no field \"%s\"", field),
                      errhint("Pass a dialer.schedule_inputs row.")));
    }
  }
  layout->type = type;
  layout->typmod = typmod;
  return layout;
}

// Reads the scheduler's inputs from argument 0, a dialer.schedule_inputs row, and p_now
// from argument 1. This enum and kArgNames are the one mapping from the tables' inputs to
// the planner (sql_src/43_plan.sql builds the row). Postgres code, no C++ objects alive.
void ReadInputsRow(FunctionCallInfo fcinfo, RawArgs* a) {
  if (PG_ARGISNULL(0)) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("p_inputs must not be NULL"),
                    errhint("Pass the row of dialer._lead_schedule_inputs.")));
  }
  HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(0);
  const Oid type = HeapTupleHeaderGetTypeId(row);
  const int32 typmod = HeapTupleHeaderGetTypMod(row);
  TupleDesc desc = lookup_rowtype_tupdesc(type, typmod);
  const InputsLayout* layout = InputsLayoutOf(fcinfo, type, typmod, desc);
  HeapTupleData tuple;
  tuple.t_len = HeapTupleHeaderGetDatumLength(row);
  ItemPointerSetInvalid(&tuple.t_self);
  tuple.t_tableOid = InvalidOid;
  tuple.t_data = row;
  Datum* values = static_cast<Datum*>(palloc(sizeof(Datum) * desc->natts));
  bool* nulls = static_cast<bool*>(palloc(sizeof(bool) * desc->natts));
  heap_deform_tuple(&tuple, desc, values, nulls);
  ReleaseTupleDesc(desc);
  for (int i = 0; i < kNow; ++i) {
    const int at = layout->field[i];
    a->null[i] = nulls[at];
    a->value[i] = nulls[at] ? Datum(0) : values[at];
  }
  a->null[kNow] = PG_ARGISNULL(1);
  a->value[kNow] = a->null[kNow] ? Datum(0) : PG_GETARG_DATUM(1);
  DetoastRawArgs(a);
}

// Reads SQL arguments 0, 1, ... of a smaller function into the scheduler slots named
// by `slots`, detoasted (arrays and jsonb are all it takes); every other slot is NULL.
// Postgres code: call it before any C++ object exists.
void ReadSomeRawArgs(FunctionCallInfo fcinfo, std::initializer_list<Arg> slots, RawArgs* a) {
  for (int i = 0; i < kArgCount; ++i) {
    a->null[i] = true;
    a->value[i] = Datum(0);
  }
  int n = 0;
  for (Arg slot : slots) {
    a->null[slot] = PG_ARGISNULL(n);
    if (!a->null[slot]) a->value[slot] = PointerGetDatum(PG_DETOAST_DATUM(PG_GETARG_DATUM(n)));
    ++n;
  }
}

// Throws 22004 when a required argument is NULL.
void Require(const RawArgs& a, Arg i) {
  if (!a.null[i]) return;
  throw Error(kNullValueNotAllowed, std::string(kArgNames[i]) + " must not be NULL",
              "The scheduler cannot decide without this argument.",
              std::string("Pass a value for ") + kArgNames[i] + ".");
}

// A varlena argument's bytes (header included), the cache key.
std::string_view Bytes(Datum d) {
  const struct varlena* v = reinterpret_cast<const struct varlena*>(DatumGetPointer(d));
  return std::string_view(reinterpret_cast<const char*>(v), VARSIZE_ANY(v));
}

// A jsonb argument as the JSON tree the readers validate; what names the document.
json::Value JsonArg(Datum d, std::string_view what) {
  return ReadJsonb(reinterpret_cast<Jsonb*>(DatumGetPointer(d)), what);
}

// The elements of an array argument (detoasted already), in storage order; throws on
// NULL elements. Why array_iter and not deconstruct_array: the walk checks for
// interrupts, and p_recent_calls may hold millions of instants.
std::vector<Datum> Elements(Datum d, int16 len, bool byval, char align, Arg arg) {
  ArrayType* array = reinterpret_cast<ArrayType*>(DatumGetPointer(d));
  const int n = PgCall([&] { return ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array)); });
  array_iter it;
  array_iter_setup(&it, reinterpret_cast<AnyArrayType*>(array));
  std::vector<Datum> out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    CheckForInterrupts();
    bool isnull = false;
    const Datum e = array_iter_next(&it, &isnull, i, len, byval, align);
    if (isnull) {
      throw Error(kNullValueNotAllowed, std::string(kArgNames[arg]) + " contains a NULL element",
                  "Every element must be a value.",
                  std::string("Remove the NULLs from ") + kArgNames[arg] + ".");
    }
    out.push_back(e);
  }
  return out;
}

// The text elements of a text[] argument.
std::vector<std::string_view> TextElements(Datum d, Arg arg) {
  std::vector<std::string_view> out;
  for (Datum e : Elements(d, -1, false, TYPALIGN_INT, arg)) {
    CheckForInterrupts();
    out.push_back(TextView(reinterpret_cast<const text*>(DatumGetPointer(e))));
  }
  return out;
}

// A timestamptz as Unix microseconds; infinities become out-of-range values
// that schedule::CheckInstant reports by parameter name.
Micros ToMicros(TimestampTz t) {
  if (TIMESTAMP_IS_NOBEGIN(t)) return std::numeric_limits<Micros>::min();
  if (TIMESTAMP_IS_NOEND(t)) return std::numeric_limits<Micros>::max();
  return t + kPgEpochMicros;
}

// An optional timestamptz argument.
std::optional<Micros> OptionalInstant(const RawArgs& a, Arg i) {
  if (a.null[i]) return std::nullopt;
  return ToMicros(DatumGetTimestampTz(a.value[i]));
}

// The parsed retry policy, from the cache when these bytes were seen before.
const schedule::RetryPolicy& Policy(const RawArgs& a, ScheduleCache* cache) {
  Require(a, kRetryPolicy);
  return cache->policies.Get(Bytes(a.value[kRetryPolicy]), [&] {
    return schedule::RetryPolicy::FromJson(JsonArg(a.value[kRetryPolicy], "retry policy"));
  });
}

// Parsed calling windows (nullptr for a NULL argument), cached.
const schedule::CallingWindows* Windows(const RawArgs& a, Arg i, const char* document,
                                        ParseCache<schedule::CallingWindows>* cache) {
  if (a.null[i]) return nullptr;
  return &cache->Get(Bytes(a.value[i]), [&] {
    return schedule::CallingWindows::FromJson(JsonArg(a.value[i], document),
                                              schedule::FieldPath(document));
  });
}

// The named rule packs (from dialer.rule_packs, read by RefreshRulePacks), cached.
const std::vector<const schedule::RulePack*>& Packs(const RawArgs& a, ScheduleCache* cache) {
  static const std::vector<const schedule::RulePack*> kNone;
  if (a.null[kRulePacks]) return kNone;
  const schedule::RulePackSet& all = LoadedRulePacks();
  if (cache->packs_generation != RulePacksGeneration()) {
    cache->packs.Clear();
    cache->packs_generation = RulePacksGeneration();
  }
  return cache->packs.Get(Bytes(a.value[kRulePacks]), [&] {
    std::vector<const schedule::RulePack*> packs;
    for (std::string_view name : TextElements(a.value[kRulePacks], kRulePacks)) {
      CheckForInterrupts();
      const schedule::RulePack* pack = all.Named(name);
      if (pack == nullptr) {
        throw Error(sqlstate::kInvalidParameterValue,
                    "rule pack \"" + std::string(name) + "\" is not known",
                    "Known rule packs: " + all.Names() + " (dialer.rule_packs).",
                    "Name rule packs listed in dialer.rule_packs, e.g. '{us_federal,us_fl}'.");
      }
      packs.push_back(pack);
    }
    return packs;
  });
}

// The candidate zones, cached.
const std::vector<const tz::Zone*>& Zones(const RawArgs& a, ScheduleCache* cache) {
  static const std::vector<const tz::Zone*> kNone;
  if (a.null[kZones]) return kNone;
  return cache->zones.Get(Bytes(a.value[kZones]), [&] {
    // Why each zone once: a zone listed twice decides nothing new, and without
    // duplicates the list is bounded by the zone database (~600), whatever the input.
    std::vector<const tz::Zone*> zones;
    std::unordered_set<const tz::Zone*> seen;
    for (std::string_view name : TextElements(a.value[kZones], kZones)) {
      CheckForInterrupts();
      const tz::Zone* zone = tz::LoadZone(name);
      if (seen.insert(zone).second) zones.push_back(zone);
    }
    return zones;
  });
}

// The attempt summary.
schedule::History ReadHistory(const RawArgs& a) {
  schedule::History h;
  Require(a, kLeadId);
  const pg_uuid_t* uuid = DatumGetUUIDP(a.value[kLeadId]);
  std::memcpy(h.lead.data(), uuid->data, UUID_LEN);
  Require(a, kAttempts);
  Require(a, kClassAttempts);
  h.attempts = DatumGetInt32(a.value[kAttempts]);
  h.class_attempts = DatumGetInt32(a.value[kClassAttempts]);
  if (!a.null[kLastOutcome]) {
    const std::string_view name =
        TextView(reinterpret_cast<const text*>(DatumGetPointer(a.value[kLastOutcome])));
    h.last_outcome = schedule::OutcomeFromName(name);
    if (!h.last_outcome) {
      throw Error(
          sqlstate::kInvalidParameterValue,
          "p_last_outcome \"" + std::string(name) + "\" is not an outcome class",
          "Outcome classes are: " + std::string(schedule::OutcomeNameList()) + ".",
          "Map the provider's result to an outcome class first (dialer.provider_outcomes).");
    }
  }
  h.last_attempt_at = OptionalInstant(a, kLastAttemptAt);
  if (!a.null[kRecentCalls]) {
    for (Datum d : Elements(a.value[kRecentCalls], sizeof(TimestampTz), true, TYPALIGN_DOUBLE,
                            kRecentCalls)) {
      CheckForInterrupts();
      h.recent_calls.push_back(ToMicros(DatumGetTimestampTz(d)));
    }
  }
  h.last_abandoned_at = OptionalInstant(a, kLastAbandonedAt);
  h.last_refusal_at = OptionalInstant(a, kLastRefusalAt);
  return h;
}

// Builds the planner's request from the arguments (the cache owns the parses).
schedule::Request ReadRequest(const RawArgs& a, ScheduleCache* cache) {
  schedule::Request r;
  r.policy = &Policy(a, cache);
  r.zones = Zones(a, cache);
  r.history = ReadHistory(a);
  r.campaign_windows =
      Windows(a, kCallingWindows, "campaign calling windows", &cache->campaign_windows);
  r.contact_windows =
      Windows(a, kContactWindows, "contact calling windows", &cache->contact_windows);
  r.packs = Packs(a, cache);
  for (Arg i : {kSuppressed, kArtificialVoice, kHasConsent, kNow}) Require(a, i);
  r.suppressed = DatumGetBool(a.value[kSuppressed]);
  r.artificial_voice = DatumGetBool(a.value[kArtificialVoice]);
  r.has_consent = DatumGetBool(a.value[kHasConsent]);
  // Why: an open-ended campaign is naturally written with infinity.
  const bool no_start = a.null[kCampaignStartsAt] ||
                        TIMESTAMP_IS_NOBEGIN(DatumGetTimestampTz(a.value[kCampaignStartsAt]));
  const bool no_end =
      a.null[kCampaignEndsAt] || TIMESTAMP_IS_NOEND(DatumGetTimestampTz(a.value[kCampaignEndsAt]));
  if (!no_start) r.campaign_start = OptionalInstant(a, kCampaignStartsAt);
  if (!no_end) r.campaign_end = OptionalInstant(a, kCampaignEndsAt);
  r.now = ToMicros(DatumGetTimestampTz(a.value[kNow]));
  return r;
}

}  // namespace
}  // namespace dialer::pg

// dialer.next_attempt_at(...) returns timestamptz: the earliest legal moment to
// call, or NULL for never.
Datum dialer_next_attempt_at(PG_FUNCTION_ARGS) {
  dialer::pg::RawArgs args;
  dialer::pg::ReadRawArgs(fcinfo, &args);
  dialer::pg::RefreshRulePacks();  // may run SPI: before any C++ object exists
  Datum result = dialer::pg::Guard([&] {
    const dialer::schedule::Request request =
        dialer::pg::ReadRequest(args, dialer::pg::BackendScheduleCache());
    const dialer::schedule::Decision d = dialer::schedule::NextAttempt(request, false);
    fcinfo->isnull = d.never;
    return d.never ? Datum(0) : TimestampTzGetDatum(d.at - dialer::pg::kPgEpochMicros);
  });
  return result;
}

namespace dialer::pg {
namespace {

// The explanation of the decision on args, as jsonb.
Datum Explain(const RawArgs& args) {
  RefreshRulePacks();  // may run SPI: before any C++ object exists
  return Guard([&] {
    const schedule::Request request = ReadRequest(args, BackendScheduleCache());
    const schedule::Decision d = schedule::NextAttempt(request, true);
    return ToJsonb(schedule::ExplainJson(request, d));
  });
}

// The queue's decision on args: never or the next attempt, the binding rule, and until
// when a lead callable now stays callable. Postgres code outside the guard.
QueueDecision DecideArgs(const RawArgs& args) {
  RefreshRulePacks();  // may run SPI: before any C++ object exists
  QueueDecision out{};
  // The reason is a static rule name: copied out of the guarded block as a pointer.
  out.reason = Guard([&] {
    const schedule::Request request = ReadRequest(args, BackendScheduleCache());
    const schedule::Decision d = schedule::NextAttempt(request, false);
    out.never = d.never;
    out.at = d.never ? 0 : d.at - kPgEpochMicros;
    // legal_until: only for a lead callable now (a claim's dial-by deadline).
    out.has_legal_until = !d.never && d.at == request.now;
    if (out.has_legal_until) out.legal_until = schedule::LegalUntil(request) - kPgEpochMicros;
    return schedule::RuleName(d.trail[d.binding].rule).data();
  });
  return out;
}

// The (next_attempt_at, reason, legal_until) row of the decision on args.
Datum Decide(FunctionCallInfo fcinfo, const RawArgs& args) {
  TupleDesc desc;
  if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE) {
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("the scheduler's decision must be returned as a record")));
  }
  desc = BlessTupleDesc(desc);
  const QueueDecision d = DecideArgs(args);
  Datum values[3] = {TimestampTzGetDatum(d.at), CStringGetTextDatum(d.reason),
                     TimestampTzGetDatum(d.legal_until)};
  bool nulls[3] = {d.never, false, !d.has_legal_until};
  return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

}  // namespace

// The queue's decision on inputs in dialer.schedule_inputs order (lead_inputs.hpp).
QueueDecision DecideScheduleInputs(const Datum* values, const bool* nulls, TimestampTz now) {
  static_assert(kNow == kScheduleInputCount, "the inputs row is the arguments before p_now");
  RawArgs args;
  for (int i = 0; i < kNow; ++i) {
    args.null[i] = nulls[i];
    args.value[i] = nulls[i] ? Datum(0) : values[i];
  }
  args.null[kNow] = false;
  args.value[kNow] = TimestampTzGetDatum(now);
  DetoastRawArgs(&args);
  return DecideArgs(args);
}

}  // namespace dialer::pg

// dialer.explain_next_attempt(...) returns jsonb: the decision with the rules
// that moved or blocked it.
Datum dialer_explain_next_attempt(PG_FUNCTION_ARGS) {
  dialer::pg::RawArgs args;
  dialer::pg::ReadRawArgs(fcinfo, &args);
  PG_RETURN_DATUM(dialer::pg::Explain(args));
}

// dialer._explain_inputs(p_inputs dialer.schedule_inputs, p_now) returns jsonb: what
// explain_next_attempt says of the inputs the row holds (the queue's why_not_dialable).
Datum dialer_explain_inputs(PG_FUNCTION_ARGS) {
  dialer::pg::RawArgs args;
  dialer::pg::ReadInputsRow(fcinfo, &args);
  PG_RETURN_DATUM(dialer::pg::Explain(args));
}

// dialer._next_attempt_decision(...) returns (next_attempt_at, reason, legal_until): the
// decision of next_attempt_at with the binding rule's name, without building the
// explanation, and when the lead is callable now until when its windows stay open.
// Why: the queue decides for every claimed and every completed call and needs only
// these values; the JSON explanation was most of the scheduler's cost there. Kept for
// the SQL of releases before 0.6.0, which call it with the inputs as arguments.
Datum dialer_next_attempt_decision(PG_FUNCTION_ARGS) {
  dialer::pg::RawArgs args;
  dialer::pg::ReadRawArgs(fcinfo, &args);
  PG_RETURN_DATUM(dialer::pg::Decide(fcinfo, args));
}

// dialer._decide(p_inputs dialer.schedule_inputs, p_now) returns (next_attempt_at,
// reason, legal_until): _next_attempt_decision over the inputs the row holds.
Datum dialer_decide_inputs(PG_FUNCTION_ARGS) {
  dialer::pg::RawArgs args;
  dialer::pg::ReadInputsRow(fcinfo, &args);
  PG_RETURN_DATUM(dialer::pg::Decide(fcinfo, args));
}

// dialer.check_retry_policy(p_retry_policy jsonb) returns boolean: true, or an
// error naming the bad field.
Datum dialer_check_retry_policy(PG_FUNCTION_ARGS) {
  Jsonb* policy = PG_GETARG_JSONB_P(0);  // detoast before any C++ object exists
  bool ok = dialer::pg::Guard([&] {
    dialer::schedule::RetryPolicy::FromJson(dialer::pg::ReadJsonb(policy, "retry policy"));
    return true;
  });
  PG_RETURN_BOOL(ok);
}

// dialer.check_calling_windows(p_calling_windows jsonb) returns boolean: true, or
// an error naming the bad field.
Datum dialer_check_calling_windows(PG_FUNCTION_ARGS) {
  Jsonb* windows = PG_GETARG_JSONB_P(0);  // detoast before any C++ object exists
  bool ok = dialer::pg::Guard([&] {
    dialer::schedule::CallingWindows::FromJson(dialer::pg::ReadJsonb(windows, "calling windows"),
                                               dialer::schedule::FieldPath("calling windows"));
    return true;
  });
  PG_RETURN_BOOL(ok);
}

// dialer._rule_history_horizon(p_retry_policy jsonb, p_rule_packs text[]) returns
// bigint: schedule::HistoryHorizonSeconds of the policy and the named packs.
// Why: the queue reads that much history for each decision; a constant (31 days)
// cut the French 60-day rest after a refusal short.
Datum dialer_rule_history_horizon(PG_FUNCTION_ARGS) {
  dialer::pg::RawArgs args;
  dialer::pg::ReadSomeRawArgs(fcinfo, {dialer::pg::kRetryPolicy, dialer::pg::kRulePacks}, &args);
  dialer::pg::RefreshRulePacks();
  int64 seconds = dialer::pg::Guard([&]() -> int64 {
    dialer::pg::ScheduleCache* cache = dialer::pg::BackendScheduleCache();
    return dialer::schedule::HistoryHorizonSeconds(dialer::pg::Policy(args, cache),
                                                   dialer::pg::Packs(args, cache));
  });
  PG_RETURN_INT64(seconds);
}

// dialer.check_rule_packs(p_rule_packs text[]) returns boolean: true when every name
// is in dialer.rule_packs, else 22023 naming the unknown one and listing the valid ones.
Datum dialer_check_rule_packs(PG_FUNCTION_ARGS) {
  dialer::pg::RawArgs args;
  dialer::pg::ReadSomeRawArgs(fcinfo, {dialer::pg::kRulePacks}, &args);
  dialer::pg::RefreshRulePacks();
  bool ok = dialer::pg::Guard([&] {
    dialer::pg::Packs(args, dialer::pg::BackendScheduleCache());
    return true;
  });
  PG_RETURN_BOOL(ok);
}
