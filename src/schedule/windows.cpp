// Calling windows: parsing and per-date intervals.
#include "schedule/windows.hpp"
#include "common/interrupts.hpp"

#include <algorithm>

#include "schedule/fields.hpp"
#include "tz/civil.hpp"

namespace dialer::schedule {
namespace {

using Type = json::Value::Type;

constexpr std::string_view kDayKeys[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// Sorts and merges overlapping or touching intervals.
std::vector<DayInterval> Normalize(std::vector<DayInterval> v) {
  std::sort(v.begin(), v.end(),
            [](const DayInterval& a, const DayInterval& b) { return a.begin < b.begin; });
  std::vector<DayInterval> out;
  for (const DayInterval& i : v) {
    if (i.begin >= i.end) continue;
    if (!out.empty() && i.begin <= out.back().end) {
      out.back().end = std::max(out.back().end, i.end);
    } else {
      out.push_back(i);
    }
  }
  return out;
}

// One ["HH:MM", "HH:MM"] range.
TimeRange ReadRange(const json::Value& v, const FieldPath& at) {
  RequireType(v, Type::kArray, at);
  if (v.items.size() != 2) {
    at.Fail("must be a [start, end] pair",
            "A range is two local times, e.g. [\"09:00\", \"17:30\"].",
            "Write " + at.path() + " as [\"HH:MM\", \"HH:MM\"].");
  }
  TimeRange r{TimeOfDay(v.items[0], false, at.Index(0)), TimeOfDay(v.items[1], true, at.Index(1))};
  if (r.start == r.end) {
    at.Fail("starts and ends at the same time",
            "An empty range is a mistake; a whole day is [\"00:00\", \"24:00\"].",
            "Change the start or the end of " + at.path() + ".");
  }
  return r;
}

}  // namespace

CallingWindows CallingWindows::Parse(std::string_view json_text, std::string_view document) {
  return FromJson(json::Parse(json_text, document), FieldPath(document));
}

CallingWindows CallingWindows::FromJson(const json::Value& doc, const FieldPath& root) {
  RequireKeys(doc, {"days", "blackout_dates", "holidays"}, root);
  CallingWindows w;
  if (const json::Value* days = doc.Find("days")) {
    const FieldPath dp = root.Key("days");
    RequireKeys(*days, {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, dp);
    w.restricts_days_ = true;
    for (int i = 0; i < 7; ++i) {
      const json::Value* list = days->Find(kDayKeys[i]);
      if (list == nullptr) continue;
      const FieldPath lp = dp.Key(kDayKeys[i]);
      RequireType(*list, Type::kArray, lp);
      for (size_t j = 0; j < list->items.size(); ++j) {
        CheckForInterrupts();
        w.ranges_[i].push_back(ReadRange(list->items[j], lp.Index(j)));
      }
    }
  }
  if (const json::Value* dates = doc.Find("blackout_dates")) {
    const FieldPath bp = root.Key("blackout_dates");
    RequireType(*dates, Type::kArray, bp);
    for (size_t i = 0; i < dates->items.size(); ++i) {
      CheckForInterrupts();
      w.blackout_days_.push_back(Date(dates->items[i], bp.Index(i)));
    }
    SortCheckingInterrupts(&w.blackout_days_, std::less<int64_t>());
  }
  if (const json::Value* cals = doc.Find("holidays")) {
    ForEachString(*cals, root.Key("holidays"), [&](const std::string& name, const FieldPath& at) {
      auto cal = HolidayCalendarFromName(name);
      if (!cal) {
        at.Fail("is not a holiday calendar",
                "Known calendars: " + std::string(HolidayCalendarNameList()) + ".",
                "Use a known calendar, or list the dates in blackout_dates.");
      }
      w.holidays_.push_back(*cal);
    });
  }
  return w;
}

bool CallingWindows::IsClosedDate(int64_t day) const {
  if (std::binary_search(blackout_days_.begin(), blackout_days_.end(), day)) return true;
  for (HolidayCalendar c : holidays_) {
    if (IsHoliday(c, day)) return true;
  }
  return false;
}

std::vector<DayInterval> CallingWindows::IntervalsOn(int64_t day) const {
  if (IsClosedDate(day)) return {};
  if (!restricts_days_) return {DayInterval{0, kSecondsPerLocalDay}};
  std::vector<DayInterval> v;
  for (const TimeRange& r : ranges_[tz::IsoWeekday(day) - 1]) {
    v.push_back(DayInterval{r.start, r.end > r.start ? r.end : kSecondsPerLocalDay});
  }
  // Tails of the previous weekday's ranges that run past midnight.
  for (const TimeRange& r : ranges_[tz::IsoWeekday(day - 1) - 1]) {
    if (r.end < r.start) v.push_back(DayInterval{0, r.end});
  }
  return Normalize(std::move(v));
}

bool CallingWindows::Allows(int64_t local_seconds) const {
  const int64_t day = tz::FloorDiv(local_seconds, kSecondsPerLocalDay);
  const int64_t second = local_seconds - day * kSecondsPerLocalDay;
  for (const DayInterval& i : IntervalsOn(day)) {
    if (second >= i.begin && second < i.end) return true;
  }
  return false;
}

std::vector<DayInterval> Intersect(const std::vector<DayInterval>& a,
                                   const std::vector<DayInterval>& b) {
  std::vector<DayInterval> out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const int32_t lo = std::max(a[i].begin, b[j].begin);
    const int32_t hi = std::min(a[i].end, b[j].end);
    if (lo < hi) out.push_back(DayInterval{lo, hi});
    if (a[i].end < b[j].end)
      ++i;
    else
      ++j;
  }
  return out;
}

}  // namespace dialer::schedule
