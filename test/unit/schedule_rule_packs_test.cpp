// Rule packs' contents: windows that apply only to artificial-voice calls
// (Oklahoma's automatic dial announcing devices) and the cited sources.
#include <gtest/gtest.h>

#include <string>

#include "common/error.hpp"
#include "schedule_test_support.hpp"

namespace dialer::schedule {
namespace {

using testing::RulePackNamed;

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

// The source of the pack's rule of a kind (the first, for kinds a pack has once).
std::string SourceOf(const char* pack, std::string_view kind) {
  const RulePack* p = RulePackNamed(pack);
  if (kind == "cap") return p->caps.at(0).source;
  for (const PackWindows& w : p->windows) {
    if (w.artificial_voice_only == (kind == "artificial_voice")) return w.source;
  }
  return {};
}

TEST(ScheduleRulePacks, OklahomaPackCitesTheAutomaticDialingStatute) {
  const std::string source = SourceOf("us_ok", "artificial_voice");
  EXPECT_NE(source.find("755.1"), std::string::npos) << source;
  EXPECT_NE(source.find("9 a.m.-9 p.m."), std::string::npos) << source;
}

TEST(ScheduleRulePacks, FloridaPackCitesTheTelemarketingActHoursAndCap) {
  // 501.616(6)(a) sets 8 a.m.-8 p.m., (6)(b) three calls per 24 hours; 501.059(8)
  // is the consent rule for automated calls, not the hours.
  EXPECT_NE(SourceOf("us_fl", "window").find("501.616(6)(a)"), std::string::npos);
  EXPECT_NE(SourceOf("us_fl", "cap").find("501.616(6)(b)"), std::string::npos);
  EXPECT_EQ(SourceOf("us_fl", "window").find("501.059(8)"), std::string::npos);
}

TEST(ScheduleRulePacks, MarylandPackCitesTheCodifiedAct) {
  const std::string source = SourceOf("us_md", "cap");
  EXPECT_NE(source.find("14-4501 et seq."), std::string::npos) << source;
  EXPECT_NE(source.find("14-4503"), std::string::npos) << source;
}

// A packs document with one pack holding the given rule entries.
std::string OnePack(const std::string& rules) {
  return R"([{"name": "p", "title": "P", "rules": [)" + rules + "]}]";
}

TEST(ScheduleRulePacks, ReadsEveryKindOfRule) {
  const RulePackSet set = ParseRulePacks(OnePack(
      R"({"rule": "cap", "applies_to": "every_call", "figures": {"max": 2, "per": "1h"}, "source": "a 1"},
         {"rule": "after_abandoned", "applies_to": "every_call", "figures": {"wait": "72h"}, "source": "b 2"},
         {"rule": "after_refusal", "applies_to": "every_call", "figures": {"wait": "60d"}, "source": "c 3"},
         {"rule": "calling_window", "applies_to": "artificial_voice",
          "figures": {"days": {"mon": [["09:00", "21:00"]]}}, "source": "d 4"})"));
  const RulePack* p = set.Named("p");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(set.Named("q"), nullptr);
  ASSERT_EQ(p->caps.size(), 1u);
  EXPECT_EQ(p->caps[0].cap.max, 2);
  EXPECT_EQ(p->caps[0].cap.period_seconds, 3600);
  EXPECT_EQ(p->caps[0].source, "a 1");
  EXPECT_EQ(p->after_abandoned.at(0).seconds, 72 * 3600);
  EXPECT_EQ(p->after_refusal.at(0).seconds, 60 * 86400);
  ASSERT_EQ(p->windows.size(), 1u);
  EXPECT_TRUE(p->windows[0].artificial_voice_only);
  EXPECT_EQ(set.Names(), "p");
}

// The message of the error CheckRule throws, or "" when it accepts.
std::string CheckError(const char* rule, const char* applies_to, const char* figures) {
  try {
    CheckRule(rule, applies_to, dialer::json::Parse(figures, "rule pack rule figures"));
    return "";
  } catch (const dialer::Error& e) {
    EXPECT_EQ(std::string(e.sqlstate()), "22023");
    return e.what();
  }
}

TEST(ScheduleRulePacks, CheckRuleNamesTheBadField) {
  EXPECT_EQ(CheckError("cap", "every_call", R"({"max": 3, "per": "24h"})"), "");
  EXPECT_NE(CheckError("cap", "every_call", R"({"max": 0, "per": "24h"})").find("$.figures.max"),
            std::string::npos);
  EXPECT_NE(CheckError("cap", "every_call", R"({"max": 3})").find("needs \"max\" and \"per\""),
            std::string::npos);
  EXPECT_NE(CheckError("curfew", "every_call", "{}").find("curfew"), std::string::npos);
  EXPECT_NE(
      CheckError("cap", "artificial_voice", R"({"max": 3, "per": "1d"})").find("artificial_voice"),
      std::string::npos);
  EXPECT_NE(CheckError("after_refusal", "every_call", R"({"wait": "400d"})").find("$.figures.wait"),
            std::string::npos);
  EXPECT_NE(
      CheckError("calling_window", "every_call", R"({"holidays": ["xx"]})").find("holidays[0]"),
      std::string::npos);
  EXPECT_NE(CheckError("calling_window", "every_call", R"({"days": {"mon": [["9", "17:00"]]}})")
                .find("$.figures.days.mon[0][0]"),
            std::string::npos);
}

}  // namespace
}  // namespace dialer::schedule
