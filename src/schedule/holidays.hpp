// Built-in public-holiday calendars, computed (not listed) so they never run out.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dialer::schedule {

enum class HolidayCalendar {
  kFrance,     // the 11 jours fériés of Code du travail art. L3133-1
  kUsFederal,  // the 11 US federal holidays of 5 U.S.C. 6103(a), actual and observed dates
  // UK bank holidays by nation (Banking and Financial Dealings Act 1971 and
  // royal proclamations), with substitute days; one-off holidays are not included.
  kUkEnglandWales,
  kUkScotland,
  kUkNorthernIreland,
};

// The calendar with this name ("fr", "us_federal", "uk_scotland", ...), or nullopt.
std::optional<HolidayCalendar> HolidayCalendarFromName(std::string_view name);

// The name of a calendar ("fr", "us_federal", ...), as calling windows write it.
std::string_view HolidayCalendarName(HolidayCalendar calendar);

// Calendar names for error messages.
std::string_view HolidayCalendarNameList();

// Day number (days since 1970-01-01) of Gregorian Easter Sunday in a year.
int64_t EasterSunday(int64_t year);

// True when the day (a local calendar date as a day number) is a holiday.
bool IsHoliday(HolidayCalendar calendar, int64_t day);

}  // namespace dialer::schedule
