// Rule packs as data: reading dialer.rule_packs / dialer.rule_pack_rules into the
// backend, noticing when they change, and the SQL functions that guard them
// (dialer.check_rule_packs, dialer.check_rule_pack_rule, the change trigger).
//
// How a change reaches every backend: a statement-level trigger on each table
// queues a relcache invalidation for it (sent to every backend at commit, and
// applied in this backend at the next command); the callback registered here
// counts those, and RefreshRulePacks reads the tables again when the count moved.
//
// How the packs are read: RefreshRulePacks (Postgres code, before any C++ object
// exists) keeps the tables' document as a detoasted jsonb; LoadedRulePacks (inside
// Guard) reads it as policies and windows are read (pg::ReadJsonb: flattened under
// PgCall, the tree built in C++), with no text round trip.
#include <cstring>
#include <memory>
#include <string>

#include "common/error.hpp"
#include "pg/guard.hpp"
#include "pg/interrupts.hpp"
#include "pg/jsonb.hpp"
#include "pg/rule_pack_store.hpp"
#include "schedule/rule_packs.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
}

DIALER_FUNCTION(dialer_check_rule_pack_rule)
DIALER_FUNCTION(dialer_rule_packs_changed)
DIALER_FUNCTION(dialer_in_extension_script)
DIALER_FUNCTION(dialer_rule_pack_rules_json)

namespace dialer::pg {
namespace {

// The packs document, in the shape schedule::ParseRulePacks reads.
constexpr const char* kPacksQuery =
    "SELECT coalesce(jsonb_agg(jsonb_build_object('name', p.name, 'title', p.title, 'rules', "
    "  coalesce((SELECT jsonb_agg(jsonb_build_object('rule', r.rule, 'applies_to', r.applies_to, "
    "                   'figures', r.figures, 'source', r.source) "
    "                   ORDER BY r.rule, r.applies_to, r.figures) "
    "             FROM dialer.rule_pack_rules r WHERE r.rule_pack = p.name), '[]'::jsonb)) "
    "  ORDER BY p.name), '[]'::jsonb) "
    "FROM dialer.rule_packs p";

// The release's built-in packs (data/rule_packs.json, compiled in by the build): what a
// database is held to while its schema predates the rule-pack tables, i.e. an older
// release's SQL served by this library until ALTER EXTENSION pg_dialer UPDATE.
constexpr const char kBuiltinPacks[] =
#include "builtin_rule_packs.inc"
    ;

// Backend state. Plain data only: it is written by plain Postgres code and by the
// invalidation callback, which must neither allocate C++ objects nor throw.
struct StoreState {
  bool callback_registered = false;
  uint64_t invalidations = 1;  // bumped by the callback; starts ahead of `read_at`
  uint64_t read_at = 0;        // `invalidations` when the tables were last read
  uint64_t generation = 0;     // bumped on every read
  Oid packs_rel = InvalidOid;
  Oid rules_rel = InvalidOid;
  Oid area_codes_rel = InvalidOid;  // dialer.rule_pack_area_codes (default_rule_packs.cpp)
  bool fallback = false;            // the tables were missing: the compiled-in packs are in use
  Jsonb* document = nullptr;        // the packs document, detoasted, in TopMemoryContext
};
StoreState g_state;

// Relcache invalidation callback: counts invalidations of the three tables (or of
// everything, InvalidOid, after a cache reset). Must not fail or touch catalogs.
void OnRelcacheInvalidation(Datum, Oid relid) {
  if (relid == InvalidOid || relid == g_state.packs_rel || relid == g_state.rules_rel ||
      relid == g_state.area_codes_rel) {
    ++g_state.invalidations;
  }
}

// A copy of jb in TopMemoryContext (plain memcpy: no allocation but the copy's).
Jsonb* CopyToTop(const Jsonb* jb) {
  auto* copy = static_cast<Jsonb*>(MemoryContextAlloc(TopMemoryContext, VARSIZE(jb)));
  memcpy(copy, jb, VARSIZE(jb));
  return copy;
}

// The jsonb of a JSON text, in TopMemoryContext (jsonb_in's scratch stays in the
// caller's context). Why jsonb for the compiled-in packs too: they are then read
// exactly as the tables' document is.
Jsonb* DocumentOfText(const char* text) {
  return CopyToTop(DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(text))));
}

