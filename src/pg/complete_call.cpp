// dialer.complete_call(...): records how a claimed call ended (sql_src/45_complete.sql has
// the SQL declaration and what the function promises). The statements are those of the
// PL/pgSQL definition shipped from 0.6.0 to 0.9.0
// (sql_upgrade/objects/dialer.complete_call/0.6.0.sql), run over plans kept for the backend's life,
// with the lead's next attempt decided by a direct call of the scheduler instead of a nested
// PL/pgSQL function.
//
// Why in C (issue 20): a completion runs on every queue cycle; as PL/pgSQL it spent a tenth
// of its server CPU in the interpreter itself (the function and the four helpers it nested:
// _call_for_update, _advance_lead, _campaign_cancelled, _plan_lead's caller), measured with
// scripts/perf-cycle.sh (docs/queue.md, "What a C claim and completion could save").
//
// Rare paths (a late opt-out, a bad argument, an instant to check, a number with other
// waiting leads, a campaign's last lead) call the same SQL helpers the PL/pgSQL did, so each
// rule keeps one definition.
//
// Plain Postgres code throughout (SPI, palloc, ereport): no C++ object with a destructor is
// ever alive here, so an ereport's longjmp skips nothing.
#include "pg/plan_lead.hpp"
#include "pg/postgres_includes.hpp"
#include "pg/queue_checks.hpp"
#include "pg/replan_number.hpp"
#include "pg/spi_plans.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
}

DIALER_FUNCTION(dialer_complete_call)

