// Rule packs: the law as data. Each pack has calling windows, caps and
// cool-downs, and cites its source. The effective window is the intersection of
// every pack's windows with the campaign's and the contact's; caps and
// cool-downs all apply (so the strictest wins).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "schedule/policy.hpp"
#include "schedule/windows.hpp"

namespace dialer::schedule {

struct RulePack {
  std::string_view name;    // "us_fl"
  std::string_view title;   // "Florida"
  std::string_view source;  // the legal citation
  CallingWindows windows;
  std::vector<Cap> caps;
  int64_t after_abandoned_seconds = 0;
  int64_t after_refusal_seconds = 0;
  // Further windows for calls by an artificial or prerecorded voice only
  // (Request::artificial_voice); they narrow `windows`, never widen them.
  std::optional<CallingWindows> artificial_voice_windows;
};

// The pack with this name, or nullptr.
const RulePack* RulePackNamed(std::string_view name);

// Every pack, in a fixed order.
const std::vector<RulePack>& AllRulePacks();

// Pack names for error messages.
std::string AllRulePackNames();

}  // namespace dialer::schedule