// Runs kPacksQuery; returns its jsonb, detoasted and copied into TopMemoryContext.
// Why a copy: the result lives in SPI's memory, which SPI_finish frees, and the
// document outlives this call (LoadedRulePacks may read it in a later one). Why
// detoast in SPI's memory first: a compressed or external value's scratch is freed there.
Jsonb* ReadPacksDocument() {
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "pg_dialer: SPI_connect failed");
  if (SPI_execute(kPacksQuery, true, 1) != SPI_OK_SELECT || SPI_processed != 1) {
    elog(ERROR, "pg_dialer: reading dialer.rule_packs failed");
  }
  bool isnull = false;
  Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
  Jsonb* copy = isnull ? DocumentOfText("[]") : CopyToTop(DatumGetJsonbP(d));
  SPI_finish();
  return copy;
}

// Looks the tables up; false when the packs or their rules are missing (a schema before
// 0.5.0). The area codes are looked up too: the default packs cached from them
// (default_rule_packs.cpp) follow the same count.
bool FindTables() {
  const Oid dialer_ns = get_namespace_oid("dialer", true);
  g_state.packs_rel =
      OidIsValid(dialer_ns) ? get_relname_relid("rule_packs", dialer_ns) : InvalidOid;
  g_state.rules_rel =
      OidIsValid(dialer_ns) ? get_relname_relid("rule_pack_rules", dialer_ns) : InvalidOid;
  g_state.area_codes_rel =
      OidIsValid(dialer_ns) ? get_relname_relid("rule_pack_area_codes", dialer_ns) : InvalidOid;
  return OidIsValid(g_state.packs_rel) && OidIsValid(g_state.rules_rel);
}

}  // namespace

void RefreshRulePacks() {
  // Why look again while on the fallback: the tables' creation (ALTER EXTENSION UPDATE)
  // invalidates OIDs this backend did not know, so no callback would tell it.
  if (g_state.read_at == g_state.invalidations && !(g_state.fallback && FindTables())) return;
  if (!g_state.callback_registered) {
    CacheRegisterRelcacheCallback(OnRelcacheInvalidation, Datum(0));
    g_state.callback_registered = true;
  }
  // Why remember the count before reading: an invalidation processed while the
  // query runs (it takes locks) bumps the count again, so the next call re-reads.
  const uint64_t before = g_state.invalidations;
  // Why the fallback: without it, every decision of a not-yet-updated database (and the
  // older upgrade scripts that re-plan leads) would fail on a missing table.
  g_state.fallback = !FindTables();
  Jsonb* document = g_state.fallback ? DocumentOfText(kBuiltinPacks) : ReadPacksDocument();
  if (g_state.document != nullptr) pfree(g_state.document);
  g_state.document = document;
  g_state.read_at = before;
  ++g_state.generation;
}

const schedule::RulePackSet& LoadedRulePacks() {
  // Why a static unique_ptr: the set outlives statements; it is replaced (never
  // mutated) when the tables were read again, between planner calls.
  static std::unique_ptr<schedule::RulePackSet> parsed;
  static uint64_t parsed_generation = 0;
  if (!parsed || parsed_generation != g_state.generation) {
    parsed.reset();
    if (g_state.document == nullptr) {
      throw Error(sqlstate::kInternal, "pg_dialer: rule packs used before they were read");
    }
    parsed = std::make_unique<schedule::RulePackSet>(
        schedule::RulePacksFromJson(ReadJsonb(g_state.document, "rule packs")));
    parsed_generation = g_state.generation;
  }
  return *parsed;
}

