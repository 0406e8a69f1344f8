// Fixed cases: DST changes in six zones, a window ending at midnight, ranges
// crossing midnight, a holiday, France's split day, Florida's third call in 24 h,
// candidate zones that must all be open, and every reason for "never".
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "schedule/explain.hpp"
#include "schedule_test_support.hpp"

namespace dialer::schedule {
namespace {

using testing::Local;
using testing::Scenario;
using testing::Utc;

// The decision's instant, or a failure when it says never.
Micros At(const Decision& d) {
  EXPECT_FALSE(d.never) << "expected a time, got never: " << RuleName(d.trail[d.binding].rule);
  return d.at;
}

TEST(ScheduleFixed, NewYorkSpringForwardDayFederalWindow) {
  Scenario s;
  s.Zones({"America/New_York"}).Packs({"us_federal"});
  s.Now(Local("America/New_York", 2024, 3, 10, 1, 0));  // 01:00 EST, before the jump
  EXPECT_EQ(At(s.Run()), Utc(2024, 3, 10, 12, 0));      // 08:00 EDT
}

TEST(ScheduleFixed, WindowOpeningInsideTheSpringForwardGapOpensAtTheJump) {
  Scenario s;
  s.Zones({"America/New_York"})
      .Campaign(R"({"days": {"sun": [["02:30", "05:00"]]}})")
      .Now(Local("America/New_York", 2024, 3, 10, 1, 0));
  // The wall clock goes 01:59:59 EST -> 03:00:00 EDT, already past 02:30.
  EXPECT_EQ(At(s.Run()), Utc(2024, 3, 10, 7, 0));
}

TEST(ScheduleFixed, FallBackRepeatsAWindowHour) {
  Scenario s;
  s.Zones({"America/New_York"})
      .Campaign(R"({"days": {"sun": [["00:00", "01:30"]]}})")
      .Now(Utc(2024, 11, 3, 5, 45));  // 01:45 EDT: closed
  // 01:00 EST comes 15 minutes later and the window is open again until 01:30 EST.
  EXPECT_EQ(At(s.Run()), Utc(2024, 11, 3, 6, 0));
}

TEST(ScheduleFixed, ParisDstChangeMovesTheUtcOpening) {
  Scenario s;
  s.Zones({"Europe/Paris"}).Campaign(R"({"days": {"mon": [["09:00", "18:00"]]}})");
  s.Now(Utc(2024, 3, 30, 12, 0));                 // Saturday before the change (CET, +1)
  EXPECT_EQ(At(s.Run()), Utc(2024, 4, 1, 7, 0));  // Monday 09:00 CEST (+2)
  s.Now(Utc(2024, 3, 23, 12, 0));                 // a week earlier: still CET on Monday
  EXPECT_EQ(At(s.Run()), Utc(2024, 3, 25, 8, 0));
  s.Now(Utc(2024, 10, 26, 12, 0));                  // Saturday before the change back
  EXPECT_EQ(At(s.Run()), Utc(2024, 10, 28, 8, 0));  // Monday 09:00 CET
}

TEST(ScheduleFixed, LordHoweHalfHourJump) {
  Scenario s;
  s.Zones({"Australia/Lord_Howe"}).Campaign(R"({"days": {"sun": [["02:00", "03:00"]]}})");
  s.Now(Local("Australia/Lord_Howe", 2024, 10, 6, 1, 0));
  // 02:00 (+10:30) becomes 02:30 (+11): the window opens at the jump, 02:30 local.
  EXPECT_EQ(At(s.Run()), Utc(2024, 10, 5, 15, 30));
  // In April 01:30-02:00 happens twice; at 01:45 the second time (+10:30) it is closed
  // until 02:00 (+10:30).
  s.Campaign(R"({"days": {"sun": [["02:00", "03:00"]]}})");
  s.Now(Utc(2024, 4, 6, 15, 15));
  EXPECT_EQ(At(s.Run()), Utc(2024, 4, 6, 15, 30));
}

TEST(ScheduleFixed, KolkataHalfHourOffset) {
  Scenario s;
  s.Zones({"Asia/Kolkata"}).Campaign(R"({"days": {"mon": [["09:00", "21:00"]]}})");
  s.Now(Utc(2024, 1, 1, 0, 0));  // Monday 05:30 IST
  EXPECT_EQ(At(s.Run()), Utc(2024, 1, 1, 3, 30));
}

TEST(ScheduleFixed, ChathamFortyFiveMinuteOffsetAcrossDst) {
  Scenario s;
  s.Zones({"Pacific/Chatham"}).Campaign(R"({"days": {"sun": [["09:00", "17:00"]]}})");
  s.Now(Local("Pacific/Chatham", 2024, 9, 29, 2, 0));  // before 02:45 -> 03:45
  EXPECT_EQ(At(s.Run()), Utc(2024, 9, 28, 19, 15));    // 09:00 +13:45
}

TEST(ScheduleFixed, PhoenixAndNewYorkMustBothBeOpen) {
  Scenario s;
  s.Zones({"America/New_York", "America/Phoenix"}).Packs({"us_federal"});
  s.Now(Utc(2024, 7, 1, 11, 0));  // 07:00 EDT, 04:00 MST
  Decision d = s.Run(true);
  EXPECT_EQ(At(d), Utc(2024, 7, 1, 15, 0));  // 08:00 in Phoenix, 11:00 in New York
  s.Now(Utc(2024, 7, 2, 1, 0));              // 21:00 EDT: New York has closed
  EXPECT_EQ(At(s.Run()), Utc(2024, 7, 2, 15, 0));
  s.Now(Utc(2024, 1, 2, 0, 30));  // 19:30 EST, 17:30 MST: both open in winter too
  EXPECT_EQ(At(s.Run()), Utc(2024, 1, 2, 0, 30));
}

TEST(ScheduleFixed, WindowEndingAtMidnight) {
  Scenario s;
  s.Zones({"Europe/Paris"}).Campaign(R"({"days": {"tue": [["20:00", "24:00"]]}})");
  s.Now(Local("Europe/Paris", 2024, 6, 4, 23, 59, 30));  // Tuesday
  EXPECT_EQ(At(s.Run()), s.request.now);
  s.Now(Local("Europe/Paris", 2024, 6, 5, 0, 0));  // Wednesday 00:00: closed
  EXPECT_EQ(At(s.Run()), Local("Europe/Paris", 2024, 6, 11, 20, 0));
}

TEST(ScheduleFixed, RangeCrossingMidnightBelongsToItsStartDay) {
  Scenario s;
  s.Zones({"UTC"}).Campaign(R"({"days": {"fri": [["22:00", "02:00"]]}})");
  s.Now(Utc(2024, 6, 8, 1, 0));  // Saturday 01:00, inside Friday's range
  EXPECT_EQ(At(s.Run()), Utc(2024, 6, 8, 1, 0));
  s.Now(Utc(2024, 6, 8, 2, 0));  // Saturday 02:00: closed until next Friday 22:00
  EXPECT_EQ(At(s.Run()), Utc(2024, 6, 14, 22, 0));
}

TEST(ScheduleFixed, BlackoutDateClosesTheWholeLocalDate) {
  Scenario s;
  s.Zones({"America/Chicago"})
      .Campaign(R"({"days": {"thu": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]]},
                    "blackout_dates": ["2024-11-28"]})")
      .Now(Local("America/Chicago", 2024, 11, 28, 8, 0));
  EXPECT_EQ(At(s.Run()), Local("America/Chicago", 2024, 11, 29, 9, 0));
}

TEST(ScheduleFixed, FrenchHolidaysAndTheSplitDay) {
  Scenario s;
  s.Zones({"Europe/Paris"}).Packs({"fr"});
  // Wednesday 8 May 2024 (Victoire 1945), then Thursday 9 May (Ascension) are holidays.
  s.Now(Local("Europe/Paris", 2024, 5, 8, 11, 0));
  Decision d = s.Run(true);
  EXPECT_EQ(At(d), Local("Europe/Paris", 2024, 5, 10, 10, 0));
  // The lunch break: 13:30 waits until 14:00.
  s.Now(Local("Europe/Paris", 2024, 6, 4, 13, 30));
  EXPECT_EQ(At(s.Run()), Local("Europe/Paris", 2024, 6, 4, 14, 0));
  // 20:00 on a Friday waits until Monday 10:00.
  s.Now(Local("Europe/Paris", 2024, 6, 7, 20, 0));
  EXPECT_EQ(At(s.Run()), Local("Europe/Paris", 2024, 6, 10, 10, 0));
  // Whit Monday 2024 is 20 May.
  s.Now(Local("Europe/Paris", 2024, 5, 18, 12, 0));
  EXPECT_EQ(At(s.Run()), Local("Europe/Paris", 2024, 5, 21, 10, 0));
}

TEST(ScheduleFixed, FrenchCapsAndRefusalRest) {
  Scenario s;
  s.Zones({"Europe/Paris"}).Packs({"fr"}).Policy(R"({"classes": {"no_answer": {"delays": ["1h"],
                                                       "max_attempts": 9}}})");
  const Micros first = Local("Europe/Paris", 2024, 6, 3, 10, 0);
  s.request.history.recent_calls = {first, first + 86400 * kMicrosPerSecond,
                                    first + 2 * 86400 * kMicrosPerSecond};
  s.Last(OutcomeClass::kNoAnswer, first + 3 * 86400 * kMicrosPerSecond, 4, 4);
  s.Now(first + 3 * 86400 * kMicrosPerSecond + 3600 * kMicrosPerSecond);
  // Four calls in 30 days: the next one waits until the first is 30 days old
  // (3 July 10:00, a Wednesday).
  EXPECT_EQ(At(s.Run()), Local("Europe/Paris", 2024, 7, 3, 10, 0));
  // A refusal recorded elsewhere on 3 June rests the contact for 60 days: 2 August.
  s.request.history.last_refusal_at = first;
  EXPECT_EQ(At(s.Run()), Local("Europe/Paris", 2024, 8, 2, 10, 0));
}

