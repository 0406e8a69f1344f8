// The next-attempt planner: the earliest instant at or after the policy's retry
// time at which every rule allows a call, or "never", with the trail of rules
// that moved or blocked it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "schedule/outcome.hpp"
#include "schedule/policy.hpp"
#include "schedule/rule_packs.hpp"
#include "schedule/time.hpp"
#include "schedule/windows.hpp"
#include "tz/zone.hpp"

namespace dialer::schedule {

// How far past the lower bound the planner looks for an open moment.
inline constexpr Micros kSearchHorizon = 370 * kMicrosPerDay;

// What is known about the lead's attempts.
struct History {
  LeadId lead{};
  int64_t attempts = 0;  // attempts placed for this lead
  // The last attempt's class; none with attempts > 0 while that attempt is in flight.
  std::optional<OutcomeClass> last_outcome;
  int64_t class_attempts = 0;  // attempts of this lead that ended in last_outcome
  std::optional<Micros> last_attempt_at;
  // Calls to the contact's number that caps and the minimum gap count (any
  // campaign), one element per call (calls at the same instant each count); the
  // last attempt counts once, whether listed or not.
  std::vector<Micros> recent_calls;
  std::optional<Micros> last_abandoned_at;
  std::optional<Micros> last_refusal_at;
};

// Everything one decision depends on; pointers are borrowed.
struct Request {
  const RetryPolicy* policy = nullptr;
  const CallingWindows* campaign_windows = nullptr;  // nullptr: no campaign restriction
  const CallingWindows* contact_windows = nullptr;   // nullptr: no contact restriction
  std::vector<const RulePack*> packs;
  std::vector<const tz::Zone*> zones;  // candidate zones of the called party
  History history;
  bool suppressed = false;
  bool artificial_voice = true;  // AI or prerecorded voice: consent is required
  bool has_consent = false;
  std::optional<Micros> campaign_start, campaign_end;
  Micros now = 0;
};

// Why a step of the trail exists.
enum class Rule {
  // lower bounds and moves
  kNow,
  kCampaignStart,
  kRetryDelay,
  kMinGap,
  kCap,
  kAfterAbandoned,
  kAfterRefusal,
  kWindow,
  // reasons for "never"
  kNoZone,
  kSuppressed,
  kNoConsent,
  kTerminalOutcome,
  kMaxAttempts,
  kClassMaxAttempts,
  kUnknownNotRedialled,
  kNoRetryRule,
  kInProgress,
  kCampaignEnded,
  kNoWindow,
};

// The rule's name in the explanation ("window", "cap", "suppressed", ...).
std::string_view RuleName(Rule r);

// One rule that moved the earliest moment (until) or blocked the call.
struct Step {
  Step(Rule r, std::string_view who, std::string_view cite = {})
      : rule(r), owner(who), source(cite) {}

  Rule rule;
  std::string_view owner;   // "policy", "campaign", "contact" or a rule pack name
  std::string_view source;  // a rule pack's legal citation
  const tz::Zone* zone = nullptr;
  Micros from = 0;   // kWindow: the instant that was closed
  Micros until = 0;  // the earliest instant the rule allows
  int64_t n = 0;     // kRetryDelay: delay seconds; kCap: max; kMaxAttempts...: attempts
  int64_t m = 0;     // kRetryDelay: k; kCap: period seconds; kMaxAttempts...: the limit
  std::optional<OutcomeClass> outcome;
  std::vector<std::string_view> closed_by;  // kWindow with explain: owners closed at `from`
};

struct Decision {
  bool never = false;
  Micros at = 0;            // when !never
  std::vector<Step> trail;  // never: the last step is the blocking rule
  size_t binding = 0;       // index of the step that set `at` (or blocked)
};

// Decides the next attempt. explain adds which window sets were closed to each
// window step. Throws dialer::Error 22023 on inconsistent history.
Decision NextAttempt(const Request& request, bool explain);

// Seconds of call history the policy's and packs' rules look back over: the longest
// rolling cap period, minimum gap and cool-down after an abandoned call or a refusal.
// The queue reads that much history for each decision.
int64_t HistoryHorizonSeconds(const RetryPolicy& policy, const std::vector<const RulePack*>& packs);

// How far ahead LegalUntil looks: a claim's lease is at most a day.
inline constexpr Micros kLegalUntilHorizon = 2 * kMicrosPerDay;

// The first instant after request.now at which the calling windows close in some
// candidate zone (or the campaign ends), at most kLegalUntilHorizon later: the
// dial-by deadline of a call claimed at request.now, which must be a legal instant.
Micros LegalUntil(const Request& request);

}  // namespace dialer::schedule
