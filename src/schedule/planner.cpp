// The planner: gates (suppression, consent, attempts), lower bounds (retry
// delay, gap, caps, cool-downs), then a search for a moment open in every zone.
#include "schedule/planner.hpp"
#include "common/interrupts.hpp"

#include <algorithm>
#include <functional>
#include <string>

#include "common/error.hpp"
#include "tz/civil.hpp"

namespace dialer::schedule {
namespace {

// Throws the 22023 error for an inconsistent attempt summary.
[[noreturn]] void BadHistory(const std::string& message, const std::string& detail) {
  throw Error(sqlstate::kInvalidParameterValue, message, detail,
              "Pass the lead's attempt summary as recorded: p_attempts, p_last_outcome, "
              "p_class_attempts and p_last_attempt_at together.");
}

// Checks the attempt summary and every instant in the request.
void Validate(const Request& r) {
  const History& h = r.history;
  CheckInstant(r.now, "p_now");
  if (h.last_attempt_at) CheckInstant(*h.last_attempt_at, "p_last_attempt_at");
  if (h.last_abandoned_at) CheckInstant(*h.last_abandoned_at, "p_last_abandoned_at");
  if (h.last_refusal_at) CheckInstant(*h.last_refusal_at, "p_last_refusal_at");
  if (r.campaign_start) CheckInstant(*r.campaign_start, "p_campaign_starts_at");
  if (r.campaign_end) CheckInstant(*r.campaign_end, "p_campaign_ends_at");
  for (Micros t : h.recent_calls) {
    CheckForInterrupts();
    CheckInstant(t, "an element of p_recent_calls");
  }
  if (h.attempts < 0) {
    BadHistory("p_attempts is " + std::to_string(h.attempts) + ", not a count",
               "The number of attempts cannot be negative.");
  }
  if (h.attempts == 0 && (h.last_outcome || h.last_attempt_at || h.class_attempts != 0)) {
    BadHistory("p_attempts is 0 but a last attempt is described",
               "With no attempts, p_last_outcome and p_last_attempt_at must be NULL and "
               "p_class_attempts 0.");
  }
  if (h.attempts > 0 && !h.last_attempt_at) {
    BadHistory("p_attempts is " + std::to_string(h.attempts) + " but p_last_attempt_at is NULL",
               "After an attempt the planner needs when it was placed.");
  }
  if (h.attempts > 0 && !h.last_outcome && h.class_attempts != 0) {
    BadHistory(
        "p_class_attempts is " + std::to_string(h.class_attempts) + " but p_last_outcome is NULL",
        "A NULL p_last_outcome means the last attempt is still in flight; "
        "p_class_attempts must then be 0.");
  }
  if (h.attempts > 0 && h.last_outcome && (h.class_attempts < 1 || h.class_attempts > h.attempts)) {
    BadHistory("p_class_attempts is " + std::to_string(h.class_attempts) + ", not from 1 to " +
                   std::to_string(h.attempts),
               "p_class_attempts counts the attempts that ended in p_last_outcome, the last one "
               "included.");
  }
}

// Saturating addition of a duration to an instant.
Micros Plus(Micros t, int64_t seconds) {
  const Micros d = seconds * kMicrosPerSecond;
  return t > std::numeric_limits<Micros>::max() - d ? std::numeric_limits<Micros>::max() : t + d;
}

// Makes a "never" decision whose last step is the blocking rule.
Decision Never(Decision d, Step blocker) {
  d.never = true;
  d.trail.push_back(std::move(blocker));
  d.binding = d.trail.size() - 1;
  return d;
}

// The open intervals of each local date under every window set, memoised.
class DaySchedule {
 public:
  explicit DaySchedule(std::vector<const CallingWindows*> sets) : sets_(std::move(sets)) {}

