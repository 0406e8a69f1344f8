// dialer.set_updated_at(): the BEFORE INSERT OR UPDATE row trigger that stamps a
// timestamp column, written C-style because it runs once per written row. An UPDATE is
// always stamped; an INSERT or COPY only where it leaves the column NULL (a value it
// supplies, e.g. pg_restore's, is kept; DEFAULT now() covers rows written without one).
//
// Why C-style (no C++ objects, no Guard): this is the hottest path in the extension
// (every row of every dialer table). Nothing here owns a destructor, so an ereport
// (a longjmp) cannot skip one; the guard's try/catch would only add cost.
//
// What makes it fast: the column is looked up once per statement and cached in
// fn_extra; the value is the transaction timestamp (no clock call, no string parse
// as moddatetime does with "now"); and the common case patches the column's 8 bytes
// in the executor's own private copy of the row and returns that same row, so neither
// we nor the executor copy it (any changed tuple we returned would be copied again
// into the slot). Otherwise it copies the tuple and patches the copy, and only a NULL
// or missing column goes through heap_modify_tuple_by_cols.
#include "pg/guard.hpp"
#include "pg/updated_at.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/tupmacs.h"
#include "access/xact.h"
#include "catalog/pg_type_d.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "pgtime.h"
#include "utils/datum.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
}

DIALER_FUNCTION(dialer_set_updated_at)

namespace {

// Which clock the stamp reads (trigger options 'statement' and 'clock').
enum StampClock { kTransactionClock, kStatementClock, kWallClock };

// The per-trigger, per-statement plan kept in fn_extra (allocated in fn_mcxt).
struct StampPlan {
  Oid relid;          // relation the plan was built for
  Oid tgoid;          // trigger the plan was built for
  TupleDesc tupdesc;  // the relation's descriptor the plan was built against
  int attnum;         // 1-based column number
  Oid typid;          // TIMESTAMPTZOID or TIMESTAMPOID
  StampClock clock;
  bool skip_noop;     // leave updates that change no other column untouched
  int fixed_offset;   // data offset of the column when no preceding column is
                      // variable-width or null; -1 otherwise
  Datum* old_values;  // deform buffers for the no-op comparison (natts each)
  bool* old_nulls;
  Datum* new_values;
  bool* new_nulls;
  // Cache of the last timestamptz -> timestamp conversion (session zone dependent).
  bool converted_valid;
  TimestampTz converted_from;
  pg_tz* converted_zone;
  Datum converted_value;
};

// Raises the error for a trigger fired in a way it cannot serve.
void RejectTriggerUse(const char* what) {
  ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                  errmsg("dialer.set_updated_at() must be fired %s", what),
                  errhint("Install it with dialer.track_updated_at(tbl, col).")));
}

// Parses the option arguments after the column name into the plan.
void ParseOptions(const Trigger* trigger, StampPlan* plan) {
  for (int i = 1; i < trigger->tgnargs; i++) {
    const char* option = trigger->tgargs[i];
    if (strcmp(option, "skip_noop") == 0) {
      plan->skip_noop = true;
    } else if (strcmp(option, "statement") == 0) {
      plan->clock = kStatementClock;
    } else if (strcmp(option, "clock") == 0) {
      plan->clock = kWallClock;
    } else if (strcmp(option, "transaction") == 0) {
      plan->clock = kTransactionClock;
    } else {
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("unknown dialer.set_updated_at() option \"%s\" on trigger \"%s\"",
                             option, trigger->tgname),
                      errdetail("Options after the column name choose the clock or no-op "
                                "handling."),
                      errhint("Use skip_noop, transaction, statement or clock.")));
    }
  }
}

// The column's data offset when every preceding column is fixed-width, else -1.
int FixedOffset(TupleDesc desc, int attnum) {
  int offset = 0;
  for (int i = 0; i < attnum - 1; i++) {
    Form_pg_attribute att = TupleDescAttr(desc, i);
    if (att->attlen <= 0) return -1;
    offset = att_align_nominal(offset, att->attalign);
    offset += att->attlen;
  }
  return att_align_nominal(offset, TupleDescAttr(desc, attnum - 1)->attalign);
}

