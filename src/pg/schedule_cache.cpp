// The scheduler's cache of parsed inputs and its lifetime: one per backend.
#include "pg/schedule_cache.hpp"

namespace dialer::pg {

// Why one cache per backend and not per call site (fn_extra): the queue calls the
// scheduler from cached plans, and the executor builds a new FmgrInfo for every
// execution, so a call-site cache never outlived a single decision and every claim
// re-parsed the campaign's policy and windows. A parse depends on nothing but the
// argument's bytes (and the rule packs, whose parses are dropped when the packs change,
// and tzdata), so sharing it across
// statements is exact; each ParseCache is bounded, so memory stays small.
ScheduleCache* BackendScheduleCache() {
  static ScheduleCache cache;
  return &cache;
}

}  // namespace dialer::pg
