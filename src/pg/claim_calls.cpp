// dialer.claim_calls(...): "what do I call next?" (sql_src/44_claim.sql has the SQL
// declaration and what the function promises; docs/queue.md the guarantees). The statements
// are those of the PL/pgSQL definition shipped from 0.8.0 to 0.9.0
// (sql_upgrade/objects/dialer.claim_calls/0.8.0.sql), run over plans kept for the backend's
// life, with _campaign_for, the tenant's status check and _campaign_claimable's running case
// inlined and each lead's legality re-check a direct call of the scheduler.
//
// Why in C (issue 20): a claim runs on every queue cycle, and as PL/pgSQL a tenth of its
// server CPU was the interpreter itself (docs/queue.md, "What a C claim and completion could
// save").
//
// Rare paths (a bad argument, an instant to check, a suspended tenant, a scheduled campaign
// whose start came) call the same SQL helpers the PL/pgSQL did, so each rule keeps one
// definition.
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
#include "common/pg_prng.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/uuid.h"
}

DIALER_FUNCTION(dialer_claim_calls)

namespace {

using dialer::pg::InvalidArg;
using dialer::pg::ResultColumn;
using dialer::pg::RunKept;
using dialer::pg::RunOnce;
using dialer::pg::UuidArgText;

// The arguments, in the SQL declaration's order.
enum Arg { kCampaignId, kWorkerId, kMaxCalls, kLease, kNow };

// The result's columns, in the declaration's RETURNS TABLE order.
enum Out { kCallId, kLeadId, kPhone, kAttempt, kLeaseExpires, kIdempotencyKey, kDialBy, kOutCount };

// The campaign as the claim reads it under its gate.
struct Campaign {
  Datum tenant, id;
  char* status;  // campaign_status label
  bool has_start, has_end;
  TimestampTz start, end;
  Datum caller_id, provider;  // text
  bool caller_id_null, provider_null;
  bool tenant_suspended;
  int32 max_calls;  // max_concurrent_calls: no slot above it is taken
};

// The leads the legality re-check moved (written last, in one statement) and the leads
// claimed (whose numbers are re-planned).
struct Moves {
  Datum* moved_ids;     // uuid
  Datum* moved_tids;    // tid: the version the claim's read locked
  Datum* moved_status;  // text: a lead_status label
  Datum* moved_at;      // timestamptz
  bool* moved_at_null;
  int moved;
  Datum* claimed_leads;   // uuid
  Datum* claimed_phones;  // text
  int claimed;
};

// Why "dialer._caller_role(...)": the visibility and the permission check of a queue call in
// one lookup, as _campaign_for made them.
constexpr const char* kFind =
    "SELECT c.tenant_id, r.role IS NOT NULL, r.role >= 'agent'"
    " FROM dialer.campaigns c CROSS JOIN LATERAL (SELECT dialer._caller_role(c.tenant_id) AS role) "
    "r"
    " WHERE c.id = $1";
constexpr const char* kRead =
    "SELECT c.status::text, c.schedule_start, c.schedule_end, c.caller_id, c.provider,"
    " (SELECT t.status = 'suspended' FROM dialer.tenants t WHERE t.id = c.tenant_id),"
    " c.max_concurrent_calls"
    " FROM dialer.campaigns c WHERE c.tenant_id = $1 AND c.id = $2";
// Why "s.slot <= $4", the limit as read under the gate: a slot row above the limit can be
// free. The limit's trigger leaves occupied rows above a lowered limit to their freer, and a
// freer that reads the limit before the lowering commits keeps its row
// (specs/limit_shrink_complete.spec); claiming it would put one call over the limit.
constexpr const char* kSlots =
    "SELECT s.slot FROM dialer.campaign_slots s"
    " WHERE s.tenant_id = $1 AND s.campaign_id = $2 AND s.call_id IS NULL"
    "   AND s.slot >= $4 AND s.slot <= $5"
    " ORDER BY s.slot LIMIT $3 FOR UPDATE SKIP LOCKED";
// One due lead at a time. Why not one query with LIMIT: every row a FOR UPDATE query returns
// is locked (a tuple write and a WAL record each); over-fetching locked leads this claim
// never used, which the other claimers then had to skip. A lead the re-check moves stays
// locked by us (SKIP LOCKED does not skip our own locks), hence the exclusion list.
constexpr const char* kLead =
    "SELECT l.id, l.phone, l.attempts, l.ctid FROM dialer.leads l"
    " WHERE l.tenant_id = $1 AND l.campaign_id = $2 AND l.status IN ('pending', 'scheduled')"
    "   AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= $3) AND l.id <> ALL ($4)"
    " ORDER BY l.priority DESC, l.next_attempt_at NULLS FIRST LIMIT 1 FOR UPDATE SKIP LOCKED";
// created_at is the wall clock after the slot was taken (not the transaction start): with
// updated_at (stamped at the start of the completing transaction, before it commits and
// frees the slot) it bounds the real slot occupancy from inside, so intervals recorded on one
// slot never overlap (test/scripts/queue_concurrency.sh). The slot is occupied by the
// trigger dialer_occupy_call_slot on this INSERT.
constexpr const char* kInsert =
    "INSERT INTO dialer.calls AS k (tenant_id, campaign_id, lead_id, phone, caller_id, provider,"
    " status, attempt_number, worker_id, claimed_at, lease_expires_at, created_at, slot,"
    " recipient_time_zone)"
    " VALUES ($1, $2, $3, $4, $5, $6, 'claimed', $7, $8, $9, $9 + $10, clock_timestamp(), $11, $12)"
    " RETURNING k.id, k.idempotency_key";
constexpr const char* kTake =
    "UPDATE dialer.leads l SET status = 'in_progress', attempts = l.attempts + 1,"
    " last_attempt_at = $3, next_attempt_at = NULL WHERE l.tenant_id = $1 AND l.id = $2";
// Why last, in one statement: every queue function writes calls before leads, so concurrent
// transactions take their row locks (and the statistics counters' rows) in one order and
// cannot deadlock.
// Why by tuple id ($2, from kLead's locking read; the rows stay locked, so those versions
// are current), with the tenant and id as filters only: the plan is kept for the
// connection's life, and one made while leads held a few analysed rows read the leads
// through an index with tenant_id as its only condition (every lead of the tenant, on
// every claim that moved one: test/scripts/claim_move_plans.sh). A TID scan has no index
// to choose; "IS NOT DISTINCT FROM" is not an index condition.
constexpr const char* kMove =
    "UPDATE dialer.leads l"
    " SET status = ($3::text[])[array_position($2::tid[], l.ctid)]::dialer.lead_status,"
    "     next_attempt_at = ($4::timestamptz[])[array_position($2::tid[], l.ctid)]"
    " WHERE l.ctid = ANY ($2::tid[]) AND l.tenant_id IS NOT DISTINCT FROM $1"
    "   AND l.id = ($5::uuid[])[array_position($2::tid[], l.ctid)]";

// The kept plans, one per statement (prepared on first use in the backend).
SPIPlanPtr find_plan, read_plan, slots_plan, lead_plan, insert_plan, take_plan, move_plan;

// The campaign's tenant if the caller may claim from it (what _campaign_for(id, 'agent')
// checks): PT404 when it does not exist or the caller is not a member, 42501 below agent.
Datum FindCampaign(FunctionCallInfo fcinfo) {
  static const Oid types[] = {UUIDOID};
  Datum values[] = {PG_GETARG_DATUM(kCampaignId)};
  const char nulls[] = {PG_ARGISNULL(kCampaignId) ? 'n' : ' '};
  bool null;
  if (RunKept(&find_plan, kFind, 1, types, values, nulls) == 0 ||
      !DatumGetBool(ResultColumn(2, &null))) {
    ereport(ERROR, (errcode(MAKE_SQLSTATE('P', 'T', '4', '0', '4')),
                    errmsg("campaign %s not found", UuidArgText(fcinfo, kCampaignId)),
                    errdetail("No campaign with this id is visible to the caller."),
                    errhint("Check the id, and that you are a member of the campaign's tenant.")));
  }
  if (!DatumGetBool(ResultColumn(3, &null))) {
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("role agent or higher is needed for this on campaign %s",
                           UuidArgText(fcinfo, kCampaignId)),
                    errdetail("Your membership role in the campaign's tenant is lower."),
                    errhint("Ask an admin of the tenant to do it, or to raise your role.")));
  }
  return ResultColumn(1, &null);
}