// Builds (or rebuilds) the plan for this trigger and relation, validating the column.
StampPlan* BuildPlan(FunctionCallInfo fcinfo, TriggerData* trigdata) {
  Relation rel = trigdata->tg_relation;
  const Trigger* trigger = trigdata->tg_trigger;
  TupleDesc desc = RelationGetDescr(rel);
  const char* column = trigger->tgnargs > 0 ? trigger->tgargs[0] : "updated_at";

  int attnum = dialer::pg::UpdatedAtColumnNumber(desc, column);
  if (attnum == 0) {
    ereport(ERROR,
            (errcode(ERRCODE_UNDEFINED_COLUMN),
             errmsg("column \"%s\" of relation \"%s\" does not exist", column,
                    RelationGetRelationName(rel)),
             errdetail("Trigger \"%s\" stamps the column named by its first argument.",
                       trigger->tgname),
             errhint("Add the column, or reinstall with dialer.track_updated_at(tbl, col).")));
  }
  Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
  if (att->atttypid != TIMESTAMPTZOID && att->atttypid != TIMESTAMPOID) {
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("column \"%s\" of relation \"%s\" is of type %s", column,
                           RelationGetRelationName(rel), format_type_be(att->atttypid)),
                    errdetail("dialer.set_updated_at() stamps timestamptz or timestamp columns."),
                    errhint("Change the column type to timestamptz.")));
  }

  StampPlan* plan = static_cast<StampPlan*>(fcinfo->flinfo->fn_extra);
  if (plan == nullptr) {
    plan =
        static_cast<StampPlan*>(MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(StampPlan)));
    fcinfo->flinfo->fn_extra = plan;
  } else {
    // The descriptor changed under the same FmgrInfo: start from a clean plan.
    if (plan->old_values != nullptr) {
      pfree(plan->old_values);
      pfree(plan->old_nulls);
      pfree(plan->new_values);
      pfree(plan->new_nulls);
    }
    memset(plan, 0, sizeof(StampPlan));
  }
  plan->relid = RelationGetRelid(rel);
  plan->tgoid = trigger->tgoid;
  plan->tupdesc = desc;
  plan->attnum = attnum;
  plan->typid = att->atttypid;
  plan->clock = kTransactionClock;
  ParseOptions(trigger, plan);
  plan->fixed_offset = FixedOffset(desc, attnum);
  if (plan->skip_noop) {
    MemoryContext context = fcinfo->flinfo->fn_mcxt;
    plan->old_values =
        static_cast<Datum*>(MemoryContextAlloc(context, desc->natts * sizeof(Datum)));
    plan->old_nulls = static_cast<bool*>(MemoryContextAlloc(context, desc->natts * sizeof(bool)));
    plan->new_values =
        static_cast<Datum*>(MemoryContextAlloc(context, desc->natts * sizeof(Datum)));
    plan->new_nulls = static_cast<bool*>(MemoryContextAlloc(context, desc->natts * sizeof(bool)));
  }
  return plan;
}

// The cached plan if it was built for this trigger, relation and descriptor, else a new one.
// Why the descriptor pointer: fn_extra lives as long as the FmgrInfo (one statement), and
// the relation is locked for that time, so ALTER TABLE cannot run in between; comparing
// the rd_att pointer (plus relid and trigger oid) still catches any relcache rebuild that
// replaced the descriptor, and a rebuild re-validates the column name and type.
StampPlan* GetPlan(FunctionCallInfo fcinfo, TriggerData* trigdata) {
  StampPlan* plan = static_cast<StampPlan*>(fcinfo->flinfo->fn_extra);
  Relation rel = trigdata->tg_relation;
  if (plan != nullptr && plan->relid == RelationGetRelid(rel) &&
      plan->tgoid == trigdata->tg_trigger->tgoid && plan->tupdesc == RelationGetDescr(rel)) {
    return plan;
  }
  return BuildPlan(fcinfo, trigdata);
}

