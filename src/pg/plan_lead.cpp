// dialer._plan_lead(p_tenant_id, p_lead_id, p_now, p_last_outcome) returns dialer.lead_plan:
// the scheduler's next legal attempt for one lead, its inputs read from the tables and
// decided in one call (the legality re-check of every claim, the next attempt of every
// completion, and the re-planning of a number's or a campaign's waiting leads).
//
// Why one C function returning a composite: up to 0.7.0 it was an SQL function inlined
// into the caller's statement, a query of two function scans (the inputs, then the
// decision over the inputs row) that the executor started for every claim and every
// completion, building a row between the halves only to take it apart again. PL/pgSQL
// evaluates `v := dialer._plan_lead(...)` as a simple expression: no executor start at all.
//
// Semantics are those of the SQL definition 0.7.0 shipped (sql_upgrade/objects/
// dialer._plan_lead/), which test/pgtap/lead_schedule_inputs.sql keeps as the reference.
//
// Plain Postgres code (the decision's C++ runs inside DecideScheduleInputs' guard): no C++
// object with a destructor is alive here, so an ereport's longjmp skips nothing.
#include "pg/lead_inputs.hpp"
#include "pg/plan_lead.hpp"
#include "pg/postgres_includes.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type_d.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
}

DIALER_FUNCTION(dialer_plan_lead)

namespace {

// The result's fields, in dialer.lead_plan's order (sql_src/43_plan.sql).
enum PlanField { kNextAttemptAt, kFinalStatus, kRecipientZone, kLegalUntil, kPlanFieldCount };

// What a call site needs of the catalog, found on its first call (fn_extra). Why it may
// be kept: the result type and the enum are the extension's, changed only by its update
// scripts, which replace the function (and so every plan holding this FmgrInfo).
struct PlanCatalog {
  TupleDesc result;  // dialer.lead_plan's descriptor, a copy in fn_mcxt
  Oid held;          // the dialer.lead_status labels a "never" leaves a lead in
  Oid do_not_call;
  Oid failed;
};

// The call site's catalog facts, looked up on its first call.
const PlanCatalog* CatalogOf(FunctionCallInfo fcinfo) {
  auto* cat = static_cast<PlanCatalog*>(fcinfo->flinfo->fn_extra);
  if (cat != nullptr) return cat;
  TupleDesc desc = lookup_rowtype_tupdesc(get_func_rettype(fcinfo->flinfo->fn_oid), -1);
  const bool ok = desc->natts == kPlanFieldCount;
  const Oid status_type = ok ? TupleDescAttr(desc, kFinalStatus)->atttypid : InvalidOid;
  // Why a copy: the typcache's descriptor is reference-counted per use; the copy lets every
  // call form its row without looking the type up again.
  const MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
  TupleDesc result = ok ? CreateTupleDescCopy(desc) : nullptr;
  MemoryContextSwitchTo(old);
  ReleaseTupleDesc(desc);
  if (!ok) {
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("pg_dialer: type dialer.lead_plan is not the one this library returns"),
                    errhint("Run ALTER EXTENSION pg_dialer UPDATE.")));
  }
  cat = static_cast<PlanCatalog*>(MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(PlanCatalog)));
  cat->result = result;
  cat->held = dialer::pg::EnumLabelOid(status_type, "held");
  cat->do_not_call = dialer::pg::EnumLabelOid(status_type, "do_not_call");
  cat->failed = dialer::pg::EnumLabelOid(status_type, "failed");
  fcinfo->flinfo->fn_extra = cat;
  return cat;
}

// The OID of a "never" status label (NeverStatusLabel's three) in the call site's facts.
Oid NeverStatus(const PlanCatalog& cat, const char* label) {
  if (strcmp(label, "held") == 0) return cat.held;
  if (strcmp(label, "do_not_call") == 0) return cat.do_not_call;
  return cat.failed;
}

