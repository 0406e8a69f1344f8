// Property tests over random requests (>= 100,000): the planner's answer is
// never in a closed moment for any candidate zone, never before any lower bound
// (now, campaign start, retry delay, gap, cool-downs), never breaks a cap, is
// the earliest such moment, and is stable when recomputed at itself. The
// windows, caps and bounds are re-derived here from the test's own model of the
// inputs, not from the planner's code.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "schedule/holidays.hpp"
#include "schedule_test_support.hpp"

namespace dialer::schedule {
namespace {

using testing::RulePackNamed;

constexpr int64_t kDaySec = 86400;

// The test's model of one window set.
struct WindowModel {
  bool restricts = false;
  std::array<std::vector<std::pair<int, int>>, 7> ranges;  // minutes; end < start crosses midnight
  std::set<int64_t> blackout;
  bool french_holidays = false;

  // Is a local wall-clock second open?
  bool Open(int64_t local) const {
    const int64_t day = tz::FloorDiv(local, kDaySec);
    const int64_t sod = local - day * kDaySec;
    if (blackout.count(day) || (french_holidays && IsHoliday(HolidayCalendar::kFrance, day)))
      return false;
    if (!restricts) return true;
    for (auto [s, e] : ranges[tz::IsoWeekday(day) - 1]) {
      const int64_t end = e > s ? e * 60 : kDaySec;
      if (sod >= s * 60 && sod < end) return true;
    }
    for (auto [s, e] : ranges[tz::IsoWeekday(day - 1) - 1]) {
      if (e < s && sod < e * 60) return true;
    }
    return false;
  }

