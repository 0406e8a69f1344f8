// The updated_at fast path: the planner writes the stamp into the UPDATE itself, and the
// executor then skips the dialer.set_updated_at() row trigger that would write the same
// value.
//
// Why: what a BEFORE UPDATE row trigger costs is mostly not its function but the
// machinery around it (ExecBRUpdateTriggers locks and re-fetches the old row and
// materialises the new one for every row), which any trigger pays. A target-list entry
// `col = transaction_timestamp()` costs one function call per row.
//
// Semantics are the trigger's, so the fast path applies only where the result is the
// same row: a plain table (no partitions, no inheritance children, no stored generated
// columns) whose only BEFORE UPDATE row trigger that fires now is ours, without WHEN,
// column list or skip_noop, with a valid column and options. The rewrite does not add
// the column to the statement's updated columns: the trigger needs no UPDATE privilege
// on it and does not make `UPDATE OF col` triggers fire, and neither does the rewrite.
//
// Two independent halves, so correctness never depends on both running:
//  * planner_hook: rewrites the target list (the plan now stamps the column);
//  * ExecutorStart_hook: drops our trigger from the statement's copy of the trigger
//    descriptor only when the plan provably computes exactly the value the trigger
//    would write. Any other plan (made before the library loaded, fast path off, an
//    unrecognised shape) keeps the trigger, which stamps as always.
// A plan depends on the trigger set, its enabled state, the session replication role,
// the GUC and the trigger function; each change replans (relcache invalidation,
// ResetPlanCache, the PROCOID invalidation item added to the plan).
//
// Written C-style like the trigger: no C++ objects, so an ereport cannot skip a
// destructor.
#include "pg/guard.hpp"
#include "pg/updated_at.hpp"

#include <dlfcn.h>

extern "C" {
#include "catalog/pg_inherits.h"
#include "catalog/pg_language_d.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type_d.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "access/table.h"
#include "nodes/makefuncs.h"
#include "optimizer/planner.h"
#include "parser/parsetree.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace {

planner_hook_type g_prev_planner = nullptr;
ExecutorStart_hook_type g_prev_executor_start = nullptr;
// This library's file as the dynamic loader opened it ("" if unknown).
char g_library_path[MAXPGPATH];

// The column our trigger stamps and the clock it reads.
struct StampTarget {
  Oid funcid;         // the trigger function (dialer.set_updated_at())
  AttrNumber attnum;  // the stamped column
  Oid typid;          // TIMESTAMPTZOID or TIMESTAMPOID
  Oid clock_funcid;   // F_TRANSACTION_TIMESTAMP, F_STATEMENT_TIMESTAMP or F_CLOCK_TIMESTAMP
};

// Whether the trigger fires in this session now (TriggerEnabled's rule, PG15).
bool TriggerFiresNow(const Trigger* trigger) {
  if (trigger->tgenabled == TRIGGER_DISABLED) return false;
  if (SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA) {
    return trigger->tgenabled != TRIGGER_FIRES_ON_ORIGIN;
  }
  return trigger->tgenabled != TRIGGER_FIRES_ON_REPLICA;
}

// Whether a C function's probin names this library ($libdir expanded, suffix optional).
// Why a string comparison and not load_external_function: that stats (and may fail to
// open) the file; a planner hook must not raise errors of its own.
bool ProbinIsOurs(const char* probin) {
  if (g_library_path[0] == '\0') return false;
  char expanded[MAXPGPATH];
  if (strncmp(probin, "$libdir/", 8) == 0) {
    snprintf(expanded, sizeof(expanded), "%s%s", pkglib_path, probin + 7);
  } else {
    strlcpy(expanded, probin, sizeof(expanded));
  }
  if (strcmp(expanded, g_library_path) == 0) return true;
  size_t length = strlen(expanded);
  return strncmp(expanded, g_library_path, length) == 0 &&
         strcmp(g_library_path + length, DLSUFFIX) == 0;
}

// Whether funcid is dialer.set_updated_at() of this library, whatever its schema or name.
bool IsStampFunction(Oid funcid) {
  HeapTuple tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(funcid));
  if (!HeapTupleIsValid(tuple)) return false;
  bool ours = false;
  Form_pg_proc proc = reinterpret_cast<Form_pg_proc>(GETSTRUCT(tuple));
  if (proc->prolang == ClanguageId) {
    bool src_null = false;
    bool bin_null = false;
    Datum src = SysCacheGetAttr(PROCOID, tuple, Anum_pg_proc_prosrc, &src_null);
    Datum bin = SysCacheGetAttr(PROCOID, tuple, Anum_pg_proc_probin, &bin_null);
    ours = !src_null && !bin_null &&
           strcmp(TextDatumGetCString(src), "dialer_set_updated_at") == 0 &&
           ProbinIsOurs(TextDatumGetCString(bin));
  }
  ReleaseSysCache(tuple);
  return ours;
}

