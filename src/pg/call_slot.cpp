// The slot triggers on dialer.calls (sql_src/55_call_slot.sql says why they exist):
// dialer._occupy_call_slot() (AFTER INSERT: a call inserted in flight occupies the slot it
// names) and dialer._call_leaves_flight() (AFTER UPDATE OF status: a call that leaves flight
// frees its slot, dropping it when the campaign's limit shrank meanwhile). The statements are
// those of the PL/pgSQL definitions shipped up to 0.9.0 (sql_upgrade/objects/), run over plans
// kept for the backend's life.
//
// Why in C (issue 20): both fire on every queue cycle, and as PL/pgSQL each firing built a
// record of the call's forty columns and ran the interpreter (the leaves-flight trigger also
// a nested PL/pgSQL function, dialer._free_slot, now folded in here).
//
// Plain Postgres code throughout (SPI, ereport): no C++ object with a destructor is ever
// alive here, so an ereport's longjmp skips nothing.
#include "pg/postgres_includes.hpp"
#include "pg/spi_plans.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_type_d.h"
#include "commands/trigger.h"
#include "utils/rel.h"
#include "utils/uuid.h"
}

DIALER_FUNCTION(dialer_occupy_call_slot)
DIALER_FUNCTION(dialer_call_leaves_flight)

namespace {

using dialer::pg::RunKept;

// What the triggers read of a call row.
struct CallSlot {
  Datum tenant, campaign, id, claimed_at;
  bool campaign_null, claimed_at_null;
  int32 slot;
  bool slot_null;
};

constexpr const char* kOccupy =
    "UPDATE dialer.campaign_slots s SET call_id = $4, claimed_at = $5"
    " WHERE s.tenant_id = $1 AND s.campaign_id = $2 AND s.slot = $3"
    " AND (s.call_id IS NULL OR s.call_id = $4)";
constexpr const char* kSlotExists =
    "SELECT 1 FROM dialer.campaign_slots s"
    " WHERE s.tenant_id = $1 AND s.campaign_id = $2 AND s.slot = $3";
// A restored call above the campaign's current limit (the limit shrank while it was in
// flight): its slot row is kept until it ends, as it was before the dump.
constexpr const char* kRestore =
    "INSERT INTO dialer.campaign_slots (tenant_id, campaign_id, slot, call_id, claimed_at)"
    " VALUES ($1, $2, $3, $4, $5)";
constexpr const char* kFree =
    "UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL"
    " WHERE s.tenant_id = $1 AND s.campaign_id = $2 AND s.slot = $3 AND s.call_id = $4"
    " RETURNING s.slot";
// A call written by hand with status claimed and no slot: look through the campaign's slots.
constexpr const char* kFreeSearch =
    "UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL"
    " WHERE s.tenant_id = $1 AND s.campaign_id = $2 AND s.call_id = $3 RETURNING s.slot";
// Why a statement of its own after the UPDATE: its snapshot shows a lowered limit that
// committed meanwhile (the limit's trigger then skipped this slot, still occupied).
constexpr const char* kLimit =
    "SELECT c.max_concurrent_calls FROM dialer.campaigns c WHERE c.tenant_id = $1 AND c.id = $2";
constexpr const char* kDrop =
    "DELETE FROM dialer.campaign_slots s"
    " WHERE s.tenant_id = $1 AND s.campaign_id = $2 AND s.slot = $3 AND s.call_id IS NULL";

// The kept plans (prepared on first use in the backend).
SPIPlanPtr occupy_plan, exists_plan, restore_plan, free_plan, search_plan, limit_plan, drop_plan;

// The trigger data of a row trigger fired AFTER event on a table; 39000 otherwise.
TriggerData* RowTrigger(FunctionCallInfo fcinfo, const char* name, bool insert) {
  if (!CALLED_AS_TRIGGER(fcinfo)) {
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("%s() must be fired as a trigger", name)));
  }
  TriggerData* trigdata = reinterpret_cast<TriggerData*>(fcinfo->context);
  const TriggerEvent event = trigdata->tg_event;
  if (!TRIGGER_FIRED_AFTER(event) || !TRIGGER_FIRED_FOR_ROW(event) ||
      (insert ? !TRIGGER_FIRED_BY_INSERT(event) : !TRIGGER_FIRED_BY_UPDATE(event))) {
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("%s() must be fired AFTER %s ... FOR EACH ROW", name,
                           insert ? "INSERT" : "UPDATE")));
  }
  return trigdata;
}

// Column name of tuple (of relation rel); *null says whether it is NULL.
Datum Field(HeapTuple tuple, Relation rel, const char* name, bool* null) {
  const int attnum = SPI_fnumber(RelationGetDescr(rel), name);
  if (attnum <= 0) elog(ERROR, "pg_dialer: dialer.calls has no column \"%s\"", name);
  return heap_getattr(tuple, attnum, RelationGetDescr(rel), null);
}