// The campaign read under its gate, taken shared first (before any row is locked): a stop or
// pause waits for this claim, and the read, a statement of its own, shows a move that
// committed meanwhile. False when the campaign is gone.
bool ReadCampaign(FunctionCallInfo fcinfo, Datum tenant, Campaign* c) {
  static const Oid types[] = {UUIDOID, UUIDOID};
  dialer::pg::TakeCampaignGateShared(PG_GETARG_DATUM(kCampaignId), false);
  Datum values[] = {tenant, PG_GETARG_DATUM(kCampaignId)};
  if (RunKept(&read_plan, kRead, 2, types, values, nullptr) == 0) return false;
  bool null;
  c->tenant = tenant;
  c->id = PG_GETARG_DATUM(kCampaignId);
  c->status = dialer::pg::ResultText(1);
  c->start = DatumGetTimestampTz(ResultColumn(2, &null));
  c->has_start = !null;
  c->end = DatumGetTimestampTz(ResultColumn(3, &null));
  c->has_end = !null;
  c->caller_id = ResultColumn(4, &c->caller_id_null);
  c->provider = ResultColumn(5, &c->provider_null);
  const Datum suspended = ResultColumn(6, &null);
  c->tenant_suspended = !null && DatumGetBool(suspended);
  c->max_calls = DatumGetInt32(ResultColumn(7, &null));
  return true;
}

