// The POSIX TZ string found in a TZif footer (RFC 8536 section 3.3), e.g.
// "EST5EDT,M3.2.0,M11.1.0" or "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45".
// It gives the rule for instants after the last transition in the file.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace dialer::tz {

// A rule date: Jn (1-365, never counting 29 February), n (0-365, counting it) or
// Mm.w.d (day d, 0 = Sunday, of week w, 5 = last, of month m).
struct RuleDate {
  enum class Kind { kJulianNoLeap, kZeroBasedDay, kMonthWeekDay };
  Kind kind = Kind::kMonthWeekDay;
  int day = 0;    // Jn / n: the number; Mm.w.d: d
  int week = 0;   // Mm.w.d only
  int month = 0;  // Mm.w.d only

  // Day number (days since 1970-01-01) of this rule date in a year.
  int64_t DayInYear(int64_t year) const;
};

// One change of UTC offset.
struct Transition {
  int64_t at;      // Unix seconds of the change
  int32_t offset;  // UTC offset from then on, seconds east of Greenwich
  bool is_dst;
};

// A parsed POSIX TZ rule. Offsets are stored east-positive (POSIX writes them
// west-positive: "EST5" is UTC-5).
struct PosixRule {
  int32_t std_offset = 0;
  bool has_dst = false;
  int32_t dst_offset = 0;
  RuleDate start, end;     // when DST starts and ends
  int32_t start_time = 0;  // local (standard) time of day DST starts, seconds
  int32_t end_time = 0;    // local (daylight) time of day DST ends, seconds

  // Parses a TZ string; returns false when it is not a valid POSIX TZ string.
  static bool Parse(std::string_view text, PosixRule* out);

  // The two transitions of a year, in time order (empty when has_dst is false).
  // Neighbouring years may share an instant (all-year DST): see Zone.
  std::vector<Transition> TransitionsOfYear(int64_t year) const;
};

}  // namespace dialer::tz
