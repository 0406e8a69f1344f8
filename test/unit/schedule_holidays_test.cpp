// Holiday calendars against published dates: US federal holidays with their
// observed weekdays (5 U.S.C. 6103(b)); the UK nations' bank holidays with
// substitute days.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.hpp"
#include "schedule/holidays.hpp"
#include "schedule/windows.hpp"
#include "schedule_test_support.hpp"

namespace dialer::schedule {
namespace {

using testing::Local;
using testing::Scenario;

// Is the civil date a holiday of the calendar?
bool Holiday(HolidayCalendar c, int y, int m, int d) {
  return IsHoliday(c, tz::DaysFromCivil(y, m, d));
}

TEST(ScheduleHolidays, UsFederalWeekendHolidaysCloseTheirObservedWeekday) {
  const HolidayCalendar us = HolidayCalendar::kUsFederal;
  EXPECT_TRUE(Holiday(us, 2026, 7, 3));    // Independence Day on Saturday -> Friday
  EXPECT_TRUE(Holiday(us, 2020, 7, 3));    // the same in 2020
  EXPECT_TRUE(Holiday(us, 2027, 7, 5));    // on Sunday -> Monday
  EXPECT_TRUE(Holiday(us, 2021, 6, 18));   // Juneteenth's first year, on Saturday
  EXPECT_TRUE(Holiday(us, 2022, 6, 20));   // Juneteenth on Sunday
  EXPECT_TRUE(Holiday(us, 2023, 11, 10));  // Veterans Day on Saturday
  EXPECT_TRUE(Holiday(us, 2022, 12, 26));  // Christmas on Sunday
  EXPECT_TRUE(Holiday(us, 2027, 12, 24));  // Christmas on Saturday
  EXPECT_TRUE(Holiday(us, 2023, 1, 2));    // New Year's Day on Sunday
  EXPECT_TRUE(Holiday(us, 2021, 12, 31));  // New Year's Day 2022 on Saturday: the year before
  EXPECT_TRUE(Holiday(us, 2027, 12, 31));  // and New Year's Day 2028
}

TEST(ScheduleHolidays, UsFederalKeepsTheActualDatesAndNothingElse) {
  const HolidayCalendar us = HolidayCalendar::kUsFederal;
  EXPECT_TRUE(Holiday(us, 2026, 7, 4));   // the actual Saturday stays closed
  EXPECT_TRUE(Holiday(us, 2027, 7, 4));   // and the actual Sunday
  EXPECT_TRUE(Holiday(us, 2024, 7, 4));   // a Thursday: no observed day
  EXPECT_FALSE(Holiday(us, 2024, 7, 5));  // the Friday after a Thursday holiday
  EXPECT_FALSE(Holiday(us, 2026, 7, 2));  // around the 2026 observance
  EXPECT_FALSE(Holiday(us, 2026, 7, 6));
  EXPECT_FALSE(Holiday(us, 2020, 6, 19));  // Juneteenth only from 2021
  EXPECT_FALSE(Holiday(us, 2020, 6, 18));
  EXPECT_FALSE(Holiday(us, 2026, 12, 31));  // New Year's Day 2027 is a Friday
  EXPECT_TRUE(Holiday(us, 2026, 11, 26));   // Thanksgiving: fourth Thursday
  EXPECT_TRUE(Holiday(us, 2026, 1, 19));    // Martin Luther King Jr. Day
}

TEST(ScheduleHolidays, UsFederalObservedFridayIsClosedInCallingWindows) {
  Scenario s;
  s.Zones({"America/New_York"}).Packs({"us_federal"}).Campaign(R"({"holidays": ["us_federal"]})");
  s.Now(Local("America/New_York", 2026, 7, 3, 10, 0));
  const Decision d = s.Run();
  ASSERT_FALSE(d.never);
  // Friday 3 July (observed) and Saturday 4 July are closed: Sunday 08:00.
  EXPECT_EQ(d.at, Local("America/New_York", 2026, 7, 5, 8, 0));
}

// Every holiday of a calendar in a year, as "MM-DD".
std::vector<std::string> HolidaysIn(HolidayCalendar c, int year) {
  std::vector<std::string> out;
  for (int64_t day = tz::DaysFromCivil(year, 1, 1); day < tz::DaysFromCivil(year + 1, 1, 1);
       ++day) {
    if (!IsHoliday(c, day)) continue;
    const tz::CivilDate d = tz::CivilFromDays(day);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d-%02d", d.month, d.day);
    out.emplace_back(buf);
  }
  return out;
}

using Dates = std::vector<std::string>;

// The calendar with this name; a failure (and France, to go on) when unknown.
HolidayCalendar Named(const char* name) {
  const std::optional<HolidayCalendar> c = HolidayCalendarFromName(name);
  EXPECT_TRUE(c.has_value()) << name;
  return c.value_or(HolidayCalendar::kFrance);
}

TEST(ScheduleHolidays, EnglandAndWalesBankHolidays2026And2027) {
  const HolidayCalendar c = Named("uk_england_wales");
  // 2026: Boxing Day is a Saturday, its substitute Monday 28 December.
  EXPECT_EQ(HolidaysIn(c, 2026),
            (Dates{"01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"}));
  // 2027: Christmas on Saturday, Boxing Day on Sunday: Monday 27 and Tuesday 28.
  EXPECT_EQ(HolidaysIn(c, 2027),
            (Dates{"01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"}));
}

TEST(ScheduleHolidays, ScotlandBankHolidays2026And2027) {
  const HolidayCalendar c = Named("uk_scotland");
  // No Easter Monday; 2 January, the first Monday of August and St Andrew's Day.
  EXPECT_EQ(HolidaysIn(c, 2026), (Dates{"01-01", "01-02", "04-03", "05-04", "05-25", "08-03",
                                        "11-30", "12-25", "12-28"}));
  // 2 January 2027 is a Saturday: substitute Monday 4 January.
  EXPECT_EQ(HolidaysIn(c, 2027), (Dates{"01-01", "01-04", "03-26", "05-03", "05-31", "08-02",
                                        "11-30", "12-27", "12-28"}));
}

TEST(ScheduleHolidays, NorthernIrelandBankHolidays2026And2027) {
  const HolidayCalendar c = Named("uk_northern_ireland");
  // St Patrick's Day and the Battle of the Boyne (12 July 2026 is a Sunday: Monday 13).
  EXPECT_EQ(HolidaysIn(c, 2026), (Dates{"01-01", "03-17", "04-03", "04-06", "05-04", "05-25",
                                        "07-13", "08-31", "12-25", "12-28"}));
  EXPECT_EQ(HolidaysIn(c, 2027), (Dates{"01-01", "03-17", "03-26", "03-29", "05-03", "05-31",
                                        "07-12", "08-30", "12-27", "12-28"}));
}

TEST(ScheduleHolidays, UkSubstituteDaysSkipDaysAlreadyTaken) {
  const HolidayCalendar ew = Named("uk_england_wales");
  const HolidayCalendar sc = Named("uk_scotland");
  // Christmas on Sunday (2022): Boxing Day Monday 26, Christmas' substitute Tuesday 27.
  EXPECT_TRUE(Holiday(ew, 2022, 12, 26));
  EXPECT_TRUE(Holiday(ew, 2022, 12, 27));
  EXPECT_FALSE(Holiday(ew, 2022, 12, 28));
  // New Year's Day on Sunday (2023): 2 January in England and Wales; 2 and 3 in Scotland.
  EXPECT_TRUE(Holiday(ew, 2023, 1, 2));
  EXPECT_FALSE(Holiday(ew, 2023, 1, 3));
  EXPECT_TRUE(Holiday(sc, 2023, 1, 2));
  EXPECT_TRUE(Holiday(sc, 2023, 1, 3));
  // 1 and 2 January on a weekend (2022): Monday 3 and Tuesday 4 in Scotland.
  EXPECT_TRUE(Holiday(sc, 2022, 1, 3));
  EXPECT_TRUE(Holiday(sc, 2022, 1, 4));
  // St Andrew's Day on Saturday (2024): Monday 2 December.
  EXPECT_TRUE(Holiday(sc, 2024, 12, 2));
  EXPECT_FALSE(Holiday(ew, 2024, 12, 2));
}

TEST(ScheduleHolidays, UkCalendarsAreNamedInCallingWindows) {
  const CallingWindows w = CallingWindows::Parse(
      R"({"holidays": ["uk_england_wales", "uk_scotland", "uk_northern_ireland"]})",
      "campaign calling windows");
  EXPECT_TRUE(w.IsClosedDate(tz::DaysFromCivil(2026, 4, 6)));    // Easter Monday (not Scotland)
  EXPECT_TRUE(w.IsClosedDate(tz::DaysFromCivil(2026, 8, 3)));    // Scotland's summer
  EXPECT_TRUE(w.IsClosedDate(tz::DaysFromCivil(2026, 7, 13)));   // the Boyne's substitute
  EXPECT_FALSE(w.IsClosedDate(tz::DaysFromCivil(2026, 7, 14)));  // a Tuesday
  try {
    CallingWindows::Parse(R"({"holidays": ["uk"]})", "campaign calling windows");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.detail()).find("uk_england_wales, uk_scotland, uk_northern_ireland"),
              std::string::npos)
        << e.detail();
  }
}

TEST(ScheduleHolidays, LondonCampaignSkipsTheSubstituteBankHoliday) {
  Scenario s;
  s.Zones({"Europe/London"})
      .Campaign(R"({"days": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]]},
                    "holidays": ["uk_england_wales"]})");
  s.Now(Local("Europe/London", 2026, 12, 26, 12, 0));  // Saturday, Boxing Day
  const Decision d = s.Run();
  ASSERT_FALSE(d.never);
  EXPECT_EQ(d.at, Local("Europe/London", 2026, 12, 29, 9, 0));  // Monday 28 is the substitute
}

}  // namespace
}  // namespace dialer::schedule
