// Field validators for the scheduler's JSON documents.
#include "schedule/fields.hpp"
#include "common/interrupts.hpp"

#include "common/error.hpp"
#include "tz/civil.hpp"

namespace dialer::schedule {
namespace {

const char* kDurationDetail =
    "A duration is a whole number of seconds or a string such as \"90s\", \"30m\", \"2h\", "
    "\"1d\" or \"1h30m\", at most 366 days.";

// Parses an unsigned decimal without sign or leading '+'; false on overflow.
bool ParseDigits(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 12) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// Parses "1h30m"-style text; false when malformed.
bool ParseDurationText(std::string_view s, int64_t* out) {
  int64_t total = 0;
  size_t i = 0;
  const std::string_view order = "dhms";
  size_t last_unit = std::string_view::npos;
  if (s.empty()) return false;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    int64_t n = 0;
    if (j == i || j == s.size() || !ParseDigits(s.substr(i, j - i), &n)) return false;
    const size_t unit = order.find(s[j]);
    // Units must appear once each, largest first ("1h30m", not "30m1h").
    if (unit == std::string_view::npos ||
        (last_unit != std::string_view::npos && unit <= last_unit))
      return false;
    last_unit = unit;
    constexpr int64_t kScale[] = {86400, 3600, 60, 1};
    if (n > kMaxDurationSeconds) return false;
    total += n * kScale[unit];
    if (total > kMaxDurationSeconds) return false;
    i = j + 1;
  }
  *out = total;
  return true;
}

}  // namespace

FieldPath FieldPath::Key(std::string_view key) const {
  FieldPath p = *this;
  p.path_ += ".";
  p.path_ += key;
  return p;
}

FieldPath FieldPath::Index(size_t i) const {
  FieldPath p = *this;
  p.path_ += "[" + std::to_string(i) + "]";
  return p;
}

void FieldPath::Fail(const std::string& problem, const std::string& detail,
                     const std::string& hint) const {
  throw Error(sqlstate::kInvalidParameterValue,
              "invalid " + document_ + ": " + path_ + " " + problem, detail, hint);
}

std::string Describe(const json::Value& v) {
  std::string s;
  if (v.type == json::Value::Type::kString) {
    s = "\"" + (v.text.size() > 40 ? v.text.substr(0, 40) + "..." : v.text) + "\"";
  } else if (v.type == json::Value::Type::kNumber) {
    s = v.text.size() > 40 ? v.text.substr(0, 40) + "..." : v.text;
  } else if (v.type == json::Value::Type::kBool) {
    s = v.boolean ? "true" : "false";
  } else {
    s = json::TypeName(v.type);
  }
  return s;
}

void RequireType(const json::Value& v, json::Value::Type type, const FieldPath& at) {
  if (v.type == type) return;
  at.Fail(std::string("must be ") + json::TypeName(type) + ", not " + Describe(v),
          "The " + at.document() + " gives " + Describe(v) + " where " + json::TypeName(type) +
              " is expected.",
          "Write " + at.path() + " as " + json::TypeName(type) + ".");
}

void ForEachString(const json::Value& v, const FieldPath& at,
                   const std::function<void(const std::string&, const FieldPath&)>& each) {
  RequireType(v, json::Value::Type::kArray, at);
  for (size_t i = 0; i < v.items.size(); ++i) {
    CheckForInterrupts();
    const FieldPath item = at.Index(i);
    RequireType(v.items[i], json::Value::Type::kString, item);
    each(v.items[i].text, item);
  }
}

void RequireKeys(const json::Value& v, std::initializer_list<std::string_view> allowed,
                 const FieldPath& at) {
  RequireType(v, json::Value::Type::kObject, at);
  for (const auto& m : v.members) {
    CheckForInterrupts();
    bool known = false;
    std::string list;
    for (std::string_view k : allowed) {
      known = known || m.first == k;
      list += (list.empty() ? "" : ", ") + std::string(k);
    }
    if (!known) {
      at.Key(m.first).Fail("is not a known key",
                           "Keys allowed at " + at.path() + " are: " + list + ".",
                           "Remove or rename \"" + m.first + "\".");
    }
  }
}

int64_t Integer(const json::Value& v, int64_t lo, int64_t hi, const FieldPath& at) {
  int64_t n = 0;
  bool negative = !v.text.empty() && v.text[0] == '-';
  const bool ok = v.type == json::Value::Type::kNumber &&
                  ParseDigits(std::string_view(v.text).substr(negative ? 1 : 0), &n);
  if (negative) n = -n;
  if (!ok || n < lo || n > hi) {
    at.Fail("is " + Describe(v) + ", not an integer from " + std::to_string(lo) + " to " +
                std::to_string(hi),
            "The value must be a whole number in that range.",
            "Set " + at.path() + " to an integer from " + std::to_string(lo) + " to " +
                std::to_string(hi) + ".");
  }
  return n;
}

