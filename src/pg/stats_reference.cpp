// The statistics triggers' per-connection cache of call and lead statuses and outcome
// classes, and dialer._stats_forget_outcome_classes(), which invalidates the classes.
#include "pg/stats_reference.hpp"

#include "pg/stats_statement.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
}

DIALER_FUNCTION(dialer_stats_forget_outcome_classes)

namespace dialer::stats {
namespace {

struct EnumMap {
  int count;
  EnumValue values[kMaxStatuses];
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

// The counters' meaning of a call status label.
StatusKind KindOf(const char* label) {
  if (strcmp(label, "completed") == 0) return StatusKind::kCompleted;
  if (strcmp(label, "failed") == 0) return StatusKind::kFailed;
  if (strcmp(label, "expired") == 0) return StatusKind::kExpired;
  if (strcmp(label, "cancelled") == 0) return StatusKind::kCancelled;
  return StatusKind::kInFlight;
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
    v->kind = KindOf(SPI_getvalue(tuple, SPI_tuptable->tupdesc, 2));
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

// Fills c from one row of the classes query; raises for a slot past the vectors.
void ReadClass(HeapTuple tuple, TupleDesc desc, ClassInfo* c) {
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
  for (int f = 0; f < 8; f++) *flags[f] = DatumGetBool(SPI_getbinval(tuple, desc, 3 + f, &isnull));
}

// Loads dialer.outcome_classes with their slots into the cache.
void LoadClasses() {
  NeedSpi();
  if (!callback_registered) {
    CacheRegisterRelcacheCallback(ForgetClasses, (Datum)0);
    callback_registered = true;
  }
  outcome_classes_relid = get_relname_relid("outcome_classes", get_namespace_oid("dialer", false));
  // The flags in ReadClass's order, from column 3.
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
    ReadClass(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, &classes.classes[classes.count++]);
  }
  classes.valid = true;
}

}  // namespace

void LoadCallReference() {
  if (call_statuses.count == 0) LoadEnum("dialer.call_status", &call_statuses);
  if (!classes.valid) LoadClasses();
}

void LoadLeadReference() {
  if (lead_statuses.count == 0) LoadEnum("dialer.lead_status", &lead_statuses);
}

const EnumValue* CallStatus(Oid oid) { return FindEnum(&call_statuses, "dialer.call_status", oid); }

const EnumValue* LeadStatus(Oid oid) { return FindEnum(&lead_statuses, "dialer.lead_status", oid); }

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

}  // namespace dialer::stats

// dialer._stats_forget_outcome_classes() returns void: makes every connection reload the
// outcome classes its statistics triggers cached (at commit, through a relcache
// invalidation of dialer.outcome_classes); called when their rows change.
Datum dialer_stats_forget_outcome_classes(PG_FUNCTION_ARGS) {
  Oid relid = get_relname_relid("outcome_classes", get_namespace_oid("dialer", false));
  dialer::stats::classes.valid = false;
  if (OidIsValid(relid)) CacheInvalidateRelcacheByRelid(relid);
  PG_RETURN_VOID();
}
