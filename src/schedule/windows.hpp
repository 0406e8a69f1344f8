// Calling windows in the called party's local time: ranges per weekday (a range
// may cross midnight), blackout dates and holiday calendars. A moment is inside
// a window set when its local date is not blacked out and its local time of day
// falls in a range of that date (or in the after-midnight tail of a range that
// started the day before).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.hpp"
#include "schedule/holidays.hpp"

namespace dialer::schedule {

class FieldPath;

inline constexpr int32_t kSecondsPerLocalDay = 86400;

// A local time range; end < start means it runs past midnight into the next day.
struct TimeRange {
  int32_t start;  // seconds after midnight
  int32_t end;    // seconds after midnight, 86400 for 24:00
};

// A half-open stretch [begin, end) of one local day, in seconds after midnight.
struct DayInterval {
  int32_t begin;
  int32_t end;
};

class CallingWindows {
 public:
  // Parses {"days": {...}, "blackout_dates": [...], "holidays": [...]};
  // document names it in errors ("campaign calling windows").
  static CallingWindows Parse(std::string_view json_text, std::string_view document);
  // The same from a parsed value at a path of a larger document (a rule pack's figures).
  static CallingWindows FromJson(const json::Value& doc, const FieldPath& root);

  // True when the whole local date is excluded (blackout date or holiday).
  bool IsClosedDate(int64_t day) const;

  // The open intervals of a local date, sorted and disjoint.
  std::vector<DayInterval> IntervalsOn(int64_t day) const;

  // True when a local wall-clock instant (seconds since 1970-01-01 local) is open.
  bool Allows(int64_t local_seconds) const;
  // The holiday calendars whose dates are closed.
  const std::vector<HolidayCalendar>& holidays() const { return holidays_; }

 private:
  bool restricts_days_ = false;  // without "days" every hour of every open date is allowed
  std::array<std::vector<TimeRange>, 7> ranges_;  // index 0 = Monday
  std::vector<int64_t> blackout_days_;            // sorted day numbers
  std::vector<HolidayCalendar> holidays_;
};

// Intersects two sorted, disjoint interval lists.
std::vector<DayInterval> Intersect(const std::vector<DayInterval>& a,
                                   const std::vector<DayInterval>& b);

}  // namespace dialer::schedule
