// Holiday rules: fixed dates, Easter-based dates, n-th weekdays of a month,
// observed and substitute days.
#include "schedule/holidays.hpp"

#include <algorithm>
#include <vector>

#include "tz/civil.hpp"

namespace dialer::schedule {
namespace {

using tz::CivilDate;
using tz::DaysFromCivil;

// Day number of the n-th (1-based) ISO weekday (1 = Monday) of a month; n = -1 for the last.
int64_t NthWeekday(int64_t year, int month, int weekday, int n) {
  if (n < 0) {
    const int64_t last = DaysFromCivil(year, month, tz::DaysInMonth(year, month));
    return last - (tz::IsoWeekday(last) - weekday + 7) % 7;
  }
  const int64_t first = DaysFromCivil(year, month, 1);
  return first + (weekday - tz::IsoWeekday(first) + 7) % 7 + 7 * (n - 1);
}

// France: 1 Jan, Easter Monday, 1 May, 8 May, Ascension, Whit Monday, 14 Jul,
// 15 Aug, 1 Nov, 11 Nov, 25 Dec (Code du travail, art. L3133-1).
bool IsFrenchHoliday(const CivilDate& d, int64_t day) {
  const int md = d.month * 100 + d.day;
  if (md == 101 || md == 501 || md == 508 || md == 714 || md == 815 || md == 1101 || md == 1111 ||
      md == 1225)
    return true;
  const int64_t easter = EasterSunday(d.year);
  return day == easter + 1 || day == easter + 39 || day == easter + 50;
}

// True on the actual date of a fixed-date US federal holiday: 1 Jan, 19 Jun
// (from 2021), 4 Jul, 11 Nov, 25 Dec.
bool IsUsFixedDateHoliday(int64_t day) {
  const CivilDate d = tz::CivilFromDays(day);
  const int md = d.month * 100 + d.day;
  return md == 101 || md == 704 || md == 1111 || md == 1225 || (md == 619 && d.year >= 2021);
}

// US federal holidays (5 U.S.C. 6103(a)) on their actual dates and, for a
// fixed-date holiday on a weekend, on the weekday observed in its place.
bool IsUsFederalHoliday(const CivilDate& d, int64_t day) {
  // Why both dates: 6103(b) moves the day off for a Saturday holiday to the
  // Friday before and for a Sunday one to the Monday after (so New Year's Day
  // 2022 was observed on 31 December 2021); the actual weekend date stays a
  // holiday too, so the calendar only ever closes more.
  const int weekday = tz::IsoWeekday(day);
  if (IsUsFixedDateHoliday(day) || (weekday == 5 && IsUsFixedDateHoliday(day + 1)) ||
      (weekday == 1 && IsUsFixedDateHoliday(day - 1)))
    return true;
  const int64_t y = d.year;
  return day == NthWeekday(y, 1, 1, 3)       // Martin Luther King Jr. Day
         || day == NthWeekday(y, 2, 1, 3)    // Washington's Birthday
         || day == NthWeekday(y, 5, 1, -1)   // Memorial Day
         || day == NthWeekday(y, 9, 1, 1)    // Labor Day
         || day == NthWeekday(y, 10, 1, 2)   // Columbus Day
         || day == NthWeekday(y, 11, 4, 4);  // Thanksgiving Day
}

// A UK nation's bank holidays of a year on their nominal dates, weekends included:
// 1 Jan, Good Friday, the first and last Mondays of May, 25 and 26 Dec; England
// and Wales add Easter Monday and the last Monday of August; Scotland 2 Jan, the
// first Monday of August and St Andrew's Day (30 Nov) instead; Northern Ireland
// England's plus St Patrick's Day (17 Mar) and the Battle of the Boyne (12 Jul).
std::vector<int64_t> UkNominalDates(HolidayCalendar nation, int64_t y) {
  const int64_t easter = EasterSunday(y);
  std::vector<int64_t> days{DaysFromCivil(y, 1, 1),   easter - 2,
                            NthWeekday(y, 5, 1, 1),   NthWeekday(y, 5, 1, -1),
                            DaysFromCivil(y, 12, 25), DaysFromCivil(y, 12, 26)};
  if (nation == HolidayCalendar::kUkScotland) {
    days.insert(days.end(),
                {DaysFromCivil(y, 1, 2), NthWeekday(y, 8, 1, 1), DaysFromCivil(y, 11, 30)});
  } else {
    days.insert(days.end(), {easter + 1, NthWeekday(y, 8, 1, -1)});
  }
  if (nation == HolidayCalendar::kUkNorthernIreland) {
    days.insert(days.end(), {DaysFromCivil(y, 3, 17), DaysFromCivil(y, 7, 12)});
  }
  std::sort(days.begin(), days.end());
  return days;
}

// A UK nation's bank holidays of a year: the weekday ones, and for each on a
// weekend a substitute weekday.
std::vector<int64_t> UkBankHolidays(HolidayCalendar nation, int64_t y) {
  const std::vector<int64_t> nominal = UkNominalDates(nation, y);
  std::vector<int64_t> days;
  for (int64_t d : nominal) {
    if (tz::IsoWeekday(d) <= 5) days.push_back(d);
  }
  // Why in date order, skipping days already taken: the substitute is the next
  // weekday that is not a bank holiday already, so Christmas on a Saturday moves
  // to Monday 27 and Boxing Day on the Sunday to Tuesday 28, and Christmas on a
  // Sunday to Tuesday 27 (Boxing Day keeps Monday 26). No substitute leaves the year.
  for (int64_t d : nominal) {
    if (tz::IsoWeekday(d) <= 5) continue;
    int64_t sub = d + 1;
    while (tz::IsoWeekday(sub) > 5 || std::find(days.begin(), days.end(), sub) != days.end()) ++sub;
    days.push_back(sub);
  }
  return days;
}

// True when the day is a bank holiday (or a substitute day) of a UK nation.
bool IsUkBankHoliday(HolidayCalendar nation, const CivilDate& d, int64_t day) {
  const std::vector<int64_t> days = UkBankHolidays(nation, d.year);
  return std::find(days.begin(), days.end(), day) != days.end();
}

}  // namespace

std::optional<HolidayCalendar> HolidayCalendarFromName(std::string_view name) {
  if (name == "fr") return HolidayCalendar::kFrance;
  if (name == "us_federal") return HolidayCalendar::kUsFederal;
  if (name == "uk_england_wales") return HolidayCalendar::kUkEnglandWales;
  if (name == "uk_scotland") return HolidayCalendar::kUkScotland;
  if (name == "uk_northern_ireland") return HolidayCalendar::kUkNorthernIreland;
  return std::nullopt;
}

std::string_view HolidayCalendarNameList() {
  return "fr, us_federal, uk_england_wales, uk_scotland, uk_northern_ireland";
}

int64_t EasterSunday(int64_t year) {
  // The Gregorian computus (Meeus/Jones/Butcher): golden number, century
  // corrections for the solar and lunar calendars, then the following Sunday.
  const int64_t a = year % 19;
  const int64_t b = year / 100, c = year % 100;
  const int64_t d = b / 4, e = b % 4;
  const int64_t f = (b + 8) / 25;
  const int64_t g = (b - f + 1) / 3;
  const int64_t h = (19 * a + b - d - g + 15) % 30;
  const int64_t i = c / 4, k = c % 4;
  const int64_t l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int64_t m = (a + 11 * h + 22 * l) / 451;
  const int64_t month = (h + l - 7 * m + 114) / 31;
  const int64_t day = (h + l - 7 * m + 114) % 31 + 1;
  return DaysFromCivil(year, static_cast<int>(month), static_cast<int>(day));
}

bool IsHoliday(HolidayCalendar calendar, int64_t day) {
  const CivilDate d = tz::CivilFromDays(day);
  switch (calendar) {
    case HolidayCalendar::kFrance:
      return IsFrenchHoliday(d, day);
    case HolidayCalendar::kUsFederal:
      return IsUsFederalHoliday(d, day);
    case HolidayCalendar::kUkEnglandWales:
    case HolidayCalendar::kUkScotland:
    case HolidayCalendar::kUkNorthernIreland:
      return IsUkBankHoliday(calendar, d, day);
  }
  return false;
}

std::string_view HolidayCalendarName(HolidayCalendar calendar) {
  switch (calendar) {
    case HolidayCalendar::kFrance:
      return "fr";
    case HolidayCalendar::kUsFederal:
      return "us_federal";
    case HolidayCalendar::kUkEnglandWales:
      return "uk_england_wales";
    case HolidayCalendar::kUkScotland:
      return "uk_scotland";
    case HolidayCalendar::kUkNorthernIreland:
      return "uk_northern_ireland";
  }
  return "unknown";
}

}  // namespace dialer::schedule
