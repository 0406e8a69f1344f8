// The built-in rule packs as readable data (dialer.rule_pack_rules()).
#pragma once

#include <string>

namespace dialer::schedule {

// Every rule of every built-in pack as a JSON array of rows {rule_pack, title, rule
// (calling_window, cap, after_abandoned, after_refusal), applies_to, figures, source}.
std::string RulePackRulesJson();

}  // namespace dialer::schedule
