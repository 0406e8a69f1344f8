// Rule packs' contents: windows that apply only to artificial-voice calls
// (Oklahoma's automatic dial announcing devices) and the cited sources.
#include <gtest/gtest.h>

#include <string>

#include "schedule_test_support.hpp"

namespace dialer::schedule {
namespace {

using testing::Local;
using testing::Scenario;

// A first call to Oklahoma City under us_ok at a local time, by AI voice or not.
Decision OklahomaFirstCall(bool artificial_voice, int day, int hour, int minute) {
  Scenario s;
  s.Zones({"America/Chicago"}).Packs({"us_ok"});
  s.request.artificial_voice = artificial_voice;
  s.Now(Local("America/Chicago", 2026, 6, day, hour, minute));
  return s.Run(true);
}

TEST(ScheduleRulePacks, OklahomaArtificialVoiceCallsWaitUntilNine) {
  // 08:30: open for a live agent (08:00-20:00), not for a recorded or synthesized voice.
  EXPECT_EQ(OklahomaFirstCall(false, 2, 8, 30).at, Local("America/Chicago", 2026, 6, 2, 8, 30));
  const Decision ai = OklahomaFirstCall(true, 2, 8, 30);
  ASSERT_FALSE(ai.never);
  EXPECT_EQ(ai.at, Local("America/Chicago", 2026, 6, 2, 9, 0));
  ASSERT_EQ(ai.trail[ai.binding].rule, Rule::kWindow);
  EXPECT_EQ(ai.trail[ai.binding].closed_by, std::vector<std::string_view>{"us_ok"});
}

TEST(ScheduleRulePacks, OklahomaArtificialVoiceWindowIsNineToEight) {
  // The 09:00-21:00 rule adds nothing in the evening: 8 p.m. still ends the day.
  EXPECT_EQ(OklahomaFirstCall(true, 2, 19, 59).at, Local("America/Chicago", 2026, 6, 2, 19, 59));
  EXPECT_EQ(OklahomaFirstCall(true, 2, 20, 0).at, Local("America/Chicago", 2026, 6, 3, 9, 0));
  EXPECT_EQ(OklahomaFirstCall(false, 2, 20, 0).at, Local("America/Chicago", 2026, 6, 3, 8, 0));
}

TEST(ScheduleRulePacks, OklahomaPackCitesTheAutomaticDialingStatute) {
  const std::string source(RulePackNamed("us_ok")->source);
  EXPECT_NE(source.find("755.1"), std::string::npos) << source;
  EXPECT_NE(source.find("9 a.m.-9 p.m."), std::string::npos) << source;
}

TEST(ScheduleRulePacks, FloridaPackCitesTheTelemarketingActHoursAndCap) {
  const std::string source(RulePackNamed("us_fl")->source);
  // 501.616(6)(a) sets 8 a.m.-8 p.m., (6)(b) three calls per 24 hours; 501.059(8)
  // is the consent rule for automated calls, not the hours.
  EXPECT_NE(source.find("501.616(6)"), std::string::npos) << source;
  EXPECT_EQ(source.find("501.059(8)"), std::string::npos) << source;
}

TEST(ScheduleRulePacks, MarylandPackCitesTheCodifiedAct) {
  const std::string source(RulePackNamed("us_md")->source);
  EXPECT_NE(source.find("14-4501 et seq."), std::string::npos) << source;
  EXPECT_NE(source.find("14-4503"), std::string::npos) << source;
}

}  // namespace
}  // namespace dialer::schedule
