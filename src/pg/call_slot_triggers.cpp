// The two row triggers on dialer.calls that keep dialer.campaign_slots in step with the calls
// in flight (sql_src/55_call_slot.sql has the SQL declarations, their WHEN clauses and why
// each is a trigger):
//   dialer._occupy_call_slot()    AFTER INSERT: a call inserted in flight with a slot takes it;
//   dialer._call_leaves_flight()  AFTER UPDATE OF status: a call that leaves flight frees it.
// The statements are those of the PL/pgSQL definitions shipped from 0.6.0 to 0.15.0
// (sql_upgrade/objects/: dialer._occupy_call_slot/0.5.0.sql, dialer._call_leaves_flight/0.6.0.sql
// and the dialer._free_slot/0.5.0.sql it called), run over plans kept for the backend's life.
//
// Why in C (issue 20): both fire on every queue cycle, one in the claim and one in the
// completion, and the second called a third PL/pgSQL function (dialer._free_slot): three
// interpreter entries per cycle, each with its SET clauses applied and undone, around three
// short statements (docs/queue.md, Performance).
//
// Plain Postgres code throughout (SPI, ereport): no C++ object with a destructor is ever
// alive here, so an ereport's longjmp skips nothing.
#include "pg/postgres_includes.hpp"
#include "pg/spi_plans.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_type_d.h"
#include "commands/trigger.h"
#include "utils/uuid.h"
}

DIALER_FUNCTION(dialer_occupy_call_slot)
DIALER_FUNCTION(dialer_call_leaves_flight)

namespace {

using dialer::pg::ResultColumn;
using dialer::pg::RunKept;

constexpr const char* kOccupy =
    "UPDATE dialer.campaign_slots s SET call_id = $4, claimed_at = $5"
    " WHERE s.tenant_id = $1 AND s.campaign_id = $2 AND s.slot = $3"
    " AND (s.call_id IS NULL OR s.call_id = $4)";
constexpr const char* kSlotExists =
    "SELECT 1 FROM dialer.campaign_slots s"
    " WHERE s.tenant_id = $1 AND s.campaign_id = $2 AND s.slot = $3";
constexpr const char* kInsertSlot =
    "INSERT INTO dialer.campaign_slots (tenant_id, campaign_id, slot, call_id, claimed_at)"
    " VALUES ($1, $2, $3, $4, $5)";
constexpr const char* kFreeSlot =
    "UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL"
    " WHERE s.tenant_id = $1 AND s.campaign_id = $2 AND s.slot = $3 AND s.call_id = $4"
    " RETURNING s.slot";
// A call written by hand with status claimed and no slot: look through the campaign's slots.
constexpr const char* kFreeAnySlot =
    "UPDATE dialer.campaign_slots s SET call_id = NULL, claimed_at = NULL"
    " WHERE s.tenant_id = $1 AND s.campaign_id = $2 AND s.call_id = $3"
    " RETURNING s.slot";
constexpr const char* kLimit =
    "SELECT c.max_concurrent_calls FROM dialer.campaigns c WHERE c.tenant_id = $1 AND c.id = $2";
constexpr const char* kDropSlot =
    "DELETE FROM dialer.campaign_slots s"
    " WHERE s.tenant_id = $1 AND s.campaign_id = $2 AND s.slot = $3 AND s.call_id IS NULL";

SPIPlanPtr occupy_plan, exists_plan, insert_plan, free_plan, free_any_plan, limit_plan, drop_plan;

// The columns of a call row these triggers read.
struct CallSlot {
  Datum tenant, campaign, slot, id, claimed_at;
  bool campaign_null, slot_null, claimed_at_null;
};

// Column name of the call row tuple; *null says whether it is NULL.
Datum Column(HeapTuple tuple, TupleDesc desc, const char* name, bool* null) {
  const int attnum = SPI_fnumber(desc, name);
  if (attnum <= 0) elog(ERROR, "pg_dialer: dialer.calls has no column %s", name);
  return heap_getattr(tuple, attnum, desc, null);
}

// Reads the call's key, campaign, slot and claim time from the row.
CallSlot ReadCall(HeapTuple tuple, TupleDesc desc) {
  CallSlot c{};
  bool null;
  c.tenant = Column(tuple, desc, "tenant_id", &null);
  c.id = Column(tuple, desc, "id", &null);
  c.campaign = Column(tuple, desc, "campaign_id", &c.campaign_null);
  c.slot = Column(tuple, desc, "slot", &c.slot_null);
  c.claimed_at = Column(tuple, desc, "claimed_at", &c.claimed_at_null);
  return c;
}

// The trigger data, after checking how the function was fired (row, AFTER, the event).
TriggerData* CheckFired(FunctionCallInfo fcinfo, const char* name, bool on_insert) {
  const char* how = on_insert ? "AFTER INSERT FOR EACH ROW" : "AFTER UPDATE FOR EACH ROW";
  if (!CALLED_AS_TRIGGER(fcinfo))
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("%s() must be fired as a trigger", name),
                    errhint("It is the trigger function of dialer.calls (%s).", how)));
  TriggerData* data = reinterpret_cast<TriggerData*>(fcinfo->context);
  const TriggerEvent event = data->tg_event;
  const bool event_ok = on_insert ? TRIGGER_FIRED_BY_INSERT(event) : TRIGGER_FIRED_BY_UPDATE(event);
  if (!TRIGGER_FIRED_AFTER(event) || !TRIGGER_FIRED_FOR_ROW(event) || !event_ok)
    ereport(ERROR,
            (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
             errmsg("%s() must be fired %s", name, how),
             errhint("It is the trigger function of dialer.calls; do not attach it elsewhere.")));
  return data;
}

