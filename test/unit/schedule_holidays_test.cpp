// Holiday calendars against published dates: US federal holidays with their
// observed weekdays (5 U.S.C. 6103(b)).
#include <gtest/gtest.h>

#include "schedule/holidays.hpp"
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

}  // namespace
}  // namespace dialer::schedule