namespace {

using dialer::pg::InvalidArg;
using dialer::pg::ResultColumn;
using dialer::pg::ResultText;
using dialer::pg::RunKept;
using dialer::pg::RunOnce;
using dialer::pg::UuidArgText;

// The arguments, in the SQL declaration's order.
enum Arg {
  kCallId,
  kOutcome,
  kProvider,
  kProviderCallId,
  kAnsweredAt,
  kEndedAt,
  kDuration,
  kCost,
  kRecordingUrl,
  kTranscript,
  kSummary,
  kNow
};

// What the completion reads of the call it locked (CallRow's columns in kCallQuery order).
struct CallRow {
  Datum id, tenant, campaign, lead, phone;
  bool campaign_null, lead_null;  // a call written by hand may have neither
  Datum provider;                 // text, 0 when NULL
  char* status;                   // the call_status label
  bool in_flight;
  char* outcome_class;     // NULL when not set
  char* provider_outcome;  // NULL when not set
  Datum ctid;              // the locked version's tuple id (tid)
};

// The outcome class a report maps to, and what it does to the lead.
struct ClassRow {
  Datum provider;       // lower(coalesce(p_provider, call's provider, 'dialer')), text
  char* outcome_class;  // NULL: unmapped
  bool terminal;
  char* lead_status;  // the class's lead status (terminal classes)
};

// The lead's state after the completion, and the campaign's when it just completed.
struct Outcome {
  const char* lead_status;  // NULL when the lead is not visible
  bool has_next;
  TimestampTz next_attempt_at;
  char* campaign_status;  // NULL unless the campaign completed
};

// Why "dialer._caller_role(...) >= 'agent'" in the WHERE: rows failing it are never
// locked, so naming another tenant's call does not hold that call's row lock.
constexpr const char* kCallQuery =
    "SELECT k.id, k.tenant_id, k.campaign_id, k.lead_id, k.phone, k.provider, k.status::text,"
    " dialer.call_in_flight(k.status), k.outcome_class, k.provider_outcome, k.ctid"
    " FROM dialer.calls k WHERE k.id = $1 AND dialer._caller_role(k.tenant_id) >= 'agent'"
    " FOR UPDATE";
// The mapping is dialer.map_outcome's query (sql_src/40_outcomes.sql) with its arguments
// ($1 the tenant, p.provider, $4 the raw outcome). Why a copy: called as the PL/pgSQL
// function it cost four times its query (the call, its SET, its own SPI statement: 66 us of
// a cycle, scripts/statements-cycle.sh); test/pgtap/outcome_mapping_completion.sql holds the
// two to the same answers.
constexpr const char* kClassQuery =
    "SELECT p.provider, m.outcome_class, o.terminal, o.lead_status"
    " FROM (SELECT lower(coalesce($2, $3, 'dialer')) AS provider) p"
    " LEFT JOIN LATERAL ("
    "   SELECT u.outcome_class FROM ("
    "     SELECT t.outcome_class, 0 AS source, t.is_prefix, length(t.raw_outcome) AS len"
    "       FROM dialer.tenant_outcome_mappings t"
    "      WHERE t.tenant_id = $1 AND t.provider = lower(p.provider)"
    "        AND (t.raw_outcome = $4 OR (t.is_prefix AND starts_with($4, t.raw_outcome)))"
    "     UNION ALL"
    "     SELECT g.outcome_class, 1, g.is_prefix, length(g.raw_outcome)"
    "       FROM dialer.provider_outcomes g"
    "      WHERE g.provider = lower(p.provider)"
    "        AND (g.raw_outcome = $4 OR (g.is_prefix AND starts_with($4, g.raw_outcome)))"
    "   ) u ORDER BY u.source, u.is_prefix, u.len DESC LIMIT 1"
    " ) m ON true"
    " LEFT JOIN dialer.outcome_classes o ON o.outcome_class = m.outcome_class";
// Why by the tuple id the locking read returned (the row stays locked, so that version is
// current): this plan is kept for the connection, and one made while dialer.calls looked
// empty (a new project, after a purge) chose calls_phone_idx on tenant_id alone for
// "tenant_id = $14 AND id = $1", reading every call of the tenant on every completion from
// then on (2,407 buffers per completion after 5,000 calls; test/scripts/empty_start_plans.sh).
// A TID scan has no such choice.
constexpr const char* kUpdateCall =
    "UPDATE dialer.calls k"
    "   SET status = (CASE WHEN $2 IN ('failed', 'transport_error') THEN 'failed' ELSE 'completed'"
    "                 END)::dialer.call_status,"
    "       outcome_class = $2, provider = $3, provider_outcome = $4,"
    "       provider_call_id = coalesce($5, k.provider_call_id),"
    "       started_at = coalesce(k.started_at, k.claimed_at),"
    "       answered_at = coalesce($6, k.answered_at), ended_at = coalesce($7, $13),"
    "       duration_seconds = $8, cost = $9, recording_url = $10, transcript = $11, summary = $12,"
    "       lease_expires_at = NULL"
    " WHERE k.ctid = $15 AND k.tenant_id = $14 AND k.id = $1 RETURNING k.status::text";
constexpr const char* kCancelled =
    "SELECT EXISTS (SELECT 1 FROM dialer.campaigns c"
    " WHERE c.tenant_id = $1 AND c.id = $2 AND c.status = 'cancelled')";
constexpr const char* kUpdateLead =
    "UPDATE dialer.leads l SET last_outcome_class = $3, status = $4::dialer.lead_status,"
    " next_attempt_at = $5 WHERE l.tenant_id = $1 AND l.id = $2";
constexpr const char* kSuppress =
    "INSERT INTO dialer.suppressions (tenant_id, phone, reason, source)"
    " VALUES ($1, $2, 'do_not_call', 'call:' || $3::text) ON CONFLICT (tenant_id, phone) DO "
    "NOTHING";
// The first probes of dialer._complete_campaign_if_done (one per index: leads_waiting_idx,
// leads_busy_idx), asked here first. Why: when a lead ends, its campaign nearly always has
// other leads left to work, and calling the PL/pgSQL function (its SET clauses applied and
// undone) only to learn that cost a completion more than the probe (docs/queue.md,
// Performance). The function, called only when this finds none, asks again.
constexpr const char* kOpenLeads =
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM dialer.leads l WHERE l.tenant_id = $1"
    " AND l.campaign_id = $2 AND l.status IN ('pending', 'scheduled'))"
    " OR EXISTS (SELECT 1 FROM dialer.leads l WHERE l.tenant_id = $1"
    " AND l.campaign_id = $2 AND l.status = 'held')";
constexpr const char* kDone = "SELECT dialer._complete_campaign_if_done($1, $2, $3)::text";
constexpr const char* kLead =
    "SELECT l.status::text, l.next_attempt_at FROM dialer.leads l"
    " WHERE l.tenant_id = $1 AND l.id = $2";

// The kept plans, one per statement (prepared on first use in the backend).
SPIPlanPtr call_plan, class_plan, update_call_plan, cancelled_plan, update_lead_plan, suppress_plan,
    open_leads_plan, done_plan, lead_plan;

// A text argument as a C string, or what RAISE (if_null "<NULL>") or format() ("") prints.
const char* ArgText(FunctionCallInfo fcinfo, int arg, const char* if_null) {
  return PG_ARGISNULL(arg) ? if_null : TextDatumGetCString(PG_GETARG_DATUM(arg));
}

// The call p_call_id locked for update if the caller is an agent of its tenant; PT404
// otherwise, so call ids of other tenants are not disclosed.
CallRow LockCall(FunctionCallInfo fcinfo) {
  static const Oid types[] = {UUIDOID};
  Datum values[] = {PG_GETARG_DATUM(kCallId)};
  const char nulls[] = {PG_ARGISNULL(kCallId) ? 'n' : ' '};
  if (RunKept(&call_plan, kCallQuery, 1, types, values, nulls) == 0) {
    ereport(ERROR, (errcode(MAKE_SQLSTATE('P', 'T', '4', '0', '4')),
                    errmsg("call %s not found", UuidArgText(fcinfo, kCallId)),
                    errdetail("No call with this id is visible to the caller as an agent."),
                    errhint("Use the call_id returned by dialer.claim_calls.")));
  }
  CallRow call;
  bool null;
  call.id = ResultColumn(1, &null);
  call.tenant = ResultColumn(2, &null);
  call.campaign = ResultColumn(3, &call.campaign_null);
  call.lead = ResultColumn(4, &call.lead_null);
  call.phone = ResultColumn(5, &null);
  call.provider = ResultColumn(6, &null);
  if (null) call.provider = 0;
  call.status = ResultText(7);
  call.in_flight = DatumGetBool(ResultColumn(8, &null));
  call.outcome_class = ResultText(9);
  call.provider_outcome = ResultText(10);
  call.ctid = ResultColumn(11, &null);
  return call;
}

// The outcome class of the report (dialer.map_outcome) and its effect on the lead.
ClassRow ClassOf(FunctionCallInfo fcinfo, const CallRow& call) {
  static const Oid types[] = {UUIDOID, TEXTOID, TEXTOID, TEXTOID};
  Datum values[] = {call.tenant, PG_GETARG_DATUM(kProvider), call.provider,
                    PG_GETARG_DATUM(kOutcome)};
  const char nulls[] = {' ', PG_ARGISNULL(kProvider) ? 'n' : ' ', call.provider == 0 ? 'n' : ' ',
                        PG_ARGISNULL(kOutcome) ? 'n' : ' '};
  RunKept(&class_plan, kClassQuery, 4, types, values, nulls);
  ClassRow c;
  bool null;
  c.provider = ResultColumn(1, &null);
  c.outcome_class = ResultText(2);
  const Datum terminal = ResultColumn(3, &null);
  c.terminal = !null && DatumGetBool(terminal);
  c.lead_status = ResultText(4);
  if (c.outcome_class == nullptr) {
    ereport(
        ERROR,
        (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
         errmsg("unknown outcome \"%s\" for provider \"%s\"", ArgText(fcinfo, kOutcome, "<NULL>"),
                TextDatumGetCString(c.provider)),
         errdetail("Neither the tenant's mappings nor the global provider_outcomes map it to an "
                   "outcome class."),
         errhint("Add a row to dialer.tenant_outcome_mappings, or pass provider 'dialer' with an "
                 "outcome class name.")));
  }
  return c;
}

// dialer._check_caller_instant on argument arg (queue_checks.hpp).
void CheckInstant(FunctionCallInfo fcinfo, int arg, const char* name) {
  dialer::pg::CheckCallerInstant(name, PG_GETARG_DATUM(arg), PG_ARGISNULL(arg));
}

// The argument checks, in the PL/pgSQL's order (after the outcome's).
void CheckArguments(FunctionCallInfo fcinfo) {
  if (!PG_ARGISNULL(kDuration) && PG_GETARG_INT32(kDuration) < 0) {
    InvalidArg("p_duration_seconds",
               DatumGetCString(DirectFunctionCall1(int4out, PG_GETARG_DATUM(kDuration))),
               "zero or more");
  }
  // Why NaN and Infinity by name: numeric NaN compares greater than every number.
  if (!PG_ARGISNULL(kCost)) {
    Numeric cost = PG_GETARG_NUMERIC(kCost);
    if (numeric_is_nan(cost) || numeric_is_inf(cost) ||
        DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(cost),
                                         DirectFunctionCall1(int4_numeric, Int32GetDatum(0))))) {
      InvalidArg("p_cost", DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(cost))),
                 "a finite number, zero or more");
    }
  }
  // Why only when it differs from now(): the default costs the hot path nothing.
  if (PG_ARGISNULL(kNow) || PG_GETARG_TIMESTAMPTZ(kNow) != GetCurrentTransactionStartTimestamp())
    CheckInstant(fcinfo, kNow, "p_now");
  if (!PG_ARGISNULL(kAnsweredAt)) CheckInstant(fcinfo, kAnsweredAt, "p_answered_at");
  if (!PG_ARGISNULL(kEndedAt)) CheckInstant(fcinfo, kEndedAt, "p_ended_at");
}