// The stamp value in the column's type, read from the plan's clock.
Datum StampValue(StampPlan* plan) {
  TimestampTz now;
  switch (plan->clock) {
    case kStatementClock:
      now = GetCurrentStatementStartTimestamp();
      break;
    case kWallClock:
      now = GetCurrentTimestamp();
      break;
    default:
      now = GetCurrentTransactionStartTimestamp();
      break;
  }
  if (plan->typid == TIMESTAMPTZOID) return TimestampTzGetDatum(now);
  // timestamp without time zone: the session-local wall time, as now()::timestamp.
  // The conversion is cached per (instant, session zone): with the transaction clock
  // every row of a transaction converts the same instant.
  if (!plan->converted_valid || plan->converted_from != now ||
      plan->converted_zone != session_timezone) {
    plan->converted_value = DirectFunctionCall1(timestamptz_timestamp, TimestampTzGetDatum(now));
    plan->converted_from = now;
    plan->converted_zone = session_timezone;
    plan->converted_valid = true;
  }
  return plan->converted_value;
}

// The byte offset of attribute attnum inside the tuple's data area (the attribute
// must be present and not null), walking preceding attributes as nocachegetattr does.
long DataOffset(HeapTuple tuple, TupleDesc desc, int attnum, int fixed_offset) {
  HeapTupleHeader header = tuple->t_data;
  bool has_nulls = HeapTupleHasNulls(tuple);
  if (!has_nulls && fixed_offset >= 0) return fixed_offset;
  char* data = reinterpret_cast<char*>(header) + header->t_hoff;
  long offset = 0;
  for (int i = 0; i < attnum - 1; i++) {
    if (has_nulls && att_isnull(i, header->t_bits)) continue;
    Form_pg_attribute att = TupleDescAttr(desc, i);
    offset = att_align_pointer(offset, att->attalign, att->attlen, data + offset);
    offset = att_addlength_pointer(offset, att->attlen, data + offset);
  }
  return att_align_nominal(offset, TupleDescAttr(desc, attnum - 1)->attalign);
}

// Whether the slot holds tuple as its own private, materialised copy.
// Why it matters: then the row can be patched in place and returned unchanged; the
// executor keeps using the slot. A slot whose tuple points into a shared buffer page, or
// a tuple the slot does not own, must never be written to.
bool SlotOwnsTuple(TupleTableSlot* slot, HeapTuple tuple) {
  if (slot == nullptr || !TTS_SHOULDFREE(slot)) return false;
  if (!TTS_IS_HEAPTUPLE(slot) && !TTS_IS_BUFFERTUPLE(slot)) return false;
  return reinterpret_cast<HeapTupleTableSlot*>(slot)->tuple == tuple;
}

// Writes the 8-byte timestamp into the tuple's data at the column's offset.
void PatchColumn(HeapTuple tuple, TupleDesc desc, StampPlan* plan, Datum value) {
  long offset = DataOffset(tuple, desc, plan->attnum, plan->fixed_offset);
  int64 raw = DatumGetInt64(value);
  memcpy(reinterpret_cast<char*>(tuple->t_data) + tuple->t_data->t_hoff + offset, &raw,
         sizeof(raw));
}

// Whether the tuple stores a value (not NULL, not missing) for attribute attnum.
bool HasValue(HeapTuple tuple, int attnum) {
  return attnum <= HeapTupleHeaderGetNatts(tuple->t_data) &&
         !(HeapTupleHasNulls(tuple) && att_isnull(attnum - 1, tuple->t_data->t_bits));
}

// The row to return: tuple with the column set to value.
HeapTuple Stamp(HeapTuple tuple, TupleTableSlot* slot, TupleDesc desc, StampPlan* plan,
                Datum value) {
  int attnum = plan->attnum;
  if (!HasValue(tuple, attnum)) {
    // NULL or missing (column added after the row was written): the layout changes.
    bool is_null = false;
    return heap_modify_tuple_by_cols(tuple, desc, 1, &attnum, &value, &is_null);
  }
  if (SlotOwnsTuple(slot, tuple)) {
    PatchColumn(tuple, desc, plan, value);
    // Keep already-deformed values in step with the patched bytes.
    if (slot->tts_nvalid >= attnum) slot->tts_values[attnum - 1] = value;
    return tuple;
  }
  // Same layout: copy and overwrite the column's 8 bytes (timestamp types are int64).
  HeapTuple copy = heap_copytuple(tuple);
  PatchColumn(copy, desc, plan, value);
  return copy;
}