TEST(ScheduleFixed, FloridaThirdCallIn24Hours) {
  Scenario s;
  s.Zones({"America/New_York"})
      .Packs({"us_fl"})
      .Policy(R"({"classes": {"no_answer": {"delays": ["30m"], "max_attempts": 9}}})");
  const Micros c1 = Local("America/New_York", 2024, 6, 3, 9, 0);
  const Micros c2 = Local("America/New_York", 2024, 6, 3, 12, 0);
  const Micros c3 = Local("America/New_York", 2024, 6, 3, 15, 0);
  s.request.history.recent_calls = {c1, c2};
  s.Last(OutcomeClass::kNoAnswer, c2, 2, 2);
  s.Now(c2 + 60 * kMicrosPerSecond);
  EXPECT_EQ(At(s.Run()), c2 + 30 * 60 * kMicrosPerSecond);  // two calls: the third is allowed
  s.request.history.recent_calls = {c1, c2, c3};
  s.Last(OutcomeClass::kNoAnswer, c3, 3, 3);
  s.Now(c3 + 60 * kMicrosPerSecond);
  Decision d = s.Run(true);
  EXPECT_EQ(At(d), Local("America/New_York", 2024, 6, 4, 9, 0));  // 24 h after the first
  EXPECT_EQ(d.trail[d.binding].rule, Rule::kCap);
  EXPECT_EQ(d.trail[d.binding].owner, "us_fl");
  // The 24 hours end at 19:30 the next evening for a first call at 19:30: the
  // Florida window closes at 20:00, so still allowed.
  s.request.history.recent_calls = {Local("America/New_York", 2024, 6, 3, 19, 30),
                                    c2 + 86400 * kMicrosPerSecond, c3 + 86400 * kMicrosPerSecond};
  s.Last(OutcomeClass::kNoAnswer, c3 + 86400 * kMicrosPerSecond, 3, 3);
  s.Now(c3 + 86400 * kMicrosPerSecond + 3600 * kMicrosPerSecond);
  EXPECT_EQ(At(s.Run()), Local("America/New_York", 2024, 6, 4, 19, 30));
}