// The clock the trigger's options choose; false for skip_noop or an unknown option.
// Why refuse unknown options: the trigger reports them on first use, so it must fire.
bool ClockFromOptions(const Trigger* trigger, Oid* clock_funcid) {
  *clock_funcid = F_TRANSACTION_TIMESTAMP;
  for (int i = 1; i < trigger->tgnargs; i++) {
    const char* option = trigger->tgargs[i];
    if (strcmp(option, "statement") == 0) {
      *clock_funcid = F_STATEMENT_TIMESTAMP;
    } else if (strcmp(option, "clock") == 0) {
      *clock_funcid = F_CLOCK_TIMESTAMP;
    } else if (strcmp(option, "transaction") == 0) {
      *clock_funcid = F_TRANSACTION_TIMESTAMP;
    } else {
      return false;  // skip_noop needs the old row; anything else is an error to report
    }
  }
  return true;
}

// The only BEFORE UPDATE row trigger that fires now, or nullptr if none or several.
const Trigger* OnlyBeforeUpdateRowTrigger(const TriggerDesc* trigdesc) {
  if (trigdesc == nullptr || !trigdesc->trig_update_before_row) return nullptr;
  const Trigger* found = nullptr;
  for (int i = 0; i < trigdesc->numtriggers; i++) {
    const Trigger* trigger = &trigdesc->triggers[i];
    if (!TRIGGER_TYPE_MATCHES(trigger->tgtype, TRIGGER_TYPE_ROW, TRIGGER_TYPE_BEFORE,
                              TRIGGER_TYPE_UPDATE) ||
        !TriggerFiresNow(trigger)) {
      continue;
    }
    if (found != nullptr) return nullptr;
    found = trigger;
  }
  return found;
}

// Fills target when rel's UPDATEs may stamp in the plan instead of firing our trigger.
bool FindStampTarget(Relation rel, const TriggerDesc* trigdesc, StampTarget* target) {
  Form_pg_class form = RelationGetForm(rel);
  if (form->relkind != RELKIND_RELATION || form->relispartition) return false;
  TupleDesc desc = RelationGetDescr(rel);
  // Why: stored generated columns are recomputed around BEFORE triggers by rules that
  // look at the relation's triggers; keep such tables on the plain trigger path.
  if (desc->constr != nullptr && desc->constr->has_generated_stored) return false;
  const Trigger* trigger = OnlyBeforeUpdateRowTrigger(trigdesc);
  // A WHEN clause or UPDATE OF column list decides per statement or row whether it fires.
  if (trigger == nullptr || trigger->tgqual != nullptr || trigger->tgnattr > 0) return false;
  if (!ClockFromOptions(trigger, &target->clock_funcid)) return false;
  const char* column = trigger->tgnargs > 0 ? trigger->tgargs[0] : "updated_at";
  int attnum = dialer::pg::UpdatedAtColumnNumber(desc, column);
  if (attnum == 0) return false;  // the trigger reports the missing column
  Oid typid = TupleDescAttr(desc, attnum - 1)->atttypid;
  if (typid != TIMESTAMPTZOID && typid != TIMESTAMPOID) return false;  // likewise
  // Why last: the catalog lookups are the dearest checks.
  if (has_subclass(RelationGetRelid(rel)) || !IsStampFunction(trigger->tgfoid)) return false;
  target->funcid = trigger->tgfoid;
  target->attnum = static_cast<AttrNumber>(attnum);
  target->typid = typid;
  return true;
}

// The expression the trigger's value is: the clock, as timestamp for a timestamp column.
// Why these functions: transaction_timestamp() and statement_timestamp() are STABLE and
// the timestamptz -> timestamp cast depends on the session zone, so none is folded into
// a cached plan; each reads the same clock as the trigger when the statement runs.
Expr* ClockExpression(const StampTarget* target) {
  Expr* clock = reinterpret_cast<Expr*>(makeFuncExpr(target->clock_funcid, TIMESTAMPTZOID, NIL,
                                                     InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL));
  if (target->typid == TIMESTAMPTZOID) return clock;
  return reinterpret_cast<Expr*>(makeFuncExpr(F_TIMESTAMP_TIMESTAMPTZ, TIMESTAMPOID,
                                              list_make1(clock), InvalidOid, InvalidOid,
                                              COERCE_EXPLICIT_CAST));
}

