// Per-call-site cache of the scheduler's parsed inputs. A bulk statement calls
// dialer.next_attempt_at once per lead with the same policy, windows, packs and
// often the same zones; each is parsed once and reused while its bytes are equal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pg/guard.hpp"
#include "schedule/policy.hpp"
#include "schedule/rule_packs.hpp"
#include "schedule/windows.hpp"
#include "tz/zone.hpp"

namespace dialer::pg {

// One cached parse: the argument's bytes and what they parse to.
template <typename Parsed>
struct CachedParse {
  bool valid = false;
  std::string key;
  Parsed value{};

  // True when the cache holds the parse of exactly these bytes.
  bool Holds(std::string_view bytes) const { return valid && key == bytes; }
};

struct ScheduleCache {
  CachedParse<schedule::RetryPolicy> policy;
  CachedParse<schedule::CallingWindows> campaign_windows;
  CachedParse<schedule::CallingWindows> contact_windows;
  CachedParse<std::vector<const schedule::RulePack*>> packs;
  CachedParse<std::vector<const tz::Zone*>> zones;
};

// The cache of this call site (fcinfo->flinfo), created on first use and
// deleted when the function's memory context goes away.
ScheduleCache* CacheOf(FunctionCallInfo fcinfo);

}  // namespace dialer::pg
