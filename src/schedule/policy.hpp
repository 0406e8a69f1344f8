// The retry policy: how long to wait after each outcome class, how many
// attempts in total and per class, caps, the minimum gap and cool-downs.
// Written as JSON (a campaign's retry_policy); see docs/schedule.md.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/json.hpp"
#include "schedule/jitter.hpp"
#include "schedule/outcome.hpp"

namespace dialer::schedule {

// At most `max` attempts in any rolling `period_seconds`.
struct Cap {
  int64_t max;
  int64_t period_seconds;
};

class FieldPath;
// Reads one cap, {"max": n, "per": duration}; throws 22023 naming the field.
Cap ReadCap(const json::Value& v, const FieldPath& at);

// What to do after an attempt ends in one class.
struct ClassRule {
  bool retry = false;           // false: the class is not retried
  std::vector<int64_t> delays;  // fixed delays, seconds; used when !backoff
  bool backoff = false;
  int64_t initial_seconds = 0, max_seconds = 0, factor_thousandths = 1000;
  int64_t jitter_thousandths = 0;
  int64_t max_attempts = 0;  // retire once this many attempts ended in the class; 0 = no limit
};

struct RetryPolicy {
  int64_t max_attempts = 10;  // attempts in total
  int64_t min_gap_seconds = 0;
  std::vector<Cap> caps;
  int64_t after_abandoned_seconds = 0;
  int64_t after_refusal_seconds = 0;
  std::array<bool, kOutcomeClassCount> terminal{};
  std::array<ClassRule, kOutcomeClassCount> classes{};

  // Parses and validates the policy; errors name the bad field's JSON path.
  static RetryPolicy Parse(std::string_view json_text);
  static RetryPolicy FromJson(const json::Value& doc);

  // Seconds to wait after the k-th attempt (k >= 1) that ended in class c.
  int64_t DelaySeconds(OutcomeClass c, int64_t k, const LeadId& lead) const;
};

}  // namespace dialer::schedule