// An interval of days days (interval '0' and '1 day' of the lease's bounds).
Datum DaysInterval(int32 days) {
  Interval* i = static_cast<Interval*>(palloc0(sizeof(Interval)));
  i->day = days;
  return IntervalPGetDatum(i);
}

// Whether p_worker_id is 1 to 200 characters once spaces are trimmed from both ends (as
// "length(btrim(p_worker_id)) BETWEEN 1 AND 200").
bool WorkerIdValid(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(kWorkerId)) return false;
  const text* t = PG_GETARG_TEXT_PP(kWorkerId);
  const char* s = VARDATA_ANY(t);
  int len = VARSIZE_ANY_EXHDR(t);
  while (len > 0 && *s == ' ') {
    s++;
    len--;
  }
  while (len > 0 && s[len - 1] == ' ') len--;
  const int chars = pg_mbstrlen_with_len(s, len);
  return chars >= 1 && chars <= 200;
}

// The argument checks, in the PL/pgSQL's order; then the instant and the tenant's status.
void CheckArguments(FunctionCallInfo fcinfo, const Campaign& c) {
  if (!WorkerIdValid(fcinfo)) {
    InvalidArg("p_worker_id",
               PG_ARGISNULL(kWorkerId) ? nullptr : TextDatumGetCString(PG_GETARG_DATUM(kWorkerId)),
               "1 to 200 characters");
  }
  if (PG_ARGISNULL(kMaxCalls) || PG_GETARG_INT32(kMaxCalls) < 1 ||
      PG_GETARG_INT32(kMaxCalls) > 1000) {
    InvalidArg("p_max_calls",
               PG_ARGISNULL(kMaxCalls)
                   ? nullptr
                   : DatumGetCString(DirectFunctionCall1(int4out, PG_GETARG_DATUM(kMaxCalls))),
               "between 1 and 1000");
  }
  if (PG_ARGISNULL(kLease) ||
      !DatumGetBool(DirectFunctionCall2(interval_gt, PG_GETARG_DATUM(kLease), DaysInterval(0))) ||
      !DatumGetBool(DirectFunctionCall2(interval_le, PG_GETARG_DATUM(kLease), DaysInterval(1)))) {
    InvalidArg("p_lease",
               PG_ARGISNULL(kLease)
                   ? nullptr
                   : DatumGetCString(DirectFunctionCall1(interval_out, PG_GETARG_DATUM(kLease))),
               "positive and at most 1 day");
  }
  // Why only when it differs from now(): the default costs the hot path nothing.
  if (PG_ARGISNULL(kNow) || PG_GETARG_TIMESTAMPTZ(kNow) != GetCurrentTransactionStartTimestamp()) {
    dialer::pg::CheckCallerInstant("p_now", PG_GETARG_DATUM(kNow), PG_ARGISNULL(kNow));
  }
  if (c.tenant_suspended) {
    static const Oid types[] = {UUIDOID, TEXTOID};
    const Datum values[] = {
        c.tenant, CStringGetTextDatum(
                      psprintf("claim calls of campaign %s", UuidArgText(fcinfo, kCampaignId)))};
    RunOnce("SELECT dialer._require_active_tenant($1, $2)", 2, types, values, nullptr);
  }
}