// Thousandths as a short decimal: 1500 -> "1.5", 2000 -> "2".
std::string FormatThousandths(int64_t v) {
  std::string frac = std::to_string(1000 + v % 1000).substr(1);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return std::to_string(v / 1000) + (frac.empty() ? "" : "." + frac);
}

int64_t Thousandths(const json::Value& v, int64_t lo, int64_t hi, const FieldPath& at) {
  const std::string range = FormatThousandths(lo) + " to " + FormatThousandths(hi);
  int64_t whole = 0, frac = 0;
  bool ok = v.type == json::Value::Type::kNumber;
  if (ok) {
    const std::string& t = v.text;
    const size_t dot = t.find('.');
    const std::string_view int_part = std::string_view(t).substr(0, dot);
    std::string frac_part = dot == std::string::npos ? "" : t.substr(dot + 1);
    ok = ParseDigits(int_part, &whole) && frac_part.size() <= 3;
    while (ok && frac_part.size() < 3) frac_part += '0';
    ok = ok && ParseDigits(frac_part, &frac);
  }
  const int64_t value = whole * 1000 + frac;
  if (!ok || value < lo || value > hi) {
    at.Fail("is " + Describe(v) + ", not a number from " + range + " with at most three decimals",
            "The value is read in thousandths, so more precision would be lost.",
            "Set " + at.path() + " to a number from " + range + ".");
  }
  return value;
}

int64_t DurationSeconds(const json::Value& v, int64_t min_seconds, const FieldPath& at) {
  int64_t seconds = -1;
  bool ok = false;
  if (v.type == json::Value::Type::kNumber) {
    ok = ParseDigits(v.text, &seconds) && seconds <= kMaxDurationSeconds;
  } else if (v.type == json::Value::Type::kString) {
    ok = ParseDurationText(v.text, &seconds);
  }
  if (!ok) {
    at.Fail("is " + Describe(v) + ", not a duration", kDurationDetail,
            "Write " + at.path() + " like \"30m\" or 1800.");
  }
  if (seconds < min_seconds) {
    at.Fail("is " + Describe(v) + ", shorter than " + FormatDuration(min_seconds),
            "This duration must be at least " + FormatDuration(min_seconds) + ".",
            "Set " + at.path() + " to " + FormatDuration(min_seconds) + " or more.");
  }
  return seconds;
}

int32_t TimeOfDay(const json::Value& v, bool allow_24, const FieldPath& at) {
  const std::string& t = v.text;
  int64_t h = -1, m = -1;
  const bool shaped = v.type == json::Value::Type::kString && t.size() == 5 && t[2] == ':' &&
                      ParseDigits(t.substr(0, 2), &h) && ParseDigits(t.substr(3, 2), &m);
  const bool ok = shaped && m < 60 && (h < 24 || (allow_24 && h == 24 && m == 0));
  if (!ok) {
    at.Fail("is " + Describe(v) + ", not a time of day",
            std::string("A time of day is \"HH:MM\" from \"00:00\" to ") +
                (allow_24 ? "\"24:00\"" : "\"23:59\"") + ", in the called party's local time.",
            "Write " + at.path() + " like \"09:30\".");
  }
  return static_cast<int32_t>(h * 3600 + m * 60);
}

int64_t Date(const json::Value& v, const FieldPath& at) {
  const std::string& t = v.text;
  int64_t y = 0, mo = 0, d = 0;
  const bool shaped = v.type == json::Value::Type::kString && t.size() == 10 && t[4] == '-' &&
                      t[7] == '-' && ParseDigits(t.substr(0, 4), &y) &&
                      ParseDigits(t.substr(5, 2), &mo) && ParseDigits(t.substr(8, 2), &d);
  const bool ok = shaped && y >= 1 && mo >= 1 && mo <= 12 && d >= 1 &&
                  d <= tz::DaysInMonth(y, static_cast<int>(mo));
  if (!ok) {
    at.Fail("is " + Describe(v) + ", not a date", "A date is \"YYYY-MM-DD\" (a real calendar day).",
            "Write " + at.path() + " like \"2025-12-24\".");
  }
  return tz::DaysFromCivil(y, static_cast<int>(mo), static_cast<int>(d));
}

std::string FormatDuration(int64_t seconds) {
  if (seconds == 0) return "0s";
  std::string out;
  constexpr int64_t kScale[] = {86400, 3600, 60, 1};
  constexpr char kUnit[] = {'d', 'h', 'm', 's'};
  for (int i = 0; i < 4; ++i) {
    if (seconds >= kScale[i]) {
      out += std::to_string(seconds / kScale[i]) + kUnit[i];
      seconds %= kScale[i];
    }
  }
  return out;
}

}  // namespace dialer::schedule