// Whether two possibly NULL C strings are equal ("IS NOT DISTINCT FROM").
bool SameText(const char* a, const char* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return strcmp(a, b) == 0;
}

// The lead's status and next attempt as they are (the answer to a replayed report).
Outcome LeadAsIs(const CallRow& call) {
  static const Oid types[] = {UUIDOID, UUIDOID};
  Datum values[] = {call.tenant, call.lead};
  const char nulls[] = {' ', call.lead_null ? 'n' : ' '};
  Outcome o{nullptr, false, 0, nullptr};
  if (RunKept(&lead_plan, kLead, 2, types, values, nulls) == 0) return o;
  bool null;
  o.lead_status = ResultText(1);
  const Datum next = ResultColumn(2, &null);
  o.has_next = !null;
  if (!null) o.next_attempt_at = DatumGetTimestampTz(next);
  return o;
}

// Whether the campaign was stopped while the call was in flight, read under its gate
// (taken shared first, in a statement of its own so the read's snapshot follows it): a stop
// that cancels the campaign's waiting leads has then committed or waits for us.
bool CampaignCancelled(const CallRow& call) {
  static const Oid types[] = {UUIDOID, UUIDOID};
  const char nulls[] = {' ', call.campaign_null ? 'n' : ' '};
  dialer::pg::TakeCampaignGateShared(call.campaign, call.campaign_null);
  Datum values[] = {call.tenant, call.campaign};
  RunKept(&cancelled_plan, kCancelled, 2, types, values, nulls);
  bool null;
  return DatumGetBool(ResultColumn(1, &null));
}

