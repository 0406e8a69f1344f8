// The backend's copy of the rule packs stored in dialer.rule_packs and
// dialer.rule_pack_rules, read again only after those tables changed.
#pragma once

#include <cstdint>

#include "schedule/rule_packs.hpp"

namespace dialer::pg {

// Reads the rule-pack tables when they changed since the last read (or were never
// read). Plain Postgres code that may ereport: call it before any C++ object
// exists, outside Guard (it runs an SPI query).
void RefreshRulePacks();

// The packs as of the last RefreshRulePacks, parsed on first use; throws what
// parsing throws. Call inside Guard.
const schedule::RulePackSet& LoadedRulePacks();

// Changes whenever LoadedRulePacks may answer differently (for caches keyed on it).
uint64_t RulePacksGeneration();

// The packs document of the last RefreshRulePacks (JSON text, ParseRulePacks' shape).
const char* RulePacksDocument();

}  // namespace dialer::pg