// Whether the campaign hands out calls at now: running inside its schedule (the common case,
// as dialer._campaign_claimable answers it); any other status is asked of that function,
// which also flips a scheduled campaign whose start came to running.
bool Claimable(const Campaign& c, TimestampTz now) {
  if (strcmp(c.status, "running") == 0)
    return (!c.has_start || c.start <= now) && (!c.has_end || c.end > now);
  static const Oid types[] = {UUIDOID, UUIDOID, TIMESTAMPTZOID};
  const Datum values[] = {c.tenant, c.id, TimestampTzGetDatum(now)};
  RunOnce(
      "SELECT dialer._campaign_claimable(c, $3) FROM dialer.campaigns c"
      " WHERE c.tenant_id = $1 AND c.id = $2",
      3, types, values, nullptr);
  bool null;
  return SPI_processed > 0 && DatumGetBool(ResultColumn(1, &null)) && !null;
}

// The free slots this claim takes (FOR UPDATE SKIP LOCKED: claimers never wait for each
// other), at most max_calls; *n of them. Why from a random slot, wrapping round: taken
// lowest first, every claimer walked the same taken and just-freed rows at the low end of
// the one page the slots share, each skipping what the others held or had just updated,
// and kept locked rows it had found free in its snapshot but taken since (completions then
// waited for the whole claim). Spread, a claim mostly finds a free row at once: 0.873x the
// CPU per cycle (scripts/ab-workers.sh, docs/queue.md).
int32* TakeSlots(const Campaign& c, int32 max_calls, int* n) {
  static const Oid types[] = {UUIDOID, UUIDOID, INT8OID, INT4OID, INT4OID};
  int32* slots = static_cast<int32*>(palloc(sizeof(int32) * (Max(max_calls, 0) + 1)));
  *n = 0;
  const int32 start = c.max_calls > 1
                          ? static_cast<int32>(pg_prng_uint64_range(
                                &pg_global_prng_state, 1, static_cast<uint64>(c.max_calls)))
                          : 1;
  const int32 ranges[2][2] = {{start, c.max_calls}, {1, start - 1}};
  for (const auto& r : ranges) {
    if (*n >= max_calls || r[0] > r[1]) continue;
    Datum values[] = {c.tenant, c.id, Int64GetDatum(max_calls - *n), Int32GetDatum(r[0]),
                      Int32GetDatum(r[1])};
    const int got = static_cast<int>(RunKept(&slots_plan, kSlots, 5, types, values, nullptr));
    bool null;
    for (int i = 0; i < got; i++) slots[(*n)++] = DatumGetInt32(ResultColumn(1, &null, i));
  }
  return slots;
}