TEST(ScheduleFixed, UkNoRepeatWithin72HoursOfAnAbandonedCall) {
  Scenario s;
  s.Zones({"Europe/London"})
      .Packs({"uk"})
      .Policy(R"({"classes": {"abandoned": {"delays": ["1h"]}}})");
  const Micros call = Local("Europe/London", 2024, 6, 3, 10, 0);
  s.Last(OutcomeClass::kAbandoned, call).Now(call + 3600 * kMicrosPerSecond);
  Decision d = s.Run();
  EXPECT_EQ(At(d), call + 72 * 3600 * kMicrosPerSecond);
  EXPECT_EQ(d.trail[d.binding].rule, Rule::kAfterAbandoned);
}

TEST(ScheduleFixed, RetryDelayAndMinimumGap) {
  Scenario s;
  s.Zones({"UTC"}).Policy(R"({"min_gap": "3h", "classes": {"busy": {"delays": ["10m", "1h"]}}})");
  const Micros call = Utc(2024, 6, 3, 10, 0);
  s.Last(OutcomeClass::kBusy, call, 2, 2).Now(call);
  Decision d = s.Run();
  EXPECT_EQ(At(d), call + 3 * 3600 * kMicrosPerSecond);  // gap beats the 1h delay
  EXPECT_EQ(d.trail[d.binding].rule, Rule::kMinGap);
  s.Policy(R"({"classes": {"busy": {"delays": ["10m", "1h"]}}})");
  s.Last(OutcomeClass::kBusy, call, 1, 1);
  EXPECT_EQ(At(s.Run()), call + 600 * kMicrosPerSecond);
}

