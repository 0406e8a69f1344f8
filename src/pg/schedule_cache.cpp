// The scheduler's per-call-site cache and its lifetime.
#include "pg/schedule_cache.hpp"

extern "C" {
#include "utils/memutils.h"
}

namespace dialer::pg {
namespace {

// Memory-context reset callback: deletes the C++ cache. Destructors do not throw.
void DeleteCache(void* arg) { delete static_cast<ScheduleCache*>(arg); }

}  // namespace

ScheduleCache* CacheOf(FunctionCallInfo fcinfo) {
  FmgrInfo* flinfo = fcinfo->flinfo;
  if (flinfo->fn_extra != nullptr) return static_cast<ScheduleCache*>(flinfo->fn_extra);
  // Why a callback: fn_extra lives in fn_mcxt, which Postgres frees without
  // knowing about C++; the callback runs the destructors when it is reset.
  auto* callback = PgCall([&] {
    return static_cast<MemoryContextCallback*>(
        MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(MemoryContextCallback)));
  });
  auto* cache = new ScheduleCache();
  callback->func = DeleteCache;
  callback->arg = cache;
  MemoryContextRegisterResetCallback(flinfo->fn_mcxt, callback);
  flinfo->fn_extra = cache;
  return cache;
}

}  // namespace dialer::pg