// Whether node reads a clock without side effects or possible errors (now(), CURRENT_TIMESTAMP...).
bool IsClockCall(const Node* node) {
  if (IsA(node, SQLValueFunction)) {
    Oid type = reinterpret_cast<const SQLValueFunction*>(node)->type;
    return type == TIMESTAMPTZOID || type == TIMESTAMPOID;
  }
  if (!IsA(node, FuncExpr)) return false;
  const FuncExpr* call = reinterpret_cast<const FuncExpr*>(node);
  switch (call->funcid) {
    case F_NOW:
    case F_TRANSACTION_TIMESTAMP:
    case F_STATEMENT_TIMESTAMP:
    case F_CLOCK_TIMESTAMP:
      return call->args == NIL;
    case F_TIMESTAMP_TIMESTAMPTZ:
    case F_TIMESTAMPTZ_TIMESTAMP:
      return list_length(call->args) == 1 && IsClockCall(static_cast<Node*>(linitial(call->args)));
    default:
      return false;
  }
}

// Whether a user-written value for the column may go unevaluated.
// Why so narrow: the trigger overwrites the value, but only after evaluating it; an
// expression that can raise an error or has side effects (a volatile function, a
// multi-assignment sub-select) must still run, so such statements keep the trigger.
bool DiscardableValue(const Node* expr) {
  if (IsA(expr, Const) || IsA(expr, Var)) return true;
  if (IsA(expr, Param)) return reinterpret_cast<const Param*>(expr)->paramkind == PARAM_EXTERN;
  return IsClockCall(expr);
}

// Sets the column's entry in an UPDATE target list (kept in attno order, junk last).
bool AssignInTargetList(Query* query, const StampTarget* target, const char* column) {
  ListCell* cell;
  int position = 0;
  foreach (cell, query->targetList) {
    TargetEntry* entry = static_cast<TargetEntry*>(lfirst(cell));
    if (!entry->resjunk && entry->resno == target->attnum) {
      if (!DiscardableValue(reinterpret_cast<Node*>(entry->expr))) return false;
      entry->expr = ClockExpression(target);
      return true;
    }
    if (entry->resjunk || entry->resno > target->attnum) break;
    position++;
  }
  TargetEntry* entry =
      makeTargetEntry(ClockExpression(target), target->attnum, pstrdup(column), false);
  query->targetList = list_insert_nth(query->targetList, position, entry);
  return true;
}

// Rewrites one UPDATE to stamp the column; returns the trigger function, or InvalidOid.
Oid InjectStamp(Query* query) {
  if (query->commandType != CMD_UPDATE || query->utilityStmt != nullptr ||
      query->resultRelation <= 0) {
    return InvalidOid;
  }
  RangeTblEntry* rte = rt_fetch(query->resultRelation, query->rtable);
  if (rte->rtekind != RTE_RELATION || rte->relkind != RELKIND_RELATION) return InvalidOid;
  // Why NoLock: parse analysis (or plan cache revalidation) already holds the
  // statement's RowExclusiveLock on the target, as for the planner's own table_open.
  Relation rel = table_open(rte->relid, NoLock);
  StampTarget target;
  Oid result = InvalidOid;
  if (FindStampTarget(rel, rel->trigdesc, &target)) {
    const char* column = NameStr(TupleDescAttr(RelationGetDescr(rel), target.attnum - 1)->attname);
    if (AssignInTargetList(query, &target, column)) result = target.funcid;
  }
  table_close(rel, NoLock);
  return result;
}

// Rewrites the statement's UPDATEs (top level and data-modifying WITH); the functions used.
List* InjectStamps(Query* parse) {
  List* functions = NIL;
  Oid funcid = InjectStamp(parse);
  if (OidIsValid(funcid)) functions = list_append_unique_oid(functions, funcid);
  ListCell* cell;
  foreach (cell, parse->cteList) {
    CommonTableExpr* cte = static_cast<CommonTableExpr*>(lfirst(cell));
    if (!IsA(cte->ctequery, Query)) continue;
    funcid = InjectStamp(reinterpret_cast<Query*>(cte->ctequery));
    if (OidIsValid(funcid)) functions = list_append_unique_oid(functions, funcid);
  }
  return functions;
}

// Makes the plan depend on the trigger function: CREATE OR REPLACE FUNCTION replans.
void AddFunctionDependency(PlannedStmt* plan, Oid funcid) {
  PlanInvalItem* item = makeNode(PlanInvalItem);
  item->cacheId = PROCOID;
  item->hashValue = GetSysCacheHashValue1(PROCOID, ObjectIdGetDatum(funcid));
  plan->invalItems = lappend(plan->invalItems, item);
}

