// The built-in rule packs described rule by rule, as JSON rows for
// dialer.rule_pack_rules(): what the planner enforces, with its figures and source.
#include "schedule/rule_pack_rules.hpp"

#include <cstdio>

#include "schedule/explain.hpp"
#include "schedule/rule_packs.hpp"

namespace dialer::schedule {
namespace {

// A week without any calendar's holiday (Monday 16 to Sunday 22 November 2026): its
// open intervals are the windows' weekly ranges. Day numbers are days since 1970-01-01.
constexpr int64_t kReferenceMonday = 20773;
constexpr const char* kWeekdays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// "HH:MM" of seconds after midnight.
std::string Clock(int32_t seconds) {
  char buf[16];  // "24:00" at most; room for any int the compiler imagines
  std::snprintf(buf, sizeof buf, "%02d:%02d", seconds / 3600, seconds % 3600 / 60);
  return buf;
}

// The windows as calling-windows JSON: {"days": {"mon": [["08:00", "21:00"]], ...}, "holidays": [...]}.
std::string WindowsJson(const CallingWindows& w) {
  std::string out = "{\"days\": {";
  for (int d = 0; d < 7; ++d) {
    if (d > 0) out += ", ";
    out += "\"" + std::string(kWeekdays[d]) + "\": [";
    bool first = true;
    for (const DayInterval& i : w.IntervalsOn(kReferenceMonday + d)) {
      out += (first ? "" : ", ") + std::string("[\"") + Clock(i.begin) + "\", \"" + Clock(i.end) + "\"]";
      first = false;
    }
    out += "]";
  }
  out += "}, \"holidays\": [";
  for (size_t i = 0; i < w.holidays().size(); ++i) {
    if (i > 0) out += ", ";
    AppendJsonString(&out, HolidayCalendarName(w.holidays()[i]));
  }
  return out + "]}";
}

// Whether the windows close anything: a day not open all day, or a holiday calendar.
bool Restricts(const CallingWindows& w) {
  if (!w.holidays().empty()) return true;
  for (int d = 0; d < 7; ++d) {
    const std::vector<DayInterval> open = w.IntervalsOn(kReferenceMonday + d);
    if (open.size() != 1 || open[0].begin != 0 || open[0].end != kSecondsPerLocalDay) return true;
  }
  return false;
}

// Appends one row {rule_pack, title, rule, applies_to, figures, source}.
void Row(std::string* out, const RulePack& p, std::string_view rule, std::string_view applies_to,
         const std::string& figures) {
  if (out->size() > 1) *out += ", ";
  *out += "{\"rule_pack\": ";
  AppendJsonString(out, p.name);
  *out += ", \"title\": ";
  AppendJsonString(out, p.title);
  *out += ", \"rule\": ";
  AppendJsonString(out, rule);
  *out += ", \"applies_to\": ";
  AppendJsonString(out, applies_to);
  *out += ", \"figures\": " + figures + ", \"source\": ";
  AppendJsonString(out, p.source);
  *out += "}";
}

}  // namespace

std::string RulePackRulesJson() {
  std::string out = "[";
  for (const RulePack& p : AllRulePacks()) {
    if (Restricts(p.windows)) {
      Row(&out, p, "calling_window", "every call", WindowsJson(p.windows));
    }
    if (p.artificial_voice_windows) {
      Row(&out, p, "calling_window", "calls by an artificial or prerecorded voice",
          WindowsJson(*p.artificial_voice_windows));
    }
    for (const Cap& c : p.caps) {
      Row(&out, p, "cap", "calls to the number",
          "{\"max\": " + std::to_string(c.max) + ", \"per_seconds\": " + std::to_string(c.period_seconds) + "}");
    }
    if (p.after_abandoned_seconds > 0) {
      Row(&out, p, "after_abandoned", "the next call after an abandoned call",
          "{\"seconds\": " + std::to_string(p.after_abandoned_seconds) + "}");
    }
    if (p.after_refusal_seconds > 0) {
      Row(&out, p, "after_refusal", "the next call after a refusal",
          "{\"seconds\": " + std::to_string(p.after_refusal_seconds) + "}");
    }
  }
  return out + "]";
}

}  // namespace dialer::schedule