// A uuid[] of the first n ids.
Datum UuidArray(const Datum* ids, int n) {
  return PointerGetDatum(
      construct_array(const_cast<Datum*>(ids), n, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
}

// The next due lead (id, phone, attempts, locked tuple id) not in moves' list; false when
// none is left.
bool NextLead(const Campaign& c, TimestampTz now, const Moves& m, Datum* id, Datum* phone,
              int32* attempts, Datum* tid) {
  static const Oid types[] = {UUIDOID, UUIDOID, TIMESTAMPTZOID, UUIDARRAYOID};
  Datum values[] = {c.tenant, c.id, TimestampTzGetDatum(now), UuidArray(m.moved_ids, m.moved)};
  if (RunKept(&lead_plan, kLead, 4, types, values, nullptr) == 0) return false;
  bool null;
  *id = ResultColumn(1, &null);
  *phone = ResultColumn(2, &null);
  *attempts = DatumGetInt32(ResultColumn(3, &null));
  *tid = ResultColumn(4, &null);
  return true;
}

// Inserts the call of a claimed lead and moves the lead to in_progress; one result row.
void ClaimLead(FunctionCallInfo fcinfo, const Campaign& c, Datum lead, Datum phone, int32 attempts,
               int32 slot, const dialer::pg::LeadPlan& plan, Tuplestorestate* out, TupleDesc desc) {
  static const Oid types[] = {UUIDOID, UUIDOID, UUIDOID,        TEXTOID,     TEXTOID, TEXTOID,
                              INT4OID, TEXTOID, TIMESTAMPTZOID, INTERVALOID, INT4OID, TEXTOID};
  const TimestampTz now = PG_GETARG_TIMESTAMPTZ(kNow);
  Datum values[] = {c.tenant,
                    c.id,
                    lead,
                    phone,
                    c.caller_id,
                    c.provider,
                    Int32GetDatum(attempts + 1),
                    PG_GETARG_DATUM(kWorkerId),
                    TimestampTzGetDatum(now),
                    PG_GETARG_DATUM(kLease),
                    Int32GetDatum(slot),
                    plan.recipient_zone};
  const char nulls[] = {
      ' ', ' ', ' ', ' ', c.caller_id_null ? 'n' : ' ', c.provider_null ? 'n' : ' ', ' ',
      ' ', ' ', ' ', ' ', plan.zone_null ? 'n' : ' '};
  RunKept(&insert_plan, kInsert, 12, types, values, nulls);
  Datum row[kOutCount];
  bool row_nulls[kOutCount] = {};
  row[kCallId] = ResultColumn(1, &row_nulls[kCallId]);
  row[kIdempotencyKey] = ResultColumn(2, &row_nulls[kIdempotencyKey]);
  static const Oid take_types[] = {UUIDOID, UUIDOID, TIMESTAMPTZOID};
  Datum take[] = {c.tenant, lead, TimestampTzGetDatum(now)};
  RunKept(&take_plan, kTake, 3, take_types, take, nullptr);
  const TimestampTz expires = DatumGetTimestampTz(DirectFunctionCall2(
      timestamptz_pl_interval, TimestampTzGetDatum(now), PG_GETARG_DATUM(kLease)));
  row[kLeadId] = lead;
  row[kPhone] = phone;
  row[kAttempt] = Int32GetDatum(attempts + 1);
  row[kLeaseExpires] = TimestampTzGetDatum(expires);
  // The dial-by deadline: never past the lease, nor past the end of the legal window
  // (mark_call_dialing refuses a dial after it); least() ignores a NULL.
  row[kDialBy] = TimestampTzGetDatum(
      plan.has_legal_until && plan.legal_until < expires ? plan.legal_until : expires);
  tuplestore_putvalues(out, desc, row, row_nulls);
}

// Records a lead the re-check found not callable now: its status and next attempt.
void Move(Moves* m, Datum lead, Datum tid, const dialer::pg::LeadPlan& plan) {
  m->moved_ids[m->moved] = lead;
  m->moved_tids[m->moved] = tid;
  m->moved_status[m->moved] =
      CStringGetTextDatum(plan.found && plan.never ? plan.final_status : "scheduled");
  m->moved_at[m->moved] = TimestampTzGetDatum(plan.next_attempt_at);
  m->moved_at_null[m->moved] = !plan.found || plan.never;
  m->moved++;
}

// Writes the moved leads' new status and next attempt, in one statement.
void WriteMoves(const Campaign& c, const Moves& m) {
  if (m.moved == 0) return;
  static const Oid types[] = {UUIDOID, TIDARRAYOID, TEXTARRAYOID, TIMESTAMPTZARRAYOID,
                              UUIDARRAYOID};
  int dims[] = {m.moved};
  int lbs[] = {1};
  Datum values[] = {
      c.tenant,
      PointerGetDatum(construct_array(m.moved_tids, m.moved, TIDOID, sizeof(ItemPointerData), false,
                                      TYPALIGN_SHORT)),
      PointerGetDatum(construct_array(m.moved_status, m.moved, TEXTOID, -1, false, TYPALIGN_INT)),
      PointerGetDatum(construct_md_array(m.moved_at, m.moved_at_null, 1, dims, lbs, TIMESTAMPTZOID,
                                         sizeof(TimestampTz), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE)),
      UuidArray(m.moved_ids, m.moved)};
  // Why the check: a lead the claim locked is at the tuple id its read returned; a move
  // that found fewer rows would leave a refused lead due, to be refused again.
  if (RunKept(&move_plan, kMove, 5, types, values, nullptr) != static_cast<uint64>(m.moved))
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                    errmsg("pg_dialer: the claim moved %llu of its %d refused leads",
                           static_cast<unsigned long long>(SPI_processed), m.moved)));
}

