// Regression: calls at the same instant each count in caps. Recent calls are a
// multiset (two calls claimed in one transaction share an instant); only the
// last attempt is merged, and only when no recent call is at its instant.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "schedule_test_support.hpp"

namespace dialer::schedule {
namespace {

using testing::RulePackNamed;

using testing::Local;
using testing::Scenario;

constexpr Micros kMinute = 60 * kMicrosPerSecond;
constexpr Micros kDayMicros = 86400 * kMicrosPerSecond;
constexpr const char* kTenMinutes =
    R"({"classes": {"no_answer": {"delays": ["10m"], "max_attempts": 99}}})";

// A 3-per-24h state pack after calls at 13:00, 13:00, 13:10, 13:10 (last attempt 13:10).
Decision FourCallsAtTwoInstants(const char* pack, const std::vector<int>& minutes_after_13) {
  Scenario s;
  s.Zones({"America/New_York"}).Packs({pack}).Policy(kTenMinutes);
  const Micros one_pm = Local("America/New_York", 2024, 6, 3, 13, 0);
  for (int m : minutes_after_13) s.request.history.recent_calls.push_back(one_pm + m * kMinute);
  const Micros last = *std::max_element(s.request.history.recent_calls.begin(),
                                        s.request.history.recent_calls.end());
  s.Last(OutcomeClass::kNoAnswer, last, 4, 4).Now(last + kMinute);
  return s.Run(true);
}

TEST(ScheduleSameInstantCalls, StateCapsCountEveryCallAtTheSameInstant) {
  for (const char* pack : {"us_fl", "us_ok", "us_md"}) {
    SCOPED_TRACE(pack);
    const Micros next_day_1pm = Local("America/New_York", 2024, 6, 4, 13, 0);
    // Four calls at two instants: refused until both 13:00 calls are 24 h old.
    Decision d = FourCallsAtTwoInstants(pack, {0, 0, 10, 10});
    ASSERT_FALSE(d.never);
    EXPECT_EQ(d.at, next_day_1pm);
    EXPECT_EQ(d.trail[d.binding].rule, Rule::kCap);
    EXPECT_EQ(d.trail[d.binding].owner, pack);
    // Three calls at two instants already reach the cap.
    d = FourCallsAtTwoInstants(pack, {0, 0, 10});
    ASSERT_FALSE(d.never);
    EXPECT_EQ(d.at, next_day_1pm);
  }
}

TEST(ScheduleSameInstantCalls, LastAttemptCountsOnceWhetherListedOrNot) {
  Scenario s;
  s.Zones({"America/New_York"}).Packs({"us_fl"}).Policy(kTenMinutes);
  const Micros one_pm = Local("America/New_York", 2024, 6, 3, 13, 0);
  // Listed once: two calls, the third is allowed after the delay.
  s.request.history.recent_calls = {one_pm, one_pm + 10 * kMinute};
  s.Last(OutcomeClass::kNoAnswer, one_pm + 10 * kMinute, 2, 2).Now(one_pm + 11 * kMinute);
  EXPECT_EQ(s.Run().at, one_pm + 20 * kMinute);
  // Not listed: it is added, so 13:00, 13:00 and the 13:10 attempt make three.
  s.request.history.recent_calls = {one_pm, one_pm};
  EXPECT_EQ(s.Run().at, one_pm + kDayMicros);
}

TEST(ScheduleSameInstantCalls, FranceFourPer30DaysCountsSameInstantCalls) {
  Scenario s;
  s.Zones({"Europe/Paris"}).Packs({"fr"}).Policy(kTenMinutes);
  const Micros ten = Local("Europe/Paris", 2024, 6, 3, 10, 0);  // a Monday
  s.request.history.recent_calls = {ten, ten, ten, ten + 30 * kMinute};
  s.Last(OutcomeClass::kNoAnswer, ten + 30 * kMinute, 4, 4).Now(ten + 31 * kMinute);
  Decision d = s.Run(true);
  ASSERT_FALSE(d.never);
  // Four calls in 30 days: wait until the three 10:00 calls are 30 days old
  // (Wednesday 3 July 10:00, inside the French window).
  EXPECT_EQ(d.at, Local("Europe/Paris", 2024, 7, 3, 10, 0));
  EXPECT_EQ(d.trail[d.binding].owner, "fr");
}

TEST(ScheduleSameInstantCalls, MinimumGapRunsFromTheNewestOfSameInstantCalls) {
  Scenario s;
  s.Zones({"UTC"}).Policy(R"({"min_gap": "2h", "classes": {"busy": {"delays": ["10m"]}}})");
  const Micros call = testing::Utc(2024, 6, 3, 10, 0);
  s.request.history.recent_calls = {call - kMinute, call, call, call - kMinute};
  s.Last(OutcomeClass::kBusy, call).Now(call + kMinute);
  Decision d = s.Run();
  EXPECT_EQ(d.at, call + 120 * kMinute);
  EXPECT_EQ(d.trail[d.binding].rule, Rule::kMinGap);
}

// The calls a cap counts, by the documented rule (not the planner's code).
std::vector<Micros> CountedCalls(const History& h) {
  std::vector<Micros> calls = h.recent_calls;
  if (h.last_attempt_at && std::count(calls.begin(), calls.end(), *h.last_attempt_at) == 0)
    calls.push_back(*h.last_attempt_at);
  return calls;
}

// Would a call at t put more than cap.max calls in the rolling period ending at t?
bool Overflows(const std::vector<Micros>& calls, const Cap& cap, Micros t) {
  const Micros period = cap.period_seconds * kMicrosPerSecond;
  const auto in_period =
      std::count_if(calls.begin(), calls.end(), [&](Micros c) { return c <= t && t - c < period; });
  return in_period + 1 > cap.max;
}

// Random cases: a rolling cap in the policy, sometimes a capped pack, and recent
// calls drawn with repetition from a few instants.
class MultisetCases {
 public:
  explicit MultisetCases(uint64_t seed) : rng_(seed) {}

