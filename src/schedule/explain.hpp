// The answer to "why (not) now?": a planner decision as a JSON document.
#pragma once

#include <string>

#include "schedule/planner.hpp"

namespace dialer::schedule {

// {"next_attempt_at", "status", "reason", "detail", "zones", "trail": [...]};
// see docs/schedule.md for every field.
std::string ExplainJson(const Request& request, const Decision& decision);

// Appends s to out as a JSON string literal (quotes, escapes).
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace dialer::schedule