// The scheduler's next attempt for the lead after this class (what dialer._plan_lead
// decides); a lead that is not visible is scheduled with no next attempt, as a NULL plan was.
void PlanNext(const CallRow& call, const ClassRow& c, TimestampTz now, Outcome* o) {
  o->lead_status = "scheduled";
  o->has_next = false;
  if (call.lead_null) return;
  const Datum outcome = CStringGetTextDatum(c.outcome_class);
  const dialer::pg::LeadPlan plan = dialer::pg::PlanLeadNow(call.tenant, call.lead, now, &outcome);
  if (!plan.found) return;
  if (plan.never) {
    o->lead_status = plan.final_status;
    return;
  }
  o->has_next = true;
  o->next_attempt_at = plan.next_attempt_at;
}

// Moves the lead after its call ended (what dialer._advance_lead does): a terminal class
// finishes it, a stopped campaign cancels it, otherwise the scheduler decides.
Outcome AdvanceLead(const CallRow& call, const ClassRow& c, TimestampTz now) {
  Outcome o{nullptr, false, 0, nullptr};
  if (c.terminal) {
    o.lead_status = c.lead_status;
  } else if (CampaignCancelled(call)) {
    o.lead_status = "cancelled";  // stopped while the call was in flight: not requeued
  } else {
    PlanNext(call, c, now, &o);
  }
  static const Oid types[] = {UUIDOID, UUIDOID, TEXTOID, TEXTOID, TIMESTAMPTZOID};
  Datum values[] = {call.tenant, call.lead, CStringGetTextDatum(c.outcome_class),
                    CStringGetTextDatum(o.lead_status), TimestampTzGetDatum(o.next_attempt_at)};
  const char nulls[] = {' ', call.lead_null ? 'n' : ' ', ' ', ' ', o.has_next ? ' ' : 'n'};
  RunKept(&update_lead_plan, kUpdateLead, 5, types, values, nulls);
  return o;
}