  const std::vector<DayInterval>& On(int64_t day) {
    for (const auto& e : memo_) {
      if (e.first == day) return e.second;
    }
    if (memo_.size() >= 64) memo_.clear();
    std::vector<DayInterval> open{DayInterval{0, kSecondsPerLocalDay}};
    for (const CallingWindows* w : sets_) {
      CheckForInterrupts();
      if (open.empty()) break;
      open = Intersect(open, w->IntervalsOn(day));
    }
    memo_.emplace_back(day, std::move(open));
    return memo_.back().second;
  }

 private:
  std::vector<const CallingWindows*> sets_;
  std::vector<std::pair<int64_t, std::vector<DayInterval>>> memo_;
};

// Seconds -> micros for a segment bound, saturating the "no limit" markers.
Micros BoundMicros(int64_t seconds) {
  if (seconds >= kLatestInstant / kMicrosPerSecond + 2 * 86400 * 400)
    return std::numeric_limits<Micros>::max();
  if (seconds <= kEarliestInstant / kMicrosPerSecond - 2 * 86400 * 400)
    return std::numeric_limits<Micros>::min();
  return seconds * kMicrosPerSecond;
}

// The earliest instant in [t, limit) at which the zone's local time is open.
std::optional<Micros> NextOpenInZone(Micros t, Micros limit, const tz::Zone& zone,
                                     DaySchedule& days) {
  while (t < limit) {
    const tz::Segment seg = zone.SegmentAt(tz::FloorDiv(t, kMicrosPerSecond));
    const Micros seg_end = std::min(BoundMicros(seg.end), limit);
    const Micros offset = seg.offset * kMicrosPerSecond;
    // Within the segment local time is utc + offset, a straight shift.
    const Micros local = t + offset;
    const Micros local_end = seg_end + offset;
    for (int64_t day = tz::FloorDiv(local, kMicrosPerDay); day * kMicrosPerDay < local_end; ++day) {
      const Micros day_start = day * kMicrosPerDay;
      for (const DayInterval& i : days.On(day)) {
        const Micros lo = std::max(day_start + i.begin * kMicrosPerSecond, local);
        const Micros hi = std::min(day_start + i.end * kMicrosPerSecond, local_end);
        if (lo < hi) return lo - offset;
      }
    }
    t = seg_end;
  }
  return std::nullopt;
}

// The earliest instant in (t, limit] at which the zone's local time is closed, or
// limit. t must be open. Walks the open interval containing t across midnights
// (an interval ending at 24:00 joins one starting at 00:00) and UTC-offset changes.
Micros NextCloseInZone(Micros t, Micros limit, const tz::Zone& zone, DaySchedule& days) {
  while (t < limit) {
    const tz::Segment seg = zone.SegmentAt(tz::FloorDiv(t, kMicrosPerSecond));
    const Micros seg_end = std::min(BoundMicros(seg.end), limit);
    const Micros offset = seg.offset * kMicrosPerSecond;
    Micros local = t + offset;
    while (local < seg_end + offset) {
      const int64_t day = tz::FloorDiv(local, kMicrosPerDay);
      const Micros day_start = day * kMicrosPerDay;
      const DayInterval* open = nullptr;
      for (const DayInterval& i : days.On(day)) {
        if (day_start + i.begin * kMicrosPerSecond <= local &&
            local < day_start + i.end * kMicrosPerSecond) {
          open = &i;
          break;
        }
      }
      if (open == nullptr) return local - offset;
      local = day_start + open->end * kMicrosPerSecond;
    }
    t = seg_end;
  }
  return limit;
}

// Decides the attempt-count gates and the retry delay; returns false with a
// blocker when the lead must not be called again.
bool RetryBound(const Request& r, Step* bound, Step* blocker) {
  const History& h = r.history;
  const RetryPolicy& p = *r.policy;
  if (h.attempts == 0) return true;
  if (!h.last_outcome) {
    // Why never: a new attempt must not be planned while one is in flight; the
    // decision is made again when its outcome is recorded.
    *blocker = Step{Rule::kInProgress, "policy"};
    return false;
  }
  const OutcomeClass c = *h.last_outcome;
  const int ci = static_cast<int>(c);
  if (p.terminal[ci]) {
    *blocker = Step{Rule::kTerminalOutcome, "policy"};
    blocker->outcome = c;
    return false;
  }
  if (h.attempts >= p.max_attempts) {
    *blocker = Step{Rule::kMaxAttempts, "policy"};
    blocker->n = h.attempts;
    blocker->m = p.max_attempts;
    return false;
  }
  const ClassRule& rule = p.classes[ci];
  if (!rule.retry) {
    *blocker = Step{c == OutcomeClass::kUnknown ? Rule::kUnknownNotRedialled : Rule::kNoRetryRule,
                    "policy"};
    blocker->outcome = c;
    return false;
  }
  if (rule.max_attempts > 0 && h.class_attempts >= rule.max_attempts) {
    *blocker = Step{Rule::kClassMaxAttempts, "policy"};
    blocker->outcome = c;
    blocker->n = h.class_attempts;
    blocker->m = rule.max_attempts;
    return false;
  }
  const int64_t delay = p.DelaySeconds(c, h.class_attempts, h.lead);
  *bound = Step{Rule::kRetryDelay, "policy"};
  bound->until = Plus(*h.last_attempt_at, delay);
  bound->n = delay;
  bound->m = h.class_attempts;
  bound->outcome = c;
  return true;
}

// The calls caps and the gap count, newest first: every recent call, plus the
// last attempt when no recent call is at its instant.
std::vector<Micros> CallsNewestFirst(const History& h) {
  std::vector<Micros> calls = h.recent_calls;
  // Why no dedupe: recent calls are a multiset (two calls placed in the same
  // transaction share an instant, and both count). Only the last attempt, which
  // is usually listed too, is merged, and only when its instant is absent.
  if (h.last_attempt_at && std::find(calls.begin(), calls.end(), *h.last_attempt_at) == calls.end())
    calls.push_back(*h.last_attempt_at);
  SortCheckingInterrupts(&calls, std::greater<Micros>());
  return calls;
}

// Adds every lower bound (each a step) to the trail; returns their maximum.
Micros LowerBounds(const Request& r, const Step& retry, Decision* d) {
  const History& h = r.history;
  const RetryPolicy& p = *r.policy;
  Micros lower = r.now;
  size_t binding = d->trail.size();
  d->trail.emplace_back(Rule::kNow, "request");
  d->trail.back().until = r.now;
  auto add = [&](Step s) {
    if (s.until <= r.now) return;
    if (s.until > lower) {
      lower = s.until;
      binding = d->trail.size();
    }
    d->trail.push_back(std::move(s));
  };
  if (r.campaign_start) {
    Step s{Rule::kCampaignStart, "campaign"};
    s.until = *r.campaign_start;
    add(s);
  }
  if (h.attempts > 0) add(retry);
  const std::vector<Micros> calls = CallsNewestFirst(h);
  if (!calls.empty() && p.min_gap_seconds > 0) {
    Step s{Rule::kMinGap, "policy"};
    s.until = Plus(calls.front(), p.min_gap_seconds);
    s.n = p.min_gap_seconds;
    add(s);
  }
  // At most `max` calls in any rolling period: the max-th newest call must be
  // at least `period` old, since every later call also falls in the period.
  auto cap = [&](const Cap& c, std::string_view owner, std::string_view source) {
    if (static_cast<int64_t>(calls.size()) < c.max) return;
    Step s{Rule::kCap, owner, source};
    s.until = Plus(calls[c.max - 1], c.period_seconds);
    s.n = c.max;
    s.m = c.period_seconds;
    add(s);
  };
  for (const Cap& c : p.caps) {
    CheckForInterrupts();
    cap(c, "policy", {});
  }
  for (const RulePack* pack : r.packs) {
    CheckForInterrupts();
    for (const PackCap& c : pack->caps) cap(c.cap, pack->name, c.source);
  }
  std::optional<Micros> abandoned = h.last_abandoned_at;
  if (h.last_outcome == OutcomeClass::kAbandoned) {
    abandoned = std::max(abandoned.value_or(*h.last_attempt_at), *h.last_attempt_at);
  }
  auto cool_down = [&](Rule rule, std::optional<Micros> since, int64_t seconds,
                       std::string_view owner, std::string_view source) {
    if (!since || seconds == 0) return;
    Step s{rule, owner, source};
    s.until = Plus(*since, seconds);
    s.n = seconds;
    add(s);
  };
  cool_down(Rule::kAfterAbandoned, abandoned, p.after_abandoned_seconds, "policy", {});
  cool_down(Rule::kAfterRefusal, h.last_refusal_at, p.after_refusal_seconds, "policy", {});
  for (const RulePack* pack : r.packs) {
    CheckForInterrupts();
    for (const PackWait& w : pack->after_abandoned) {
      cool_down(Rule::kAfterAbandoned, abandoned, w.seconds, pack->name, w.source);
    }
    for (const PackWait& w : pack->after_refusal) {
      cool_down(Rule::kAfterRefusal, h.last_refusal_at, w.seconds, pack->name, w.source);
    }
  }
  d->binding = binding;
  return lower;
}

// Whether a pack's window set applies to the request's call (artificial-voice
// windows only to artificial-voice calls).
bool Applies(const PackWindows& w, const Request& r) {
  return !w.artificial_voice_only || r.artificial_voice;
}

// The owners of the window sets closed at an instant in a zone.
std::vector<std::string_view> ClosedBy(const Request& r, const tz::Zone& zone, Micros t) {
  const int64_t seconds = tz::FloorDiv(t, kMicrosPerSecond);
  const int64_t local = seconds + zone.OffsetAt(seconds);
  std::vector<std::string_view> owners;
  for (const RulePack* pack : r.packs) {
    CheckForInterrupts();
    for (const PackWindows& w : pack->windows) {
      if (Applies(w, r) && !w.windows.Allows(local)) {
        owners.push_back(pack->name);
        break;  // one owner per pack, however many of its window sets are closed
      }
    }
  }
  if (r.campaign_windows && !r.campaign_windows->Allows(local)) owners.emplace_back("campaign");
  if (r.contact_windows && !r.contact_windows->Allows(local)) owners.emplace_back("contact");
  return owners;
}

// Every window set that applies: the rule packs' (with their artificial-voice
// windows for such a call), the campaign's, the contact's.
std::vector<const CallingWindows*> WindowSets(const Request& r) {
  std::vector<const CallingWindows*> sets;
  for (const RulePack* pack : r.packs) {
    CheckForInterrupts();
    for (const PackWindows& w : pack->windows) {
      if (Applies(w, r)) sets.push_back(&w.windows);
    }
  }
  if (r.campaign_windows) sets.push_back(r.campaign_windows);
  if (r.contact_windows) sets.push_back(r.contact_windows);
  return sets;
}

}  // namespace

std::string_view RuleName(Rule r) {
  switch (r) {
    case Rule::kNow:
      return "now";
    case Rule::kCampaignStart:
      return "campaign_start";
    case Rule::kRetryDelay:
      return "retry_delay";
    case Rule::kMinGap:
      return "min_gap";
    case Rule::kCap:
      return "cap";
    case Rule::kAfterAbandoned:
      return "after_abandoned";
    case Rule::kAfterRefusal:
      return "after_refusal";
    case Rule::kWindow:
      return "window";
    case Rule::kNoZone:
      return "no_time_zone";
    case Rule::kSuppressed:
      return "suppressed";
    case Rule::kNoConsent:
      return "no_consent";
    case Rule::kTerminalOutcome:
      return "terminal_outcome";
    case Rule::kMaxAttempts:
      return "max_attempts";
    case Rule::kClassMaxAttempts:
      return "class_max_attempts";
    case Rule::kUnknownNotRedialled:
      return "unknown_outcome";
    case Rule::kNoRetryRule:
      return "no_retry_rule";
    case Rule::kInProgress:
      return "attempt_in_progress";
    case Rule::kCampaignEnded:
      return "campaign_ended";
    case Rule::kNoWindow:
      return "no_open_window";
  }
  return "unknown";
}

Decision NextAttempt(const Request& r, bool explain) {
  Validate(r);
  Decision d;
  if (r.suppressed) return Never(std::move(d), Step{Rule::kSuppressed, "suppression"});
  if (r.artificial_voice && !r.has_consent) {
    return Never(std::move(d), Step{Rule::kNoConsent, "campaign"});
  }
  Step retry{Rule::kRetryDelay, "policy"}, blocker{Rule::kNow, "policy"};
  if (!RetryBound(r, &retry, &blocker)) return Never(std::move(d), blocker);
  if (r.zones.empty()) return Never(std::move(d), Step{Rule::kNoZone, "contact"});
  Micros t = LowerBounds(r, retry, &d);
  if (r.campaign_end && t >= *r.campaign_end) {
    Step s{Rule::kCampaignEnded, "campaign"};
    s.from = t;
    s.until = *r.campaign_end;
    return Never(std::move(d), s);
  }
  const Micros horizon_end = t + kSearchHorizon;
  const Micros limit = r.campaign_end ? std::min(*r.campaign_end, horizon_end) : horizon_end;
  const size_t bounds_end = d.trail.size();
  DaySchedule days(WindowSets(r));
  // Fixed point: move to the next open moment of each zone until none moves it.
  for (bool moved = true; moved;) {
    moved = false;
    for (const tz::Zone* zone : r.zones) {
      CheckForInterrupts();
      const std::optional<Micros> open = NextOpenInZone(t, limit, *zone, days);
      if (!open) {
        d.trail.erase(d.trail.begin() + bounds_end, d.trail.end());  // moves explain nothing here
        Step s{limit == horizon_end ? Rule::kNoWindow : Rule::kCampaignEnded,
               limit == horizon_end ? "windows" : "campaign"};
        s.zone = zone;
        s.from = t;
        s.until = limit;
        return Never(std::move(d), s);
      }
      if (*open == t) continue;
      Step s{Rule::kWindow, "windows"};
      s.zone = zone;
      s.from = t;
      s.until = *open;
      if (explain) s.closed_by = ClosedBy(r, *zone, t);
      d.trail.push_back(std::move(s));
      d.binding = d.trail.size() - 1;
      t = *open;
      moved = true;
    }
  }
  d.at = t;
  return d;
}

int64_t HistoryHorizonSeconds(const RetryPolicy& policy,
                              const std::vector<const RulePack*>& packs) {
  int64_t horizon = std::max(
      {policy.min_gap_seconds, policy.after_abandoned_seconds, policy.after_refusal_seconds});
  for (const Cap& c : policy.caps) {
    CheckForInterrupts();
    horizon = std::max(horizon, c.period_seconds);
  }
  for (const RulePack* pack : packs) {
    CheckForInterrupts();
    for (const PackWait& w : pack->after_abandoned) horizon = std::max(horizon, w.seconds);
    for (const PackWait& w : pack->after_refusal) horizon = std::max(horizon, w.seconds);
    for (const PackCap& c : pack->caps) horizon = std::max(horizon, c.cap.period_seconds);
  }
  return horizon;
}

Micros LegalUntil(const Request& r) {
  const Micros horizon = r.now + kLegalUntilHorizon;
  Micros until = r.campaign_end ? std::min(*r.campaign_end, horizon) : horizon;
  DaySchedule days(WindowSets(r));
  for (const tz::Zone* zone : r.zones) {
    CheckForInterrupts();
    until = std::min(until, NextCloseInZone(r.now, until, *zone, days));
  }
  return until;
}

}  // namespace dialer::schedule
