// LegalUntil: the dial-by deadline of a call claimed now, the first instant the calling
// windows close in some candidate zone (across midnight, DST changes and several zones);
// HistoryHorizonSeconds: how much call history the rules in force look back over.
#include <gtest/gtest.h>

#include "schedule_test_support.hpp"

namespace dialer::schedule {
namespace {

using testing::RulePackNamed;

using testing::Local;
using testing::Scenario;

// LegalUntil of the scenario, after checking its instant is legal (Run also wires the
// scenario's windows into its request).
Micros Until(Scenario& s) {
  const Decision d = s.Run();
  EXPECT_FALSE(d.never);
  EXPECT_EQ(d.at, s.request.now) << "the scenario's instant must be legal";
  return LegalUntil(s.request);
}

TEST(ScheduleLegalUntil, FloridaWindowClosesAtEightLocal) {
  Scenario s;
  s.Zones({"America/New_York"}).Packs({"us_federal", "us_fl"});
  s.Now(Local("America/New_York", 2026, 11, 23, 19, 59));
  EXPECT_EQ(Until(s), Local("America/New_York", 2026, 11, 23, 20, 0));
}

TEST(ScheduleLegalUntil, TheEarliestClosingZoneDecides) {
  // 270 spans Central and Eastern: 19:30 Central is 20:30 Eastern, past us_federal's
  // 21:00 only at 20:00 Central.
  Scenario s;
  s.Zones({"America/Chicago", "America/New_York"}).Packs({"us_federal"});
  s.Now(Local("America/Chicago", 2026, 11, 23, 19, 30));
  EXPECT_EQ(Until(s), Local("America/New_York", 2026, 11, 23, 21, 0));
}

TEST(ScheduleLegalUntil, WindowsOpenPastMidnightJoin) {
  // A campaign window to 24:00 and from 00:00 is one stretch: it closes at 02:00.
  Scenario s;
  s.Zones({"Europe/London"})
      .Campaign(R"({"days": {"mon": [["20:00", "24:00"]], "tue": [["00:00", "02:00"]]}})");
  s.Now(Local("Europe/London", 2026, 11, 23, 22, 0));
  EXPECT_EQ(Until(s), Local("Europe/London", 2026, 11, 24, 2, 0));
}

TEST(ScheduleLegalUntil, AcrossTheSpringForwardGap) {
  // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT; a window 00:00-05:00 closes
  // at 05:00 EDT, four real hours after 00:00 EST.
  Scenario s;
  s.Zones({"America/New_York"}).Campaign(R"({"days": {"sun": [["00:00", "05:00"]]}})");
  s.Now(Local("America/New_York", 2026, 3, 8, 0, 0));
  EXPECT_EQ(Until(s), Local("America/New_York", 2026, 3, 8, 5, 0));
  EXPECT_EQ(Until(s) - s.request.now, 4 * 3600 * kMicrosPerSecond);
}

TEST(ScheduleLegalUntil, AlwaysOpenIsBoundedByTwoDaysAndTheCampaignEnd) {
  Scenario s;
  s.Zones({"UTC"});
  s.Now(Local("UTC", 2026, 11, 23, 12, 0));
  EXPECT_EQ(Until(s), s.request.now + kLegalUntilHorizon);
  s.request.campaign_end = s.request.now + 3600 * kMicrosPerSecond;
  EXPECT_EQ(Until(s), *s.request.campaign_end);
}

TEST(ScheduleHistoryHorizon, TheLongestRuleInForceDecides) {
  const RetryPolicy none = RetryPolicy::Parse(R"({"classes": {"no_answer": {"delays": ["1h"]}}})");
  EXPECT_EQ(HistoryHorizonSeconds(none, {}), 0);
  EXPECT_EQ(HistoryHorizonSeconds(none, {RulePackNamed("us_fl")}), 86400);
  EXPECT_EQ(HistoryHorizonSeconds(none, {RulePackNamed("uk")}), 3 * 86400);
  // France: 4 calls per 30 days, 60 days after a refusal; the refusal rest is longer.
  EXPECT_EQ(HistoryHorizonSeconds(none, {RulePackNamed("us_fl"), RulePackNamed("fr")}), 60 * 86400);
  const RetryPolicy own = RetryPolicy::Parse(
      R"({"min_gap": "2h", "caps": [{"max": 5, "per": "7d"}], "classes": {"no_answer": {"delays": ["1h"]}}})");
  EXPECT_EQ(HistoryHorizonSeconds(own, {RulePackNamed("us_fl")}), 7 * 86400);
}

}  // namespace
}  // namespace dialer::schedule
