// Rendering decisions as JSON with a human sentence per step.
#include "schedule/explain.hpp"

#include <string>
#include <utility>

#include "common/interrupts.hpp"
#include "schedule/fields.hpp"
#include "tz/civil.hpp"

namespace dialer::schedule {
namespace {

using json::Value;

// The local wall-clock time of an instant in a zone, "2025-03-10T09:00:00".
std::string LocalTime(const tz::Zone& zone, Micros t) {
  const int64_t s = tz::FloorDiv(t, kMicrosPerSecond);
  std::string iso = FormatInstant((s + zone.OffsetAt(s)) * kMicrosPerSecond);
  iso.pop_back();  // the trailing Z: this is a wall-clock time, not an instant
  return iso;
}

// The outcome class a step is about, "?" when it has none.
std::string ClassName(const Step& s) {
  return s.outcome ? std::string(OutcomeName(*s.outcome)) : std::string("?");
}

// One sentence saying what the step's rule did.
std::string Detail(const Step& s) {
  switch (s.rule) {
    case Rule::kNow:
      return "decided at " + FormatInstant(s.until);
    case Rule::kCampaignStart:
      return "the campaign starts at " + FormatInstant(s.until);
    case Rule::kRetryDelay:
      return "attempt " + std::to_string(s.m) + " ending in " + ClassName(s) + " waits " +
             FormatDuration(s.n);
    case Rule::kMinGap:
      return "at least " + FormatDuration(s.n) + " between calls to the number";
    case Rule::kCap:
      return "at most " + std::to_string(s.n) + " calls per " + FormatDuration(s.m);
    case Rule::kAfterAbandoned:
      return "no call for " + FormatDuration(s.n) + " after an abandoned call";
    case Rule::kAfterRefusal:
      return "no call for " + FormatDuration(s.n) + " after a refusal";
    case Rule::kWindow: {
      std::string owners;
      for (std::string_view o : s.closed_by)
        owners += (owners.empty() ? "" : ", ") + std::string(o);
      return "closed in " + s.zone->name() + " at " + LocalTime(*s.zone, s.from) +
             (owners.empty() ? "" : " (" + owners + ")") + "; opens at " +
             LocalTime(*s.zone, s.until) + " local";
    }
    case Rule::kNoZone:
      return "no candidate time zone is known for the number";
    case Rule::kSuppressed:
      return "the number is suppressed (do not call)";
    case Rule::kNoConsent:
      return "the campaign uses an artificial or prerecorded voice and the contact has no "
             "recorded consent";
    case Rule::kTerminalOutcome:
      return "the last attempt ended in " + ClassName(s) + ", which ends the lead";
    case Rule::kMaxAttempts:
      return std::to_string(s.n) + " attempts used of " + std::to_string(s.m) + " allowed";
    case Rule::kClassMaxAttempts:
      return std::to_string(s.n) + " attempts ended in " + ClassName(s) + ", the policy allows " +
             std::to_string(s.m);
    case Rule::kUnknownNotRedialled:
      return "the last attempt's result is unknown and the policy has no rule for unknown, so "
             "it is not redialled";
    case Rule::kInProgress:
      return "the last attempt is still in flight; the next one is planned when its outcome is "
             "recorded";
    case Rule::kNoRetryRule:
      return "the policy has no retry rule for " + ClassName(s);
    case Rule::kCampaignEnded:
      return "the campaign ends at " + FormatInstant(s.until) + " before any allowed moment";
    case Rule::kNoWindow:
      return "no moment before " + FormatInstant(s.until) + " is open in every candidate zone";
  }
  return {};
}

// One trail entry as a JSON object.
Value StepJson(const Step& s) {
  Value out = Value::Object();
  out.Add("rule", Value::String(std::string(RuleName(s.rule))));
  out.Add("owner", Value::String(std::string(s.owner)));
  if (!s.source.empty()) out.Add("source", Value::String(std::string(s.source)));
  if (s.zone != nullptr) out.Add("zone", Value::String(s.zone->name()));
  if (s.rule == Rule::kWindow) {
    out.Add("from", Value::String(FormatInstant(s.from)));
    out.Add("local_until", Value::String(LocalTime(*s.zone, s.until)));
    Value closed_by = Value::Array();
    for (std::string_view o : s.closed_by) closed_by.Push(Value::String(std::string(o)));
    out.Add("closed_by", std::move(closed_by));
  }
  const bool has_until =
      s.rule <= Rule::kWindow || s.rule == Rule::kCampaignEnded || s.rule == Rule::kNoWindow;
  if (has_until) out.Add("until", Value::String(FormatInstant(s.until)));
  out.Add("detail", Value::String(Detail(s)));
  return out;
}

}  // namespace

Value ExplainJson(const Request& r, const Decision& d) {
  Value out = Value::Object();
  out.Add("next_attempt_at", d.never ? Value() : Value::String(FormatInstant(d.at)));
  out.Add("status", Value::String(d.never ? "never" : "scheduled"));
  const Step& binding = d.trail[d.binding];
  out.Add("reason", Value::String(std::string(RuleName(binding.rule))));
  out.Add("detail", Value::String(Detail(binding)));
  Value zones = Value::Array();
  for (const tz::Zone* zone : r.zones) {
    CheckForInterrupts();
    zones.Push(Value::String(zone->name()));
  }
  out.Add("zones", std::move(zones));
  Value trail = Value::Array();
  for (const Step& step : d.trail) {
    CheckForInterrupts();
    trail.Push(StepJson(step));
  }
  out.Add("trail", std::move(trail));
  return out;
}

}  // namespace dialer::schedule