uint64_t RulePacksGeneration() { return g_state.generation; }

Jsonb* RulePacksDocument() { return g_state.document; }

}  // namespace dialer::pg

// dialer.check_rule_pack_rule(rule text, applies_to text, figures jsonb) returns
// boolean: true, or 22023 naming the bad field (the table's CHECK constraint).
Datum dialer_check_rule_pack_rule(PG_FUNCTION_ARGS) {
  // Detoast and flatten before any C++ object exists (Postgres code that may ereport).
  char* rule = text_to_cstring(PG_GETARG_TEXT_PP(0));
  char* applies_to = text_to_cstring(PG_GETARG_TEXT_PP(1));
  Jsonb* figures = PG_GETARG_JSONB_P(2);
  dialer::pg::JsonbTokens tokens;
  if (!dialer::pg::FlattenJsonb(figures, &tokens)) dialer::pg::RaiseInterrupt();
  bool ok = dialer::pg::Guard([&] {
    dialer::schedule::CheckRule(rule, applies_to,
                                dialer::pg::TreeOfTokens(tokens, "rule pack rule figures"));
    return true;
  });
  PG_RETURN_BOOL(ok);
}

// dialer._rule_packs_changed(): AFTER ... FOR EACH STATEMENT trigger on the rule-pack
// tables; every backend reads them again (see the file comment).
Datum dialer_rule_packs_changed(PG_FUNCTION_ARGS) {
  if (!CALLED_AS_TRIGGER(fcinfo)) {
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("dialer._rule_packs_changed() is a trigger function")));
  }
  TriggerData* trigger = reinterpret_cast<TriggerData*>(fcinfo->context);
  CacheInvalidateRelcacheByRelid(RelationGetRelid(trigger->tg_relation));
  return PointerGetDatum(nullptr);
}

// dialer._in_extension_script() returns boolean: whether CREATE or ALTER EXTENSION
// pg_dialer is running its script (built-in rule packs change only there).
Datum dialer_in_extension_script(PG_FUNCTION_ARGS) {
  PG_RETURN_BOOL(creating_extension &&
                 CurrentExtensionObject == get_extension_oid("pg_dialer", true));
}

// dialer._rule_pack_rules_json() returns jsonb: every rule of every pack as rows
// {rule_pack, title, rule, applies_to, figures, source}. Only 0.4.0's SQL declares it
// (0.5.0 reads the tables instead); kept so a 0.4.0 database served by this library, and
// the 0.3.0 -> 0.4.0 upgrade script, still work until ALTER EXTENSION UPDATE.
Datum dialer_rule_pack_rules_json(PG_FUNCTION_ARGS) {
  dialer::pg::RefreshRulePacks();
  Oid type = JSONBOID;
  Datum document = JsonbPGetDatum(dialer::pg::RulePacksDocument());
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "pg_dialer: SPI_connect failed");
  if (SPI_execute_with_args(
          "SELECT coalesce(jsonb_agg(jsonb_build_object('rule_pack', p ->> 'name', 'title', p ->> "
          "'title', "
          "'rule', r ->> 'rule', 'applies_to', r ->> 'applies_to', 'figures', r -> 'figures', "
          "'source', r ->> 'source')), '[]') "
          "FROM jsonb_array_elements($1) p, jsonb_array_elements(p -> 'rules') r",
          1, &type, &document, nullptr, true, 1) != SPI_OK_SELECT ||
      SPI_processed != 1) {
    elog(ERROR, "pg_dialer: listing the rule pack rules failed");
  }
  bool isnull = false;
  Datum rows = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
  rows = SPI_datumTransfer(rows, false, -1);  // out of SPI's memory before SPI_finish
  SPI_finish();
  PG_RETURN_DATUM(rows);
}