// What the slot triggers need of a call row.
CallSlot ReadCall(HeapTuple tuple, Relation rel) {
  CallSlot c;
  bool null;
  c.tenant = Field(tuple, rel, "tenant_id", &null);
  c.campaign = Field(tuple, rel, "campaign_id", &c.campaign_null);
  c.id = Field(tuple, rel, "id", &null);
  c.claimed_at = Field(tuple, rel, "claimed_at", &c.claimed_at_null);
  c.slot = DatumGetInt32(Field(tuple, rel, "slot", &c.slot_null));
  return c;
}

// Occupies the new call's slot: the free (or already its own) slot row, else a restored
// call's slot row above the limit; 23505 when another call holds it.
void Occupy(const CallSlot& c) {
  static const Oid types[] = {UUIDOID, UUIDOID, INT4OID, UUIDOID, TIMESTAMPTZOID};
  Datum values[] = {c.tenant, c.campaign, Int32GetDatum(c.slot), c.id, c.claimed_at};
  const char nulls[] = {' ', c.campaign_null ? 'n' : ' ', ' ', ' ', c.claimed_at_null ? 'n' : ' '};
  if (RunKept(&occupy_plan, kOccupy, 5, types, values, nulls) > 0) return;
  if (RunKept(&exists_plan, kSlotExists, 3, types, values, nulls) > 0) {
    ereport(ERROR,
            (errcode(ERRCODE_UNIQUE_VIOLATION),
             errmsg("slot %d of campaign %s is held by another call", c.slot,
                    c.campaign_null ? "<NULL>"
                                    : DatumGetCString(DirectFunctionCall1(uuid_out, c.campaign))),
             errdetail("Call %s is in flight with that slot.",
                       DatumGetCString(DirectFunctionCall1(uuid_out, c.id))),
             errhint("Insert calls in flight through dialer.claim_calls, or without a slot.")));
  }
  RunKept(&restore_plan, kRestore, 5, types, values, nulls);
}

// Frees the ended call's slot; drops the slot row when it is above the campaign's limit.
void Free(const CallSlot& c) {
  static const Oid types[] = {UUIDOID, UUIDOID, INT4OID, UUIDOID};
  static const Oid search_types[] = {UUIDOID, UUIDOID, UUIDOID};
  const char campaign_null = c.campaign_null ? 'n' : ' ';
  uint64 freed;
  if (!c.slot_null) {
    Datum values[] = {c.tenant, c.campaign, Int32GetDatum(c.slot), c.id};
    const char nulls[] = {' ', campaign_null, ' ', ' '};
    freed = RunKept(&free_plan, kFree, 4, types, values, nulls);
  } else {
    Datum values[] = {c.tenant, c.campaign, c.id};
    const char nulls[] = {' ', campaign_null, ' '};
    freed = RunKept(&search_plan, kFreeSearch, 3, search_types, values, nulls);
  }
  if (freed == 0) return;
  bool null;
  const int32 slot =
      DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &null));
  Datum values[] = {c.tenant, c.campaign, Int32GetDatum(slot)};
  if (RunKept(&limit_plan, kLimit, 2, types, values, nullptr) == 0) return;
  const Datum limit = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &null);
  if (null || slot <= DatumGetInt32(limit)) return;
  RunKept(&drop_plan, kDrop, 3, types, values, nullptr);
}

}  // namespace

// Trigger dialer_occupy_call_slot: AFTER INSERT ON dialer.calls FOR EACH ROW WHEN (the call
// is in flight with a slot).
Datum dialer_occupy_call_slot(PG_FUNCTION_ARGS) {
  TriggerData* trigdata = RowTrigger(fcinfo, "dialer._occupy_call_slot", true);
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "pg_dialer: SPI_connect failed");
  const CallSlot c = ReadCall(trigdata->tg_trigtuple, trigdata->tg_relation);
  if (!c.slot_null) Occupy(c);
  SPI_finish();
  return PointerGetDatum(nullptr);
}

// Trigger dialer_call_leaves_flight: AFTER UPDATE OF status ON dialer.calls FOR EACH ROW WHEN
// (the call leaves flight).
Datum dialer_call_leaves_flight(PG_FUNCTION_ARGS) {
  TriggerData* trigdata = RowTrigger(fcinfo, "dialer._call_leaves_flight", false);
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "pg_dialer: SPI_connect failed");
  Free(ReadCall(trigdata->tg_trigtuple, trigdata->tg_relation));
  SPI_finish();
  return PointerGetDatum(nullptr);
}
