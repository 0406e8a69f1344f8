// libFuzzer target: retry policies and calling windows from hostile JSON, then
// a decision with whatever parsed. Errors must be dialer::Error; a decision must
// come back inside its bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.hpp"
#include "schedule/explain.hpp"
#include "schedule/planner.hpp"
#include "tz/zone_cache.hpp"

namespace {
// A federal-style pack (08:00-21:00 every day), so decisions also meet pack windows.
const dialer::schedule::RulePack& FederalPack() {
  static const dialer::schedule::RulePackSet packs = dialer::schedule::ParseRulePacks(
      R"([{"name": "federal", "title": "t", "rules": [{"rule": "calling_window",
          "applies_to": "every_call", "source": "s 1",
          "figures": {"days": {"mon": [["08:00", "21:00"]], "tue": [["08:00", "21:00"]],
          "wed": [["08:00", "21:00"]], "thu": [["08:00", "21:00"]], "fri": [["08:00", "21:00"]],
          "sat": [["08:00", "21:00"]], "sun": [["08:00", "21:00"]]}}}]}])");
  return packs.packs().front();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dialer::schedule;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The first line is the policy, the rest the windows.
  const size_t nl = text.find('\n');
  const std::string_view policy_text = text.substr(0, nl);
  const std::string_view windows_text = nl == std::string_view::npos ? "{}" : text.substr(nl + 1);
  try {
    const RetryPolicy policy = RetryPolicy::Parse(policy_text);
    const CallingWindows windows = CallingWindows::Parse(windows_text, "calling windows");
    Request r;
    r.policy = &policy;
    r.campaign_windows = &windows;
    r.packs = {&FederalPack()};
    r.zones = {dialer::tz::LoadZone("America/New_York"), dialer::tz::LoadZone("Pacific/Chatham")};
    r.has_consent = true;
    r.now = 1717400000LL * kMicrosPerSecond;
    r.history.attempts = 2;
    r.history.class_attempts = 2;
    r.history.last_outcome = static_cast<OutcomeClass>(size % kOutcomeClassCount);
    r.history.last_attempt_at = r.now - 3600 * kMicrosPerSecond;
    const Decision d = NextAttempt(r, true);
    if (!d.never && (d.at < r.now || d.at > r.now + 2 * kSearchHorizon)) __builtin_trap();
    dialer::json::Write(ExplainJson(r, d));
  } catch (const dialer::Error&) {
  }
  return 0;
}
