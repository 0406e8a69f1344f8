// Rule packs: the law as data. A pack is a list of rules read from the database
// (dialer.rule_packs, dialer.rule_pack_rules): calling windows, caps and cool-downs,
// each citing its legal source. The planner intersects every pack's windows with the
// campaign's and the contact's and applies every cap and cool-down (the strictest
// wins); this file only reads and checks the rules, never applies them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.hpp"
#include "schedule/policy.hpp"
#include "schedule/windows.hpp"

namespace dialer::schedule {

// Calling windows of a pack, for every call or for artificial-voice calls only.
struct PackWindows {
  CallingWindows windows;
  bool artificial_voice_only = false;
  std::string source;
};

// A rolling cap of a pack.
struct PackCap {
  Cap cap;
  std::string source;
};

// A wait after an abandoned call or after a refusal.
struct PackWait {
  int64_t seconds = 0;
  std::string source;
};

struct RulePack {
  std::string name;   // "us_fl"
  std::string title;  // "Florida"
  std::vector<PackWindows> windows;
  std::vector<PackCap> caps;
  std::vector<PackWait> after_abandoned;
  std::vector<PackWait> after_refusal;
};

// Every pack, looked up by name.
class RulePackSet {
 public:
  RulePackSet() = default;
  explicit RulePackSet(std::vector<RulePack> packs) : packs_(std::move(packs)) {}
  // The pack with this name, or nullptr.
  const RulePack* Named(std::string_view name) const;
  // The names, comma-separated, for error messages.
  std::string Names() const;
  const std::vector<RulePack>& packs() const { return packs_; }

 private:
  std::vector<RulePack> packs_;
};

// Reads the packs document the database hands over (a jsonb, read as a tree):
// [{"name", "title", "rules": [{"rule", "applies_to", "figures", "source"}, ...]}, ...].
RulePackSet RulePacksFromJson(const json::Value& doc);

// RulePacksFromJson of the document's text (unit tests and fuzzing read text).
RulePackSet ParseRulePacks(std::string_view json_text);

// Checks one rule as written to dialer.rule_pack_rules; throws 22023 naming the
// bad field. rule: calling_window, cap, after_abandoned or after_refusal;
// applies_to: every_call or artificial_voice (windows only); figures: the JSON
// document (read as "rule pack rule figures").
void CheckRule(std::string_view rule, std::string_view applies_to, const json::Value& figures);

}  // namespace dialer::schedule