// The other waiting leads of each claimed number (other campaigns of the tenant): the claim
// counts in their caps and gaps from now, so their stored next attempt moves with it.
void ReplanNumbers(const Campaign& c, const Moves& m, TimestampTz now) {
  for (int i = 0; i < m.claimed; i++)
    dialer::pg::ReplanNumber(c.tenant, m.claimed_phones[i], m.claimed_leads[i], false, now);
}

// Claims up to the slots' number of due, legal leads into out.
void ClaimLeads(FunctionCallInfo fcinfo, const Campaign& c, const int32* slots, int n_slots,
                Tuplestorestate* out, TupleDesc desc) {
  const TimestampTz now = PG_GETARG_TIMESTAMPTZ(kNow);
  // Bounded work per claim: a campaign whose due leads are all blocked right now (a closed
  // window everywhere) must not be re-planned lead by lead in one call.
  const int max_moved = 4 * n_slots + 16;
  Moves m{};
  m.moved_ids = static_cast<Datum*>(palloc(sizeof(Datum) * max_moved));
  m.moved_tids = static_cast<Datum*>(palloc(sizeof(Datum) * max_moved));
  m.moved_status = static_cast<Datum*>(palloc(sizeof(Datum) * max_moved));
  m.moved_at = static_cast<Datum*>(palloc(sizeof(Datum) * max_moved));
  m.moved_at_null = static_cast<bool*>(palloc(sizeof(bool) * max_moved));
  m.claimed_leads = static_cast<Datum*>(palloc(sizeof(Datum) * n_slots));
  m.claimed_phones = static_cast<Datum*>(palloc(sizeof(Datum) * n_slots));
  Datum lead, phone, tid;
  int32 attempts;
  while (m.claimed < n_slots && NextLead(c, now, m, &lead, &phone, &attempts, &tid)) {
    const dialer::pg::LeadPlan plan = dialer::pg::PlanLeadNow(c.tenant, lead, now, nullptr);
    if (!plan.found || plan.never || plan.next_attempt_at > now) {
      Move(&m, lead, tid, plan);
      if (m.moved >= max_moved) break;
      continue;
    }
    ClaimLead(fcinfo, c, lead, phone, attempts, slots[m.claimed], plan, out, desc);
    m.claimed_leads[m.claimed] = lead;
    m.claimed_phones[m.claimed] = phone;
    m.claimed++;
  }
  WriteMoves(c, m);
  ReplanNumbers(c, m, now);
}

// The claim inside SPI, its rows put into out.
void Claim(FunctionCallInfo fcinfo, Tuplestorestate* out, TupleDesc desc) {
  const Datum tenant = FindCampaign(fcinfo);
  Campaign c;
  if (!ReadCampaign(fcinfo, tenant, &c)) {
    // Gone since it was found (deleted meanwhile): the checks still apply, then nothing to claim.
    c = Campaign{};
    c.tenant = tenant;
    CheckArguments(fcinfo, c);
    return;
  }
  CheckArguments(fcinfo, c);
  if (!Claimable(c, PG_GETARG_TIMESTAMPTZ(kNow))) return;
  int n_slots;
  const int32* slots = TakeSlots(c, PG_GETARG_INT32(kMaxCalls), &n_slots);
  if (n_slots == 0) return;  // every slot is busy (or being taken by another claimer right now)
  ClaimLeads(fcinfo, c, slots, n_slots, out, desc);
}

}  // namespace

// dialer.claim_calls(p_campaign_id, p_worker_id, p_max_calls, p_lease, p_now) returns
// TABLE (call_id, lead_id, phone, attempt_number, lease_expires_at, idempotency_key,
// dial_by): one row per call to place (sql_src/44_claim.sql).
Datum dialer_claim_calls(PG_FUNCTION_ARGS) {
  InitMaterializedSRF(fcinfo, 0);
  ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "pg_dialer: SPI_connect failed");
  Claim(fcinfo, rsinfo->setResult, rsinfo->setDesc);
  SPI_finish();
  return Datum(0);
}
