// Rendering decisions as JSON with a human sentence per step.
#include "schedule/explain.hpp"
#include "common/interrupts.hpp"

#include <cstdio>

#include "schedule/fields.hpp"
#include "tz/civil.hpp"

namespace dialer::schedule {

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out->append(buf);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

namespace {

// Appends s as a JSON string literal.
void Quote(std::string* out, std::string_view s) { AppendJsonString(out, s); }

// The local wall-clock time of an instant in a zone, "2025-03-10T09:00:00".
std::string LocalTime(const tz::Zone& zone, Micros t) {
  const int64_t s = tz::FloorDiv(t, kMicrosPerSecond);
  std::string iso = FormatInstant((s + zone.OffsetAt(s)) * kMicrosPerSecond);
  iso.pop_back();  // the trailing Z: this is a wall-clock time, not an instant
  return iso;
}

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
void AppendStep(std::string* out, const Step& s) {
  out->append("{\"rule\": ");
  Quote(out, RuleName(s.rule));
  out->append(", \"owner\": ");
  Quote(out, s.owner);
  if (!s.source.empty()) {
    out->append(", \"source\": ");
    Quote(out, s.source);
  }
  if (s.zone != nullptr) {
    out->append(", \"zone\": ");
    Quote(out, s.zone->name());
  }
  if (s.rule == Rule::kWindow) {
    out->append(", \"from\": ");
    Quote(out, FormatInstant(s.from));
    out->append(", \"local_until\": ");
    Quote(out, LocalTime(*s.zone, s.until));
    out->append(", \"closed_by\": [");
    for (size_t i = 0; i < s.closed_by.size(); ++i) {
      if (i > 0) out->append(", ");
      Quote(out, s.closed_by[i]);
    }
    out->append("]");
  }
  const bool has_until =
      s.rule <= Rule::kWindow || s.rule == Rule::kCampaignEnded || s.rule == Rule::kNoWindow;
  if (has_until) {
    out->append(", \"until\": ");
    Quote(out, FormatInstant(s.until));
  }
  out->append(", \"detail\": ");
  Quote(out, Detail(s));
  out->append("}");
}

}  // namespace

std::string ExplainJson(const Request& r, const Decision& d) {
  std::string out = "{\"next_attempt_at\": ";
  if (d.never) {
    out.append("null");
  } else {
    Quote(&out, FormatInstant(d.at));
  }
  out.append(", \"status\": ");
  Quote(&out, d.never ? "never" : "scheduled");
  const Step& binding = d.trail[d.binding];
  out.append(", \"reason\": ");
  Quote(&out, RuleName(binding.rule));
  out.append(", \"detail\": ");
  Quote(&out, Detail(binding));
  out.append(", \"zones\": [");
  for (size_t i = 0; i < r.zones.size(); ++i) {
    CheckForInterrupts();
    if (i > 0) out.append(", ");
    Quote(&out, r.zones[i]->name());
  }
  out.append("], \"trail\": [");
  for (size_t i = 0; i < d.trail.size(); ++i) {
    CheckForInterrupts();
    if (i > 0) out.append(", ");
    AppendStep(&out, d.trail[i]);
  }
  out.append("]}");
  return out;
}

}  // namespace dialer::schedule