// planner_hook: stamps tracked columns in UPDATE target lists, then plans as usual.
// Why rewriting parse in place is allowed: standard_planner scribbles on its input too,
// so callers that keep the tree (the plan cache) pass the planner a copy.
PlannedStmt* PlanWithStamp(Query* parse, const char* query_string, int cursor_options,
                           ParamListInfo bound_params) {
  List* functions = dialer::pg::UpdatedAtFastPathEnabled() ? InjectStamps(parse) : NIL;
  PlannedStmt* plan = g_prev_planner != nullptr
                          ? g_prev_planner(parse, query_string, cursor_options, bound_params)
                          : standard_planner(parse, query_string, cursor_options, bound_params);
  ListCell* cell;
  foreach (cell, functions) AddFunctionDependency(plan, lfirst_oid(cell));
  return plan;
}

// Whether the UPDATE's subplan computes the column as exactly expected.
// PG15: the non-junk subplan outputs come first, in the order of updateColnosLists.
bool PlanStampsColumn(const ModifyTable* node, AttrNumber attnum, const Expr* expected) {
  const Plan* subplan = outerPlan(&node->plan);
  if (subplan == nullptr || list_length(node->updateColnosLists) != 1) return false;
  const List* colnos = static_cast<const List*>(linitial(node->updateColnosLists));
  const ListCell* colno;
  const ListCell* cell;
  forboth(colno, colnos, cell, subplan->targetlist) {
    const TargetEntry* entry = static_cast<const TargetEntry*>(lfirst(cell));
    if (entry->resjunk) return false;
    if (lfirst_int(colno) == attnum) return equal(entry->expr, expected);
  }
  return false;
}

// Drops our trigger from one UPDATE's trigger descriptor when its plan already stamps.
// Why a copy in es_query_cxt: ri_TrigDesc is this statement's own copy of the relcache
// entry's descriptor, but replacing it (not editing it) keeps that obviously true.
void SkipTriggerIfStamped(ModifyTableState* state, EState* estate) {
  const ModifyTable* node = reinterpret_cast<const ModifyTable*>(state->ps.plan);
  if (node->operation != CMD_UPDATE || state->mt_nrels != 1) return;
  ResultRelInfo* info = &state->resultRelInfo[0];
  StampTarget target;
  if (!FindStampTarget(info->ri_RelationDesc, info->ri_TrigDesc, &target)) return;
  if (!PlanStampsColumn(node, target.attnum, ClockExpression(&target))) return;
  MemoryContext old = MemoryContextSwitchTo(estate->es_query_cxt);
  TriggerDesc* copy = CopyTriggerDesc(info->ri_TrigDesc);
  MemoryContextSwitchTo(old);
  // Our trigger is the only BEFORE UPDATE row trigger that fires now, so this skips it
  // (and only disabled ones besides); INSERT, AFTER and statement triggers are untouched.
  copy->trig_update_before_row = false;
  info->ri_TrigDesc = copy;
}

// ExecutorStart_hook: starts the executor, then checks every UPDATE of the statement.
void StartWithStampCheck(QueryDesc* query_desc, int eflags) {
  if (g_prev_executor_start != nullptr) {
    g_prev_executor_start(query_desc, eflags);
  } else {
    standard_ExecutorStart(query_desc, eflags);
  }
  if (!dialer::pg::UpdatedAtFastPathEnabled()) return;
  EState* estate = query_desc->estate;
  if (query_desc->planstate != nullptr && IsA(query_desc->planstate, ModifyTableState)) {
    SkipTriggerIfStamped(reinterpret_cast<ModifyTableState*>(query_desc->planstate), estate);
  }
  // Data-modifying WITH queries are here, not in the main plan tree.
  ListCell* cell;
  foreach (cell, estate->es_auxmodifytables) {
    SkipTriggerIfStamped(static_cast<ModifyTableState*>(lfirst(cell)), estate);
  }
}

}  // namespace

// Records this library's file name and chains the planner and ExecutorStart hooks.
void dialer::pg::InstallUpdatedAtFastPath() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&dialer_set_updated_at), &info) != 0 &&
      info.dli_fname != nullptr) {
    strlcpy(g_library_path, info.dli_fname, sizeof(g_library_path));
  }
  g_prev_planner = planner_hook;
  planner_hook = PlanWithStamp;
  g_prev_executor_start = ExecutorStart_hook;
  ExecutorStart_hook = StartWithStampCheck;
}