// Records the report on the call; returns the call's new status label.
char* UpdateCall(FunctionCallInfo fcinfo, const CallRow& call, const ClassRow& c) {
  static const Oid types[] = {UUIDOID,        TEXTOID,        TEXTOID,        TEXTOID,    TEXTOID,
                              TIMESTAMPTZOID, TIMESTAMPTZOID, INT4OID,        NUMERICOID, TEXTOID,
                              JSONBOID,       TEXTOID,        TIMESTAMPTZOID, UUIDOID,    TIDOID};
  static const int from_args[] = {-1,          -1,       -1,        kOutcome, kProviderCallId,
                                  kAnsweredAt, kEndedAt, kDuration, kCost,    kRecordingUrl,
                                  kTranscript, kSummary, kNow,      -1,       -1};
  Datum values[15];
  char nulls[15];
  for (int i = 0; i < 15; i++) {
    const int arg = from_args[i];
    values[i] = arg < 0 ? Datum(0) : PG_GETARG_DATUM(arg);
    nulls[i] = arg >= 0 && PG_ARGISNULL(arg) ? 'n' : ' ';
  }
  values[0] = call.id;
  values[1] = CStringGetTextDatum(c.outcome_class);
  values[2] = c.provider;
  values[13] = call.tenant;
  values[14] = call.ctid;
  RunKept(&update_call_plan, kUpdateCall, 15, types, values, nulls);
  return ResultText(1);
}

// Pushes key, the next member's name, into the object being built.
void PutKey(JsonbParseState** state, const char* key) {
  JsonbValue k;
  k.type = jbvString;
  k.val.string.val = const_cast<char*>(key);
  k.val.string.len = static_cast<int>(strlen(key));
  pushJsonbValue(state, WJB_KEY, &k);
}

// Adds a string (or JSON null) member to the object being built.
void PutMember(JsonbParseState** state, const char* key, const char* value) {
  PutKey(state, key);
  JsonbValue v;
  if (value == nullptr) {
    v.type = jbvNull;
  } else {
    v.type = jbvString;
    v.val.string.val = const_cast<char*>(value);
    v.val.string.len = static_cast<int>(strlen(value));
  }
  pushJsonbValue(state, WJB_VALUE, &v);
}

