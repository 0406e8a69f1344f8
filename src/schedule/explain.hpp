// The answer to "why (not) now?": a planner decision as a JSON document.
#pragma once

#include "common/json.hpp"
#include "schedule/planner.hpp"

namespace dialer::schedule {

// {"next_attempt_at", "status", "reason", "detail", "zones", "trail": [...]};
// see docs/schedule.md for every field.
json::Value ExplainJson(const Request& request, const Decision& decision);

}  // namespace dialer::schedule
