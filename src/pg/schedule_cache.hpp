// Per-backend cache of the scheduler's parsed inputs. A bulk statement calls
// dialer.next_attempt_at once per lead, with each campaign's policy, windows and
// packs and a few distinct zone lists, usually interleaved (a join). Each
// distinct argument is parsed once and found again by its bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pg/guard.hpp"
#include "schedule/policy.hpp"
#include "schedule/rule_packs.hpp"
#include "schedule/windows.hpp"
#include "tz/zone.hpp"

namespace dialer::pg {

// Parses of recently seen argument values, keyed by their bytes.
template <typename Parsed>
class ParseCache {
 public:
  // The parse of these bytes, computed by parse() on a miss. Throws what parse throws.
  template <typename Parse>
  const Parsed& Get(std::string_view bytes, Parse&& parse) {
    for (const auto& e : entries_) {
      if (e->key == bytes) return e->value;
    }
    auto entry = std::make_unique<Entry>(Entry{std::string(bytes), parse()});
    // Why a bound: a statement over many distinct documents (per-contact windows)
    // must not grow the cache without limit; evict round-robin.
    if (entries_.size() < kCapacity) {
      entries_.push_back(std::move(entry));
      return entries_.back()->value;
    }
    next_victim_ = (next_victim_ + 1) % kCapacity;
    entries_[next_victim_] = std::move(entry);
    return entries_[next_victim_]->value;
  }

  // Forgets every parse (their inputs changed meaning, e.g. the rule packs).
  void Clear() {
    entries_.clear();
    next_victim_ = 0;
  }

 private:
  static constexpr size_t kCapacity = 32;
  struct Entry {
    std::string key;
    Parsed value;
  };
  // unique_ptr: references handed out stay valid while entries_ grows.
  std::vector<std::unique_ptr<Entry>> entries_;
  size_t next_victim_ = 0;
};

struct ScheduleCache {
  ParseCache<schedule::RetryPolicy> policies;
  ParseCache<schedule::CallingWindows> campaign_windows;
  ParseCache<schedule::CallingWindows> contact_windows;
  // Pointers into pg::LoadedRulePacks(): valid for packs_generation only.
  ParseCache<std::vector<const schedule::RulePack*>> packs;
  uint64_t packs_generation = 0;
  ParseCache<std::vector<const tz::Zone*>> zones;
};

// The backend's cache (see schedule_cache.cpp for why it is not per call site).
ScheduleCache* BackendScheduleCache();

}  // namespace dialer::pg