// Adds a boolean member to the object being built.
void PutBool(JsonbParseState** state, const char* key, bool value) {
  PutKey(state, key);
  JsonbValue v;
  v.type = jbvBool;
  v.val.boolean = value;
  pushJsonbValue(state, WJB_VALUE, &v);
}

// The answer, as jsonb_build_object built it: call_id, lead_id, outcome_class, call_status,
// lead_status, next_attempt_at (JSON's timestamp text), replayed, and campaign_status when
// the campaign completed. Allocated in context (the caller's, outliving SPI).
Datum Answer(MemoryContext context, const CallRow& call, const char* outcome_class,
             const char* call_status, const Outcome& o, bool replayed) {
  const MemoryContext spi = MemoryContextSwitchTo(context);
  JsonbParseState* state = nullptr;
  pushJsonbValue(&state, WJB_BEGIN_OBJECT, nullptr);
  PutMember(&state, "call_id", DatumGetCString(DirectFunctionCall1(uuid_out, call.id)));
  PutMember(&state, "lead_id",
            call.lead_null ? nullptr : DatumGetCString(DirectFunctionCall1(uuid_out, call.lead)));
  PutMember(&state, "outcome_class", outcome_class);
  PutMember(&state, "call_status", call_status);
  PutMember(&state, "lead_status", o.lead_status);
  PutMember(&state, "next_attempt_at",
            o.has_next ? JsonEncodeDateTime(nullptr, TimestampTzGetDatum(o.next_attempt_at),
                                            TIMESTAMPTZOID, nullptr)
                       : nullptr);
  PutBool(&state, "replayed", replayed);
  if (o.campaign_status != nullptr) PutMember(&state, "campaign_status", o.campaign_status);
  JsonbValue* object = pushJsonbValue(&state, WJB_END_OBJECT, nullptr);
  const Datum answer = JsonbPGetDatum(JsonbValueToJsonb(object));
  MemoryContextSwitchTo(spi);
  return answer;
}

// A report for a call no longer in flight: the same report again is answered as before
// (a webhook retried: nothing changes); any other is PT409.
Datum FinishedCall(FunctionCallInfo fcinfo, MemoryContext context, const CallRow& call,
                   const ClassRow& c) {
  const bool completed =
      strcmp(call.status, "completed") == 0 || strcmp(call.status, "failed") == 0;
  if (completed && SameText(call.outcome_class, c.outcome_class) &&
      SameText(call.provider_outcome, ArgText(fcinfo, kOutcome, nullptr))) {
    return Answer(context, call, c.outcome_class, call.status, LeadAsIs(call), true);
  }
  if (completed) {
    ereport(
        ERROR,
        (errcode(MAKE_SQLSTATE('P', 'T', '4', '0', '9')),
         errmsg("call %s is already completed with outcome %s", UuidArgText(fcinfo, kCallId),
                call.provider_outcome ? call.provider_outcome : "<NULL>"),
         errdetail("It cannot be completed again with \"%s\".", ArgText(fcinfo, kOutcome, "")),
         errhint("A call is completed once; correct it by updating dialer.calls as an admin.")));
  }
  ereport(ERROR,
          (errcode(MAKE_SQLSTATE('P', 'T', '4', '0', '9')),
           errmsg("call %s is not in flight: it is %s", UuidArgText(fcinfo, kCallId), call.status),
           errdetail(
               "Only a claimed call whose lease has not been reaped, released or cancelled can be "
               "completed."),
           errhint("Claim again with dialer.claim_calls; an expired call's result was recorded as "
                   "unknown.")));
  return 0;
}