// Raises 23505: the slot the call names is held by another call.
void SlotHeld(const CallSlot& c) {
  ereport(ERROR,
          (errcode(ERRCODE_UNIQUE_VIOLATION),
           errmsg("slot %d of campaign %s is held by another call", DatumGetInt32(c.slot),
                  DatumGetCString(DirectFunctionCall1(uuid_out, c.campaign))),
           errdetail("Call %s is in flight with that slot.",
                     DatumGetCString(DirectFunctionCall1(uuid_out, c.id))),
           errhint("Insert calls in flight through dialer.claim_calls, or without a slot.")));
}

// A call inserted in flight takes the slot it names; a restored call above the campaign's
// current limit (it shrank while the call was in flight) gets its slot row back.
void Occupy(const CallSlot& c) {
  static const Oid types[] = {UUIDOID, UUIDOID, INT4OID, UUIDOID, TIMESTAMPTZOID};
  Datum values[] = {c.tenant, c.campaign, c.slot, c.id, c.claimed_at};
  const char nulls[] = {' ', c.campaign_null ? 'n' : ' ', ' ', ' ', c.claimed_at_null ? 'n' : ' '};
  if (RunKept(&occupy_plan, kOccupy, 5, types, values, nulls) > 0) return;
  if (RunKept(&exists_plan, kSlotExists, 3, types, values, nulls) > 0) SlotHeld(c);
  RunKept(&insert_plan, kInsertSlot, 5, types, values, nulls);
}

// Frees the slot of a call that left flight; drops it if the campaign's limit shrank
// meanwhile (the slot row was kept only for this call).
void Free(const CallSlot& c) {
  const char key_nulls[] = {' ', c.campaign_null ? 'n' : ' ', ' ', ' '};
  uint64 freed;
  if (!c.slot_null) {
    static const Oid types[] = {UUIDOID, UUIDOID, INT4OID, UUIDOID};
    Datum values[] = {c.tenant, c.campaign, c.slot, c.id};
    freed = RunKept(&free_plan, kFreeSlot, 4, types, values, key_nulls);
  } else {
    static const Oid types[] = {UUIDOID, UUIDOID, UUIDOID};
    Datum values[] = {c.tenant, c.campaign, c.id};
    freed = RunKept(&free_any_plan, kFreeAnySlot, 3, types, values, key_nulls);
  }
  if (freed == 0) return;
  bool null;
  const int32 slot = DatumGetInt32(ResultColumn(1, &null));
  static const Oid key_types[] = {UUIDOID, UUIDOID, INT4OID};
  Datum key[] = {c.tenant, c.campaign, Int32GetDatum(slot)};
  if (RunKept(&limit_plan, kLimit, 2, key_types, key, key_nulls) == 0) return;
  const Datum limit = ResultColumn(1, &null);
  if (null || slot <= DatumGetInt32(limit)) return;
  RunKept(&drop_plan, kDropSlot, 3, key_types, key, key_nulls);
}

}  // namespace

// dialer._occupy_call_slot(): AFTER INSERT row trigger of dialer.calls.
Datum dialer_occupy_call_slot(PG_FUNCTION_ARGS) {
  TriggerData* data = CheckFired(fcinfo, "dialer._occupy_call_slot", true);
  const CallSlot c = ReadCall(data->tg_trigtuple, RelationGetDescr(data->tg_relation));
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "pg_dialer: SPI_connect failed");
  Occupy(c);
  SPI_finish();
  return PointerGetDatum(nullptr);
}

// dialer._call_leaves_flight(): AFTER UPDATE row trigger of dialer.calls (the old row's slot).
Datum dialer_call_leaves_flight(PG_FUNCTION_ARGS) {
  TriggerData* data = CheckFired(fcinfo, "dialer._call_leaves_flight", false);
  const CallSlot c = ReadCall(data->tg_trigtuple, RelationGetDescr(data->tg_relation));
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "pg_dialer: SPI_connect failed");
  Free(c);
  SPI_finish();
  return PointerGetDatum(nullptr);
}