TEST(ScheduleFixed, BackoffWithCapAndDeterministicJitter) {
  RetryPolicy p = RetryPolicy::Parse(
      R"({"classes": {"transport_error": {"backoff": {"initial": "1m", "factor": 2, "max": "10m"}}}})");
  LeadId lead{};
  EXPECT_EQ(p.DelaySeconds(OutcomeClass::kTransportError, 1, lead), 60);
  EXPECT_EQ(p.DelaySeconds(OutcomeClass::kTransportError, 2, lead), 120);
  EXPECT_EQ(p.DelaySeconds(OutcomeClass::kTransportError, 4, lead), 480);
  EXPECT_EQ(p.DelaySeconds(OutcomeClass::kTransportError, 5, lead), 600);
  EXPECT_EQ(p.DelaySeconds(OutcomeClass::kTransportError, 50, lead), 600);
  RetryPolicy j = RetryPolicy::Parse(
      R"({"classes": {"busy": {"delays": ["1000s"], "jitter": 0.5, "max_attempts": 100}}})");
  LeadId a{}, b{};
  b[15] = 1;
  const int64_t da = j.DelaySeconds(OutcomeClass::kBusy, 1, a);
  EXPECT_EQ(da, j.DelaySeconds(OutcomeClass::kBusy, 1, a));  // reproducible
  EXPECT_GE(da, 500);
  EXPECT_LE(da, 1500);
  int distinct = 0;
  for (int k = 1; k < 20; ++k) {
    distinct +=
        j.DelaySeconds(OutcomeClass::kBusy, k, a) != j.DelaySeconds(OutcomeClass::kBusy, k, b);
  }
  EXPECT_GT(distinct, 10);  // different leads spread differently
  // The hash is plain FNV-1a: zero id, "busy", k = 1 (pinned so SQL can match it).
  EXPECT_EQ(JitterHash(a, "busy", 1), 0xeb4f8053u);
  EXPECT_EQ(Jittered(1000, 500, 0xeb4f8053u), 1000 + 1000 * 500 * 14 / 1000000);
}

TEST(ScheduleFixed, CampaignStartAndEnd) {
  Scenario s;
  s.Zones({"UTC"}).Now(Utc(2024, 6, 1, 0, 0));
  s.request.campaign_start = Utc(2024, 6, 3, 9, 0);
  EXPECT_EQ(At(s.Run()), Utc(2024, 6, 3, 9, 0));
  s.request.campaign_end = Utc(2024, 6, 3, 9, 0);
  Decision d = s.Run();
  EXPECT_TRUE(d.never);
  EXPECT_EQ(d.trail.back().rule, Rule::kCampaignEnded);
  // Open moments exist only after the end: never, because of the end.
  s.request.campaign_start.reset();
  s.request.campaign_end = Utc(2024, 6, 5, 0, 0);
  s.Now(Utc(2024, 6, 2, 0, 0));  // Sunday; the next Saturday is after the end
  s.Campaign(R"({"days": {"sat": [["09:00", "10:00"]]}})");
  d = s.Run();
  EXPECT_TRUE(d.never);
  EXPECT_EQ(d.trail.back().rule, Rule::kCampaignEnded);
}

// The rule of a "never" decision.
Rule NeverRule(Scenario& s) {
  Decision d = s.Run(true);
  EXPECT_TRUE(d.never);
  EXPECT_FALSE(dialer::json::Write(ExplainJson(s.request, d)).empty());
  return d.trail.back().rule;
}