  std::string Json() const {
    static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    auto hhmm = [](int m) {
      char b[32];
      std::snprintf(b, sizeof b, "%02d:%02d", m / 60, m % 60);
      return std::string(b);
    };
    std::string j = "{";
    if (restricts) {
      j += "\"days\": {";
      for (int d = 0; d < 7; ++d) {
        j += std::string(d ? ", " : "") + "\"" + kDays[d] + "\": [";
        for (size_t i = 0; i < ranges[d].size(); ++i) {
          j += (i ? ", " : "") + std::string("[\"") + hhmm(ranges[d][i].first) + "\", \"" +
               hhmm(ranges[d][i].second) + "\"]";
        }
        j += "]";
      }
      j += "}, ";
    }
    j += "\"blackout_dates\": [";
    bool first = true;
    for (int64_t day : blackout) {
      const tz::CivilDate c = tz::CivilFromDays(day);
      char b[48];
      std::snprintf(b, sizeof b, "%04lld-%02d-%02d", static_cast<long long>(c.year), c.month,
                    c.day);
      j += std::string(first ? "" : ", ") + "\"" + b + "\"";
      first = false;
    }
    j += std::string("], \"holidays\": [") + (french_holidays ? "\"fr\"" : "") + "]}";
    return j;
  }
};

// The test's model of a rule pack.
struct PackModel {
  const char* name;
  WindowModel windows;
  std::vector<Cap> caps;
  int64_t after_abandoned = 0, after_refusal = 0;
  std::optional<WindowModel> artificial_voice_windows;  // also closed for AI-voice calls
};

std::vector<PackModel> PackModels() {
  auto every = [](int from_h, int to_h) {
    WindowModel w;
    w.restricts = true;
    for (auto& d : w.ranges) d = {{from_h * 60, to_h * 60}};
    return w;
  };
  WindowModel fr;
  fr.restricts = true;
  for (int d = 0; d < 5; ++d) fr.ranges[d] = {{600, 780}, {840, 1200}};
  fr.french_holidays = true;
  return {
      {"us_federal", every(8, 21), {}, 0, 0, {}},
      {"us_fl", every(8, 20), {{3, kDaySec}}, 0, 0, {}},
      {"us_ok", every(8, 20), {{3, kDaySec}}, 0, 0, every(9, 21)},
      {"us_md", every(8, 20), {{3, kDaySec}}, 0, 0, {}},
      {"uk", WindowModel{}, {}, 3 * kDaySec, 0, {}},
      {"fr", fr, {{4, 30 * kDaySec}}, 0, 60 * kDaySec, {}},
  };
}

const char* kZonePool[] = {"America/New_York", "Europe/Paris",     "Australia/Lord_Howe",
                           "Asia/Kolkata",     "Pacific/Chatham",  "America/Phoenix",
                           "Europe/London",    "America/Chicago",  "America/Los_Angeles",
                           "Asia/Tokyo",       "Australia/Sydney", "America/Sao_Paulo",
                           "America/St_Johns", "Asia/Kathmandu",   "UTC"};

// One random case with everything the checks need.
struct Case {
  Micros now = 0;
  std::vector<const tz::Zone*> zones;
  std::vector<const PackModel*> packs;
  bool has_campaign = false, has_contact = false;
  WindowModel campaign, contact;
  std::string policy_json;
  int64_t max_attempts = 10, min_gap = 0;
  std::vector<Cap> caps;
  int64_t after_abandoned = 0, after_refusal = 0;
  History history;
  bool suppressed = false, artificial = true, consent = true;
  std::optional<Micros> start, end;
};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  int64_t Long(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  WindowModel Windows(Micros now) {
    WindowModel w;
    w.restricts = Chance(0.8);
    for (auto& d : w.ranges) {
      const int n = Chance(0.15) ? 0 : Int(1, 2);
      for (int i = 0; i < n; ++i) {
        const int s = Int(0, 95) * 15;
        int e = Chance(0.1) ? 1440 : Int(1, 96) * 15;
        if (e == s) e = (s + 60) % 1440;
        if (e == s || (e == 0 && s == 0)) e = 1440;
        d.push_back({s, e == 0 ? 1440 : e});
      }
    }
    const int64_t today = tz::FloorDiv(now, kMicrosPerDay);
    for (int i = Int(0, 3); i > 0; --i) w.blackout.insert(today + Int(-2, 10));
    w.french_holidays = Chance(0.1);
    return w;
  }

  std::string Duration(int64_t seconds) {
    return Chance(0.5) ? std::to_string(seconds) : "\"" + std::to_string(seconds) + "s\"";
  }

  void Policy(Case* c) {
    std::string j = "{";
    c->max_attempts = Int(2, 10);
    j += "\"max_attempts\": " + std::to_string(c->max_attempts);
    if (Chance(0.4)) {
      c->min_gap = Long(0, 6 * 3600);
      j += ", \"min_gap\": " + Duration(c->min_gap);
    }
    j += ", \"caps\": [";
    for (int i = Int(0, 2); i > 0; --i) {
      Cap cap{Int(1, 5), Long(3600, 30 * kDaySec)};
      c->caps.push_back(cap);
      j += std::string(c->caps.size() > 1 ? ", " : "") + "{\"max\": " + std::to_string(cap.max) +
           ", \"per\": " + Duration(cap.period_seconds) + "}";
    }
    j += "]";
    if (Chance(0.3)) {
      c->after_abandoned = Long(0, 4 * kDaySec);
      c->after_refusal = Long(0, 90 * kDaySec);
      j += ", \"cool_down\": {\"after_abandoned\": " + Duration(c->after_abandoned) +
           ", \"after_refusal\": " + Duration(c->after_refusal) + "}";
    }
    j += ", \"classes\": {";
    bool first = true;
    for (int k = 0; k < kOutcomeClassCount; ++k) {
      const OutcomeClass oc = static_cast<OutcomeClass>(k);
      if (IsAlwaysTerminal(oc) || !Chance(0.85)) continue;
      j += std::string(first ? "" : ", ") + "\"" + std::string(OutcomeName(oc)) + "\": {";
      first = false;
      if (Chance(0.5)) {
        j += "\"delays\": [";
        for (int i = Int(1, 3); i > 0; --i)
          j += Duration(Long(0, 2 * kDaySec)) + (i > 1 ? ", " : "");
        j += "]";
      } else {
        const int64_t initial = Long(1, 4 * 3600);
        j += "\"backoff\": {\"initial\": " + Duration(initial) +
             ", \"factor\": " + std::to_string(Int(1, 3)) +
             ".5, \"max\": " + Duration(initial * Int(1, 20)) + "}";
      }
      if (Chance(0.5)) j += ", \"jitter\": 0." + std::to_string(Int(0, 5));
      if (Chance(0.5)) j += ", \"max_attempts\": " + std::to_string(Int(2, 8));
      j += "}";
    }
    j += "}}";
    c->policy_json = j;
  }

  void Attempts(Case* c) {
    History& h = c->history;
    for (auto& b : h.lead) b = static_cast<uint8_t>(Int(0, 255));
    if (Chance(0.25)) return;
    h.attempts = Int(1, 5);
    do {
      h.last_outcome = static_cast<OutcomeClass>(Int(0, kOutcomeClassCount - 1));
    } while (IsAlwaysTerminal(*h.last_outcome) && Chance(0.8));
    h.class_attempts = Chance(0.7) ? 1 : Int(1, static_cast<int>(h.attempts));
    h.last_attempt_at = c->now - Long(0, 3 * kDaySec) * kMicrosPerSecond;
    for (int i = Int(0, 6); i > 0; --i) {
      h.recent_calls.push_back(*h.last_attempt_at - Long(0, 31 * kDaySec) * kMicrosPerSecond);
    }
    if (Chance(0.15)) h.last_abandoned_at = c->now - Long(0, 4 * kDaySec) * kMicrosPerSecond;
    if (Chance(0.15)) h.last_refusal_at = c->now - Long(0, 70 * kDaySec) * kMicrosPerSecond;
  }

  Case Make(const std::vector<PackModel>& packs) {
    Case c;
    const int nz = Chance(0.6) ? 1 : Chance(0.75) ? 2 : 3;
    for (int i = 0; i < nz; ++i) c.zones.push_back(tz::LoadZone(kZonePool[Int(0, 14)]));
    c.now = Long(testing::Utc(2000, 1, 1, 0, 0), testing::Utc(2040, 1, 1, 0, 0));
    if (Chance(0.35)) {
      // Near a DST change of the first zone, where mistakes hide.
      const int64_t s = c.now / kMicrosPerSecond;
      const tz::Segment seg = c.zones[0]->SegmentAt(s);
      if (seg.end != tz::kNoLimitAfter)
        c.now = (seg.end + Long(-6 * 3600, 6 * 3600)) * kMicrosPerSecond;
    }
    c.now += Long(0, kMicrosPerSecond - 1) * Chance(0.3);
    for (const PackModel& p : packs) {
      if (Chance(0.12)) c.packs.push_back(&p);
    }
    c.has_campaign = Chance(0.7);
    if (c.has_campaign) c.campaign = Windows(c.now);
    c.has_contact = Chance(0.2);
    if (c.has_contact) c.contact = Windows(c.now);
    Policy(&c);
    Attempts(&c);
    c.suppressed = Chance(0.03);
    c.artificial = Chance(0.8);
    c.consent = Chance(0.93);
    if (Chance(0.1)) c.start = c.now + Long(0, 5 * kDaySec) * kMicrosPerSecond;
    if (Chance(0.2)) c.end = c.now + Long(0, 30 * kDaySec) * kMicrosPerSecond;
    return c;
  }

 private:
  std::mt19937_64 rng_;
};

// Everything a Case points to, alive while its Request is used.
struct Built {
  RetryPolicy policy;
  CallingWindows campaign, contact;
  Request request;
};

void Build(const Case& c, Built* b) {
  b->policy = RetryPolicy::Parse(c.policy_json);
  Request& r = b->request;
  r.policy = &b->policy;
  if (c.has_campaign) {
    b->campaign = CallingWindows::Parse(c.campaign.Json(), "campaign calling windows");
    r.campaign_windows = &b->campaign;
  }
  if (c.has_contact) {
    b->contact = CallingWindows::Parse(c.contact.Json(), "contact calling windows");
    r.contact_windows = &b->contact;
  }
  for (const PackModel* p : c.packs) r.packs.push_back(RulePackNamed(p->name));
  r.zones = c.zones;
  r.history = c.history;
  r.suppressed = c.suppressed;
  r.artificial_voice = c.artificial;
  r.has_consent = c.consent;
  r.campaign_start = c.start;
  r.campaign_end = c.end;
  r.now = c.now;
}

// Is the instant open in every zone under every window set of the case?
bool OpenEverywhere(const Case& c, Micros t) {
  const int64_t s = tz::FloorDiv(t, kMicrosPerSecond);
  for (const tz::Zone* z : c.zones) {
    const int64_t local = s + z->OffsetAt(s);
    if (c.has_campaign && !c.campaign.Open(local)) return false;
    if (c.has_contact && !c.contact.Open(local)) return false;
    for (const PackModel* p : c.packs) {
      if (!p->windows.Open(local)) return false;
      if (c.artificial && p->artificial_voice_windows && !p->artificial_voice_windows->Open(local))
        return false;
    }
  }
  return true;
}

// The calls caps count: every recent call (a multiset), plus the last attempt
// when no recent call is at its instant.
std::vector<Micros> Calls(const Case& c) {
  std::vector<Micros> calls = c.history.recent_calls;
  const std::optional<Micros> last = c.history.last_attempt_at;
  if (last && std::count(calls.begin(), calls.end(), *last) == 0) calls.push_back(*last);
  std::sort(calls.begin(), calls.end());
  return calls;
}

// Does a call at t keep every cap (counting t itself)?
bool CapsHold(const Case& c, Micros t) {
  std::vector<Cap> caps = c.caps;
  for (const PackModel* p : c.packs) caps.insert(caps.end(), p->caps.begin(), p->caps.end());
  const std::vector<Micros> calls = Calls(c);
  for (const Cap& cap : caps) {
    int64_t in_period = 0;
    for (Micros call : calls) in_period += t - call < cap.period_seconds * kMicrosPerSecond;
    if (in_period >= cap.max) return false;
  }
  return true;
}

// The latest lower bound, derived from the case's model; nullopt when a gate says never.
std::optional<Micros> LowerBound(const Case& c, const RetryPolicy& p, Rule* gate) {
  const History& h = c.history;
  if (c.suppressed) return *gate = Rule::kSuppressed, std::nullopt;
  if (c.artificial && !c.consent) return *gate = Rule::kNoConsent, std::nullopt;
  Micros lower = c.now;
  if (h.attempts > 0) {
    const int ci = static_cast<int>(*h.last_outcome);
    if (IsAlwaysTerminal(*h.last_outcome)) return *gate = Rule::kTerminalOutcome, std::nullopt;
    if (h.attempts >= c.max_attempts) return *gate = Rule::kMaxAttempts, std::nullopt;
    const ClassRule& rule = p.classes[ci];
    if (!rule.retry) {
      *gate = *h.last_outcome == OutcomeClass::kUnknown ? Rule::kUnknownNotRedialled
                                                        : Rule::kNoRetryRule;
      return std::nullopt;
    }
    if (rule.max_attempts > 0 && h.class_attempts >= rule.max_attempts)
      return *gate = Rule::kClassMaxAttempts, std::nullopt;
    lower = std::max(
        lower, *h.last_attempt_at +
                   p.DelaySeconds(*h.last_outcome, h.class_attempts, h.lead) * kMicrosPerSecond);
  }
  if (c.start) lower = std::max(lower, *c.start);
  const std::vector<Micros> calls = Calls(c);
  if (!calls.empty()) lower = std::max(lower, calls.back() + c.min_gap * kMicrosPerSecond);
  // The earliest instant at which every cap holds: caps only relax as time
  // passes, and they relax exactly when a call leaves a period.
  std::vector<Micros> expiries{lower};
  for (Micros call : calls) {
    for (const Cap& cap : c.caps) expiries.push_back(call + cap.period_seconds * kMicrosPerSecond);
    for (const PackModel* pk : c.packs) {
      for (const Cap& cap : pk->caps)
        expiries.push_back(call + cap.period_seconds * kMicrosPerSecond);
    }
  }
  std::sort(expiries.begin(), expiries.end());
  for (Micros e : expiries) {
    if (e >= lower && CapsHold(c, e)) {
      lower = e;
      break;
    }
  }
  std::optional<Micros> abandoned = h.last_abandoned_at;
  if (h.last_outcome == OutcomeClass::kAbandoned)
    abandoned = std::max(abandoned.value_or(*h.last_attempt_at), *h.last_attempt_at);
  int64_t after_abandoned = c.after_abandoned, after_refusal = c.after_refusal;
  for (const PackModel* pk : c.packs) {
    after_abandoned = std::max(after_abandoned, pk->after_abandoned);
    after_refusal = std::max(after_refusal, pk->after_refusal);
  }
  if (abandoned) lower = std::max(lower, *abandoned + after_abandoned * kMicrosPerSecond);
  if (h.last_refusal_at)
    lower = std::max(lower, *h.last_refusal_at + after_refusal * kMicrosPerSecond);
  return lower;
}

// The first open instant in [from, to) on the minute grid (plus `from` itself).
std::optional<Micros> FirstOpenByScan(const Case& c, Micros from, Micros to) {
  if (from < to && OpenEverywhere(c, from)) return from;
  const Micros minute = 60 * kMicrosPerSecond;
  for (Micros t = (tz::FloorDiv(from, minute) + 1) * minute; t < to; t += minute) {
    if (OpenEverywhere(c, t)) return t;
  }
  return std::nullopt;
}

TEST(ScheduleProperty, RandomRequestsKeepEveryRule) {
  const std::vector<PackModel> packs = PackModels();
  Generator gen(0x5ced01e);
  int scheduled = 0, never_gate = 0, never_window = 0, scanned = 0;
  constexpr int kCases = 100000;
  for (int i = 0; i < kCases; ++i) {
    const Case c = gen.Make(packs);
    Built b;
    Build(c, &b);
    const Decision d = NextAttempt(b.request, false);
    Rule gate = Rule::kNow;
    const std::optional<Micros> lower = LowerBound(c, b.policy, &gate);
    SCOPED_TRACE("case " + std::to_string(i) + " policy " + c.policy_json);
    if (!lower) {
      ASSERT_TRUE(d.never);
      ASSERT_EQ(d.trail.back().rule, gate);
      ++never_gate;
      continue;
    }
    const Micros limit = std::min(*lower + kSearchHorizon, c.end.value_or(kLatestInstant));
    if (d.never) {
      ASSERT_TRUE(d.trail.back().rule == Rule::kNoWindow ||
                  d.trail.back().rule == Rule::kCampaignEnded)
          << RuleName(d.trail.back().rule);
      ASSERT_EQ(d.trail.back().rule == Rule::kCampaignEnded,
                c.end && *c.end < *lower + kSearchHorizon);
      if (limit - *lower <= 3 * kMicrosPerDay) {
        ASSERT_FALSE(FirstOpenByScan(c, *lower, limit)) << "an open moment was missed";
        ++scanned;
      }
      ++never_window;
      continue;
    }
    ++scheduled;
    const Micros t = d.at;
    ASSERT_GE(t, *lower) << "before a lower bound";
    ASSERT_LT(t, limit);
    ASSERT_TRUE(OpenEverywhere(c, t)) << "inside a closed moment";
    ASSERT_TRUE(CapsHold(c, t)) << "breaks a cap";
    // Earliest: just before t is either below the bound or closed somewhere.
    if (t > *lower) {
      ASSERT_FALSE(OpenEverywhere(c, t - 1)) << "an earlier moment was open";
    }
    if (i % 4 == 0 && t - *lower <= 3 * kMicrosPerDay) {
      ASSERT_EQ(FirstOpenByScan(c, *lower, t + 1), std::optional<Micros>(t));
      ++scanned;
    }
    // Stable: asking again at the answer gives the answer.
    b.request.now = t;
    const Decision again = NextAttempt(b.request, false);
    ASSERT_FALSE(again.never);
    ASSERT_EQ(again.at, t);
  }
  // The generator must exercise every branch.
  EXPECT_GT(scheduled, kCases / 3);
  EXPECT_GT(never_gate, kCases / 20);
  EXPECT_GT(never_window, 100);
  EXPECT_GT(scanned, kCases / 20);
  std::printf("scheduled %d, never by gate %d, never by window/end %d, brute-force scanned %d\n",
              scheduled, never_gate, never_window, scanned);
}

}  // namespace
}  // namespace dialer::schedule