// Whether two attribute values have the same stored image.
// Why the toast-pointer shortcut: an UPDATE that leaves a toasted column alone keeps its
// on-disk pointer, and comparing pointers avoids detoasting large transcripts.
bool SameImage(Datum a, Datum b, Form_pg_attribute att) {
  if (att->attlen == -1) {
    const varlena* va = reinterpret_cast<const varlena*>(DatumGetPointer(a));
    const varlena* vb = reinterpret_cast<const varlena*>(DatumGetPointer(b));
    if (VARATT_IS_EXTERNAL_ONDISK(va) && VARATT_IS_EXTERNAL_ONDISK(vb) &&
        VARSIZE_EXTERNAL(va) == VARSIZE_EXTERNAL(vb) && memcmp(va, vb, VARSIZE_EXTERNAL(va)) == 0) {
      return true;
    }
  }
  return datum_image_eq(a, b, att->attbyval, att->attlen);
}

// Whether the update changes nothing but the stamped column.
bool IsNoopUpdate(TriggerData* trigdata, TupleDesc desc, StampPlan* plan) {
  heap_deform_tuple(trigdata->tg_trigtuple, desc, plan->old_values, plan->old_nulls);
  heap_deform_tuple(trigdata->tg_newtuple, desc, plan->new_values, plan->new_nulls);
  for (int i = 0; i < desc->natts; i++) {
    Form_pg_attribute att = TupleDescAttr(desc, i);
    if (i == plan->attnum - 1 || att->attisdropped) continue;
    if (plan->old_nulls[i] != plan->new_nulls[i]) return false;
    if (plan->old_nulls[i]) continue;
    if (!SameImage(plan->old_values[i], plan->new_values[i], att)) return false;
  }
  return true;
}

}  // namespace

// The 1-based number of the live user column named name, or 0.
int dialer::pg::UpdatedAtColumnNumber(TupleDesc desc, const char* name) {
  for (int i = 0; i < desc->natts; i++) {
    Form_pg_attribute att = TupleDescAttr(desc, i);
    if (!att->attisdropped && namestrcmp(&att->attname, name) == 0) return i + 1;
  }
  return 0;
}

// dialer.set_updated_at() returns trigger: stamps TG_ARGV[0] (default updated_at).
Datum dialer_set_updated_at(PG_FUNCTION_ARGS) {
  if (!CALLED_AS_TRIGGER(fcinfo)) RejectTriggerUse("as a trigger");
  TriggerData* trigdata = reinterpret_cast<TriggerData*>(fcinfo->context);
  TriggerEvent event = trigdata->tg_event;
  if (!TRIGGER_FIRED_BEFORE(event)) RejectTriggerUse("BEFORE the row is written");
  if (!TRIGGER_FIRED_FOR_ROW(event)) RejectTriggerUse("FOR EACH ROW");
  bool is_update = TRIGGER_FIRED_BY_UPDATE(event);
  if (!is_update && !TRIGGER_FIRED_BY_INSERT(event)) RejectTriggerUse("on INSERT or UPDATE");

  StampPlan* plan = GetPlan(fcinfo, trigdata);
  TupleDesc desc = RelationGetDescr(trigdata->tg_relation);
  HeapTuple tuple = is_update ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
  TupleTableSlot* slot = is_update ? trigdata->tg_newslot : trigdata->tg_trigslot;
  if (is_update && plan->skip_noop && IsNoopUpdate(trigdata, desc, plan)) {
    return PointerGetDatum(tuple);
  }
  // An INSERT (or COPY) keeps the value it supplies: a restore, a copy between databases
  // or an import carries the row's real history. The column's DEFAULT now() stamps rows
  // written without one; only a NULL is stamped here.
  if (!is_update && HasValue(tuple, plan->attnum)) return PointerGetDatum(tuple);
  return PointerGetDatum(Stamp(tuple, slot, desc, plan, StampValue(plan)));
}