TEST(ScheduleFixed, EveryReasonForNever) {
  Scenario s;
  s.Zones({"UTC"}).Now(Utc(2024, 6, 3, 12, 0));
  s.request.suppressed = true;
  EXPECT_EQ(NeverRule(s), Rule::kSuppressed);
  s.request.suppressed = false;
  s.request.has_consent = false;
  EXPECT_EQ(NeverRule(s), Rule::kNoConsent);
  s.request.artificial_voice = false;  // a human agent needs no artificial-voice consent
  EXPECT_FALSE(s.Run().never);
  s.request.has_consent = true;
  s.Last(OutcomeClass::kCompleted, Utc(2024, 6, 3, 11, 0));
  EXPECT_EQ(NeverRule(s), Rule::kTerminalOutcome);
  s.Last(OutcomeClass::kUnknown, Utc(2024, 6, 3, 11, 0));
  EXPECT_EQ(NeverRule(s), Rule::kUnknownNotRedialled);
  s.Last(OutcomeClass::kVoicemail, Utc(2024, 6, 3, 11, 0));
  EXPECT_EQ(NeverRule(s), Rule::kNoRetryRule);
  s.Last(OutcomeClass::kNoAnswer, Utc(2024, 6, 3, 11, 0), 10, 1);
  EXPECT_EQ(NeverRule(s), Rule::kMaxAttempts);
  s.Last(OutcomeClass::kNoAnswer, Utc(2024, 6, 3, 11, 0), 2, 2);  // 1 delay -> 2 allowed
  EXPECT_EQ(NeverRule(s), Rule::kClassMaxAttempts);
  s.Last(OutcomeClass::kNoAnswer, Utc(2024, 6, 3, 11, 0), 1, 0);
  s.request.history.last_outcome.reset();  // the attempt is still in flight
  EXPECT_EQ(NeverRule(s), Rule::kInProgress);
  s.Last(OutcomeClass::kNoAnswer, Utc(2024, 6, 3, 11, 0), 1, 1);
  s.request.zones.clear();
  EXPECT_EQ(NeverRule(s), Rule::kNoZone);
  // Two zones 12 hours apart with a 2-hour window never overlap.
  s.Zones({"Asia/Tokyo", "America/New_York"}).Campaign(R"({"days": {"mon": [["09:00", "11:00"]],
      "tue": [["09:00", "11:00"]], "wed": [["09:00", "11:00"]], "thu": [["09:00", "11:00"]],
      "fri": [["09:00", "11:00"]]}})");
  EXPECT_EQ(NeverRule(s), Rule::kNoWindow);
}

TEST(ScheduleFixed, UnknownIsRedialledOnlyWhenThePolicySaysSo) {
  Scenario s;
  s.Zones({"UTC"}).Now(Utc(2024, 6, 3, 12, 0));
  s.Policy(R"({"classes": {"unknown": {"delays": ["6h"], "max_attempts": 2}}})");
  s.Last(OutcomeClass::kUnknown, Utc(2024, 6, 3, 11, 0));
  EXPECT_EQ(At(s.Run()), Utc(2024, 6, 3, 17, 0));
}

TEST(ScheduleFixed, InconsistentHistoryIsAnError) {
  Scenario s;
  s.Zones({"UTC"}).Now(Utc(2024, 6, 3, 12, 0));
  s.request.history.attempts = 2;
  try {
    s.Run();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.sqlstate(), "22023");
    EXPECT_STREQ(e.what(), "p_attempts is 2 but p_last_attempt_at is NULL");
  }
  s.Last(OutcomeClass::kBusy, Utc(2024, 6, 3, 11, 0), 2, 3);
  EXPECT_THROW(s.Run(), Error);
}

TEST(ScheduleFixed, ExplainNamesTheClosedWindowSets) {
  Scenario s;
  s.Zones({"America/New_York"})
      .Packs({"us_federal"})
      .Campaign(R"({"days": {"mon": [["10:00", "12:00"]]}})");
  s.Now(Local("America/New_York", 2024, 6, 3, 7, 0));
  Decision d = s.Run(true);
  const std::string json = dialer::json::Write(ExplainJson(s.request, d));
  EXPECT_NE(json.find("\"next_attempt_at\": \"2024-06-03T14:00:00Z\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"closed_by\": [\"us_federal\", \"campaign\"]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"local_until\": \"2024-06-03T10:00:00\""), std::string::npos) << json;
}

}  // namespace
}  // namespace dialer::schedule
