// dialer.default_rule_packs(p_phone): the rule packs a number gets when its campaign
// names none, remembered in this backend per region (and NANP area code) until the
// rule-pack tables change (rule_pack_store.cpp's invalidation count).
//
// Why in C with a cache: it runs twice per scheduling decision (the inputs row and the
// history horizon), and as PL/pgSQL each run was an SPI query that opened and locked
// dialer.rule_packs, dialer.rule_pack_area_codes and their indexes: with 16 workers on
// two cores, lock-manager and relcache work that made a decision cost several times its
// one-worker price (docs/queue.md).
//
// The cache is plain Postgres data (a dynahash and detoasted text[] copies, in a memory
// context of its own under TopMemoryContext), so no C++ object is alive while Postgres
// code may raise.
#include <string>

#include "pg/convert.hpp"
#include "pg/guard.hpp"
#include "pg/rule_pack_store.hpp"
#include "phone/phone.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
}

DIALER_FUNCTION(dialer_default_rule_packs)

namespace {

// "US:212", "FR:": a region code and, for a NANP number, its area code.
constexpr int kKeySize = 16;

// The packs of a region ($1) and, for NANP numbers, area code ($2, NULL otherwise): what
// 0.5.0's PL/pgSQL function selected. Country-wide packs first (us_federal before a
// state's), then by name.
constexpr const char* kDefaultsQuery =
    "SELECT coalesce(array_agg(p.name ORDER BY p.default_scope DESC, p.name), '{}'::text[]) "
    "  FROM dialer.rule_packs p "
    " WHERE p.country = $1 "
    "   AND (p.default_scope = 'country' "
    "        OR (p.default_scope = 'area_codes' AND $2 IS NOT NULL "
    "            AND EXISTS (SELECT 1 FROM dialer.rule_pack_area_codes a "
    "                         WHERE a.rule_pack = p.name AND a.area_code = $2)))";

struct DefaultsEntry {
  char key[kKeySize];  // dynahash's key: first
  ArrayType* packs;    // text[], in g_defaults_cxt
};

MemoryContext g_defaults_cxt = nullptr;  // holds the hash table and the arrays
HTAB* g_defaults = nullptr;
uint64_t g_defaults_generation = 0;

// The region (and area code) of phone, in the caller's buffers; false when the number is
// not valid (it then gets no pack). Runs inside Guard: no C++ object outlives it.
bool RegionOf(std::string_view phone, char* key, char* region, char* area) {
  const std::string r = dialer::phone::NumberRegion(phone);
  if (r.empty() || r.size() > 3) return false;
  const bool nanp = phone.size() >= 5 && phone.substr(0, 2) == "+1";
  snprintf(region, 4, "%s", r.c_str());
  snprintf(area, 4, "%.*s", nanp ? 3 : 0, nanp ? phone.data() + 2 : "");
  snprintf(key, kKeySize, "%s:%s", region, area);
  return true;
}

// Empties the cache (the rule-pack tables changed since it was filled).
void ResetDefaults() {
  if (g_defaults_cxt == nullptr) {
    g_defaults_cxt = AllocSetContextCreate(TopMemoryContext, "pg_dialer default rule packs",
                                           ALLOCSET_SMALL_SIZES);
  }
  g_defaults = nullptr;
  MemoryContextReset(g_defaults_cxt);  // the table and every array in it
  HASHCTL ctl;
  ctl.keysize = kKeySize;
  ctl.entrysize = sizeof(DefaultsEntry);
  ctl.hcxt = g_defaults_cxt;
  g_defaults = hash_create("pg_dialer default rule packs", 64, &ctl,
                           HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
  g_defaults_generation = dialer::pg::RulePacksGeneration();
}

// Runs kDefaultsQuery; returns its text[] copied into the cache's memory context. Why a
// copy: the result lives in SPI's memory, which SPI_finish frees.
ArrayType* QueryDefaults(const char* region, const char* area) {
  Oid types[2] = {TEXTOID, TEXTOID};
  Datum values[2] = {CStringGetTextDatum(region), CStringGetTextDatum(area)};
  const char nulls[3] = {' ', area[0] == '\0' ? 'n' : ' ', '\0'};
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "pg_dialer: SPI_connect failed");
  if (SPI_execute_with_args(kDefaultsQuery, 2, types, values, nulls, true, 1) != SPI_OK_SELECT ||
      SPI_processed != 1) {
    elog(ERROR, "pg_dialer: reading dialer.rule_packs failed");
  }
  bool isnull = false;
  Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
  ArrayType* found = DatumGetArrayTypeP(d);  // detoasted in SPI's memory
  auto* copy = static_cast<ArrayType*>(MemoryContextAlloc(g_defaults_cxt, VARSIZE(found)));
  memcpy(copy, found, VARSIZE(found));
  SPI_finish();
  return copy;
}

// The cached packs of key, read on a miss. Plain Postgres code (may raise).
ArrayType* CachedDefaults(const char* key, const char* region, const char* area) {
  if (g_defaults == nullptr || g_defaults_generation != dialer::pg::RulePacksGeneration()) {
    ResetDefaults();
  }
  bool found = false;
  auto* entry = static_cast<DefaultsEntry*>(hash_search(g_defaults, key, HASH_FIND, &found));
  if (found) return entry->packs;
  // Why enter only after the query: an error in it must not leave an empty entry.
  ArrayType* packs = QueryDefaults(region, area);
  entry = static_cast<DefaultsEntry*>(hash_search(g_defaults, key, HASH_ENTER, &found));
  entry->packs = packs;
  return packs;
}

// An empty text[] in the caller's memory context.
Datum EmptyPacks() { PG_RETURN_ARRAYTYPE_P(construct_empty_array(TEXTOID)); }

}  // namespace

// dialer.default_rule_packs(p_phone text) returns text[]: the packs of the number's
// country with default_scope 'country', and for a NANP number those listing its area
// code; '{}' for a NULL or invalid number or a country without packs.
Datum dialer_default_rule_packs(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) return EmptyPacks();
  std::string_view phone = dialer::pg::TextView(PG_GETARG_TEXT_PP(0));  // detoast first
  char key[kKeySize];
  char region[4];
  char area[4];
  if (!dialer::pg::Guard([&] { return RegionOf(phone, key, region, area); })) return EmptyPacks();
  // Why here: it brings the invalidation count (and so the generation) up to date.
  dialer::pg::RefreshRulePacks();
  ArrayType* packs = CachedDefaults(key, region, area);
  // Why a copy: the caller owns (and may free) what a function returns.
  PG_RETURN_DATUM(datumCopy(PointerGetDatum(packs), false, -1));
}