// The zone a call is recorded under: the number's only candidate zone, else fallback (as
// "CASE WHEN cardinality(zones) = 1 THEN zones[1] ELSE fallback END").
void RecipientZone(Datum zones, Datum fallback, bool fallback_null, Datum* zone, bool* null) {
  ArrayType* a = DatumGetArrayTypeP(zones);
  if (ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a)) != 1) {
    *zone = fallback;
    *null = fallback_null;
    return;
  }
  int index = 1;
  // zones[1]: NULL when the one element is not at subscript 1 (or is NULL itself).
  *zone = array_get_element(PointerGetDatum(a), 1, &index, -1, -1, false, TYPALIGN_INT, null);
}

}  // namespace

namespace dialer::pg {

const char* NeverStatusLabel(const char* reason) {
  if (strcmp(reason, "unknown_outcome") == 0) return "held";
  if (strcmp(reason, "suppressed") == 0) return "do_not_call";
  return "failed";
}

LeadPlan PlanLead(Datum tenant_id, Datum lead_id, TimestampTz now, const Datum* last_outcome) {
  LeadPlan plan{};
  Datum in[kScheduleInputCount];
  bool in_nulls[kScheduleInputCount];
  Datum fallback;
  bool fallback_null;
  plan.found = ReadScheduleInputs(tenant_id, lead_id, now, last_outcome, in, in_nulls, &fallback,
                                  &fallback_null);
  if (!plan.found) return plan;
  const QueueDecision d = DecideScheduleInputs(in, in_nulls, now);
  plan.never = d.never;
  plan.next_attempt_at = d.at;
  plan.final_status = d.never ? NeverStatusLabel(d.reason) : nullptr;
  RecipientZone(in[kScheduleInputZones], fallback, fallback_null, &plan.recipient_zone,
                &plan.zone_null);
  plan.has_legal_until = d.has_legal_until;
  plan.legal_until = d.legal_until;
  return plan;
}

LeadPlan PlanLeadNow(Datum tenant_id, Datum lead_id, TimestampTz now, const Datum* last_outcome) {
  CommandCounterIncrement();
  PushActiveSnapshot(GetTransactionSnapshot());
  const LeadPlan plan = PlanLead(tenant_id, lead_id, now, last_outcome);
  PopActiveSnapshot();
  return plan;
}

}  // namespace dialer::pg

// dialer._plan_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz, p_last_outcome
// text) returns dialer.lead_plan (next_attempt_at, final_status, recipient_zone,
// legal_until); NULL when no such lead is visible.
Datum dialer_plan_lead(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) PG_RETURN_NULL();
  const TimestampTz now = dialer::pg::DecisionInstantArg(fcinfo, 2);
  const PlanCatalog* cat = CatalogOf(fcinfo);
  const Datum outcome = PG_ARGISNULL(3) ? Datum(0) : PointerGetDatum(PG_GETARG_TEXT_PP(3));
  const dialer::pg::LeadPlan plan = dialer::pg::PlanLead(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1),
                                                         now, PG_ARGISNULL(3) ? nullptr : &outcome);
  if (!plan.found) PG_RETURN_NULL();
  Datum out[kPlanFieldCount];
  bool out_nulls[kPlanFieldCount];
  out[kNextAttemptAt] = TimestampTzGetDatum(plan.next_attempt_at);
  out_nulls[kNextAttemptAt] = plan.never;
  out[kFinalStatus] =
      plan.never ? ObjectIdGetDatum(NeverStatus(*cat, plan.final_status)) : Datum(0);
  out_nulls[kFinalStatus] = !plan.never;
  out[kRecipientZone] = plan.recipient_zone;
  out_nulls[kRecipientZone] = plan.zone_null;
  out[kLegalUntil] = TimestampTzGetDatum(plan.legal_until);
  out_nulls[kLegalUntil] = !plan.has_legal_until;
  PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(cat->result, out, out_nulls)));
}
