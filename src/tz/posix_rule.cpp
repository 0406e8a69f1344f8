// Parsing and evaluating POSIX TZ strings (the TZif footer).
#include "tz/posix_rule.hpp"

#include "tz/civil.hpp"

namespace dialer::tz {
namespace {

// A cursor over the TZ string with the small grammar's building blocks.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool AtEnd() const { return pos_ == s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  // A zone abbreviation: <...> quoted, or three or more letters.
  bool Name() {
    if (Eat('<')) {
      size_t close = s_.find('>', pos_);
      if (close == std::string_view::npos || close == pos_) return false;
      pos_ = close + 1;
      return true;
    }
    size_t begin = pos_;
    while (!AtEnd() && ((Peek() >= 'A' && Peek() <= 'Z') || (Peek() >= 'a' && Peek() <= 'z')))
      ++pos_;
    return pos_ - begin >= 3;
  }

  // An unsigned decimal number of at most max_digits digits.
  bool Number(int max_digits, int* out) {
    int digits = 0, value = 0;
    while (digits < max_digits && Peek() >= '0' && Peek() <= '9') {
      value = value * 10 + (s_[pos_++] - '0');
      ++digits;
    }
    *out = value;
    return digits > 0;
  }

  // [+-]hh[:mm[:ss]] with at most max_hours hours; returns seconds, signed.
  bool Duration(int max_hours, int32_t* out) {
    int sign = 1;
    if (Eat('-'))
      sign = -1;
    else
      Eat('+');
    int h = 0, m = 0, sec = 0;
    if (!Number(3, &h) || h > max_hours) return false;
    if (Eat(':')) {
      if (!Number(2, &m) || m > 59) return false;
      if (Eat(':') && (!Number(2, &sec) || sec > 59)) return false;
    }
    *out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }

  // A rule date: Jn, n or Mm.w.d.
  bool Date(RuleDate* d) {
    if (Eat('J')) {
      d->kind = RuleDate::Kind::kJulianNoLeap;
      return Number(3, &d->day) && d->day >= 1 && d->day <= 365;
    }
    if (Eat('M')) {
      d->kind = RuleDate::Kind::kMonthWeekDay;
      return Number(2, &d->month) && d->month >= 1 && d->month <= 12 && Eat('.') &&
             Number(1, &d->week) && d->week >= 1 && d->week <= 5 && Eat('.') &&
             Number(1, &d->day) && d->day <= 6;
    }
    d->kind = RuleDate::Kind::kZeroBasedDay;
    return Number(3, &d->day) && d->day <= 365;
  }

  // ",date[/time]": a rule date and its time of day (default 02:00).
  bool DateAndTime(RuleDate* d, int32_t* time) {
    if (!Eat(',') || !Date(d)) return false;
    *time = 2 * 3600;
    // RFC 8536 extends the hour range to -167..167.
    return !Eat('/') || Duration(167, time);
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

int64_t RuleDate::DayInYear(int64_t year) const {
  const int64_t jan1 = DaysFromCivil(year, 1, 1);
  switch (kind) {
    case Kind::kJulianNoLeap:
      return jan1 + day - 1 + (IsLeapYear(year) && day >= 60 ? 1 : 0);
    case Kind::kZeroBasedDay:
      return jan1 + day;
    case Kind::kMonthWeekDay: {
      const int64_t first = DaysFromCivil(year, month, 1);
      const int first_weekday = IsoWeekday(first) % 7;  // 0 = Sunday, as in POSIX
      int64_t d = first + (day - first_weekday + 7) % 7 + 7 * (week - 1);
      while (d >= first + DaysInMonth(year, month)) d -= 7;  // week 5 means "last"
      return d;
    }
  }
  return jan1;
}

bool PosixRule::Parse(std::string_view text, PosixRule* out) {
  Cursor c(text);
  PosixRule r;
  int32_t west = 0;
  if (!c.Name() || !c.Duration(24, &west)) return false;
  r.std_offset = -west;
  if (c.AtEnd()) {
    *out = r;
    return true;
  }
  if (!c.Name()) return false;
  r.has_dst = true;
  r.dst_offset = r.std_offset + 3600;
  if (c.Peek() != ',' && !c.AtEnd()) {
    if (!c.Duration(24, &west)) return false;
    r.dst_offset = -west;
  }
  // Why: a DST name with no rule means "US rules" in old POSIX; TZif footers
  // always carry an explicit rule, so its absence marks a malformed footer.
  if (!c.DateAndTime(&r.start, &r.start_time) || !c.DateAndTime(&r.end, &r.end_time)) return false;
  if (!c.AtEnd()) return false;
  *out = r;
  return true;
}

std::vector<Transition> PosixRule::TransitionsOfYear(int64_t year) const {
  if (!has_dst) return {};
  // The start time is given in standard local time, the end time in daylight time.
  Transition on{start.DayInYear(year) * kSecondsPerDay + start_time - std_offset, dst_offset, true};
  Transition off{end.DayInYear(year) * kSecondsPerDay + end_time - dst_offset, std_offset, false};
  if (on.at < off.at) return {on, off};
  return {off, on};
}

}  // namespace dialer::tz