  // Fills a scenario; returns whether its recent calls repeat an instant.
  bool Make(Scenario* s) {
    const int64_t max = Pick(1, 5), per = Pick(3600, 30 * 86400);
    const std::string policy = "{\"caps\": [{\"max\": " + std::to_string(max) +
                               ", \"per\": " + std::to_string(per) +
                               "}], \"classes\": {\"no_answer\": {\"delays\": [60]}}}";
    s->Zones({"UTC"}).Policy(policy.c_str());
    static const char* const kPacks[] = {"us_fl", "us_ok", "us_md", "fr"};
    if (Pick(0, 1)) s->request.packs.push_back(RulePackNamed(kPacks[Pick(0, 3)]));
    const Micros now = testing::Utc(2024, 1, 1, 0, 0) + Pick(0, 365) * kDayMicros;
    s->Now(now);
    std::vector<Micros> instants;
    for (int64_t k = Pick(1, 4); k > 0; --k) {
      instants.push_back(now -
                         (Pick(0, 1) ? Pick(0, 6 * 3600) : Pick(0, 31 * 86400)) * kMicrosPerSecond);
    }
    std::vector<Micros>& calls = s->request.history.recent_calls;
    for (int64_t k = Pick(0, 8); k > 0; --k)
      calls.push_back(instants[Pick(0, instants.size() - 1)]);
    if (Pick(0, 2)) {
      const bool listed = Pick(0, 1) && !calls.empty();
      const Micros last = listed ? *std::max_element(calls.begin(), calls.end())
                                 : now - Pick(0, 3 * 3600) * kMicrosPerSecond;
      s->Last(OutcomeClass::kNoAnswer, last);
    }
    std::vector<Micros> sorted = calls;
    std::sort(sorted.begin(), sorted.end());
    return std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end();
  }

 private:
  int64_t Pick(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  std::mt19937_64 rng_;
};

TEST(ScheduleSameInstantCalls, RandomMultisetsNeverOverflowACap) {
  MultisetCases gen(0x5a3e1);
  int scheduled = 0, with_duplicates = 0;
  for (int i = 0; i < 20000; ++i) {
    Scenario s;
    with_duplicates += gen.Make(&s);
    const Decision d = s.Run();
    if (d.never) continue;
    ++scheduled;
    const std::vector<Micros> calls = CountedCalls(s.request.history);
    std::vector<Cap> caps = s.policy.caps;
    for (const RulePack* p : s.request.packs) {
      for (const PackCap& c : p->caps) caps.push_back(c.cap);
    }
    for (const Cap& cap : caps) {
      ASSERT_FALSE(Overflows(calls, cap, d.at))
          << "case " << i << ": " << cap.max << " per " << cap.period_seconds << "s";
    }
  }
  EXPECT_GT(scheduled, 15000);
  EXPECT_GT(with_duplicates, 5000);
}

}  // namespace
}  // namespace dialer::schedule
