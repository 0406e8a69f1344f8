// The backend's copy of the rule packs stored in dialer.rule_packs and
// dialer.rule_pack_rules, read again only after those tables changed.
#pragma once

#include <cstdint>

#include "pg/postgres_includes.hpp"
#include "schedule/rule_packs.hpp"

extern "C" {
#include "utils/jsonb.h"
}

namespace dialer::pg {

// Reads the rule-pack tables when they changed since the last read (or were never
// read). Plain Postgres code that may ereport: call it before any C++ object
// exists, outside Guard (it runs an SPI query).
void RefreshRulePacks();

// The packs as of the last RefreshRulePacks, read from its jsonb on first use (no
// text round trip: pg::ReadJsonb); throws what reading throws. Call inside Guard.
const schedule::RulePackSet& LoadedRulePacks();

// Changes whenever LoadedRulePacks may answer differently (for caches keyed on it).
uint64_t RulePacksGeneration();

// The packs document of the last RefreshRulePacks (a detoasted jsonb in
// TopMemoryContext, in RulePacksFromJson's shape); nullptr before the first.
Jsonb* RulePacksDocument();

}  // namespace dialer::pg