// A do_not_call reported for a call no longer in flight: dialer._record_late_opt_out
// suppresses the number at once and records the report on the call (its answer, copied out).
Datum LateOptOut(FunctionCallInfo fcinfo, MemoryContext context) {
  static const Oid types[] = {UUIDOID, TEXTOID, TIMESTAMPTZOID};
  const Datum values[] = {PG_GETARG_DATUM(kCallId), PG_GETARG_DATUM(kOutcome),
                          PG_GETARG_DATUM(kNow)};
  const char nulls[] = {' ', PG_ARGISNULL(kOutcome) ? 'n' : ' ', ' '};
  RunOnce("SELECT dialer._record_late_opt_out(k, $2, $3) FROM dialer.calls k WHERE k.id = $1", 3,
          types, values, nulls);
  bool null;
  const Datum answer = ResultColumn(1, &null);
  const MemoryContext spi = MemoryContextSwitchTo(context);
  const Datum copy = PointerGetDatum(PG_DETOAST_DATUM_COPY(answer));
  MemoryContextSwitchTo(spi);
  return copy;
}

// After the lead moved: a do_not_call suppresses the number; the number's other waiting
// leads are planned again; a campaign whose last lead finished completes.
void AfterLead(const CallRow& call, const ClassRow& c, TimestampTz now, Outcome* o) {
  if (strcmp(c.outcome_class, "do_not_call") == 0) {
    static const Oid types[] = {UUIDOID, TEXTOID, UUIDOID};
    Datum values[] = {call.tenant, call.phone, call.id};
    RunKept(&suppress_plan, kSuppress, 3, types, values, nullptr);
  }
  dialer::pg::ReplanNumber(call.tenant, call.phone, call.lead, call.lead_null, now);
  if (strcmp(o->lead_status, "scheduled") != 0 && strcmp(o->lead_status, "held") != 0) {
    static const Oid types[] = {UUIDOID, UUIDOID, TIMESTAMPTZOID};
    Datum values[] = {call.tenant, call.campaign, TimestampTzGetDatum(now)};
    const char nulls[] = {' ', call.campaign_null ? 'n' : ' ', ' '};
    if (RunKept(&open_leads_plan, kOpenLeads, 2, types, values, nulls) > 0) return;
    RunKept(&done_plan, kDone, 3, types, values, nulls);
    o->campaign_status = ResultText(1);
  }
}

// The completion inside SPI; the answer is allocated in context.
Datum Complete(FunctionCallInfo fcinfo, MemoryContext context) {
  const CallRow call = LockCall(fcinfo);
  const ClassRow c = ClassOf(fcinfo, call);
  CheckArguments(fcinfo);
  if (!call.in_flight && strcmp(c.outcome_class, "do_not_call") == 0 &&
      !SameText(call.outcome_class, "do_not_call")) {
    return LateOptOut(fcinfo, context);
  }
  if (!call.in_flight) return FinishedCall(fcinfo, context, call, c);
  const TimestampTz now = PG_GETARG_TIMESTAMPTZ(kNow);
  // (The slot is freed by the trigger dialer_call_leaves_flight on this UPDATE.)
  const char* status = UpdateCall(fcinfo, call, c);
  Outcome o = AdvanceLead(call, c, now);
  AfterLead(call, c, now, &o);
  return Answer(context, call, c.outcome_class, status, o, false);
}

}  // namespace

// dialer.complete_call(p_call_id, p_outcome, p_provider, p_provider_call_id, p_answered_at,
// p_ended_at, p_duration_seconds, p_cost, p_recording_url, p_transcript, p_summary, p_now)
// returns jsonb: the call's and the lead's new state (sql_src/45_complete.sql).
Datum dialer_complete_call(PG_FUNCTION_ARGS) {
  const MemoryContext context = CurrentMemoryContext;
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "pg_dialer: SPI_connect failed");
  const Datum answer = Complete(fcinfo, context);
  SPI_finish();
  PG_RETURN_DATUM(answer);
}
