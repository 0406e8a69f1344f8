// Retry policy parsing, validation and delay computation.
#include "schedule/policy.hpp"
#include "common/interrupts.hpp"

#include <algorithm>
#include <string>

#include "schedule/fields.hpp"

namespace dialer::schedule {
namespace {

using Type = json::Value::Type;

// The outcome class a policy key names; errors when unknown.
OutcomeClass ClassNamed(const std::string& name, const FieldPath& at) {
  auto c = OutcomeFromName(name);
  if (!c) {
    at.Fail("is not an outcome class",
            "Outcome classes are: " + std::string(OutcomeNameList()) + ".",
            "Use one of the outcome class names.");
  }
  return *c;
}

// {"initial": d, "factor": x, "max": d}
void ReadBackoff(const json::Value& v, const FieldPath& at, ClassRule* rule) {
  RequireKeys(v, {"initial", "factor", "max"}, at);
  const json::Value* initial = v.Find("initial");
  const json::Value* max = v.Find("max");
  if (initial == nullptr || max == nullptr) {
    at.Fail("needs \"initial\" and \"max\"",
            "Exponential backoff waits initial * factor^(n-1) after the n-th attempt, up to max.",
            "Write " + at.path() + " like {\"initial\": \"5m\", \"factor\": 2, \"max\": \"2h\"}.");
  }
  rule->backoff = true;
  rule->initial_seconds = DurationSeconds(*initial, 1, at.Key("initial"));
  rule->max_seconds = DurationSeconds(*max, rule->initial_seconds, at.Key("max"));
  const json::Value* factor = v.Find("factor");
  rule->factor_thousandths = factor ? Thousandths(*factor, 1000, 10000, at.Key("factor")) : 2000;
}

// One entry of $.classes.
ClassRule ReadClass(const json::Value& v, const FieldPath& at) {
  RequireKeys(v, {"delays", "backoff", "jitter", "max_attempts"}, at);
  ClassRule rule;
  rule.retry = true;
  const json::Value* delays = v.Find("delays");
  const json::Value* backoff = v.Find("backoff");
  if ((delays == nullptr) == (backoff == nullptr)) {
    at.Fail("needs exactly one of \"delays\" and \"backoff\"",
            "A class is retried after a fixed list of delays or with exponential backoff.",
            "Write " + at.path() + " like {\"delays\": [\"30m\", \"2h\"]}.");
  }
  if (delays != nullptr) {
    const FieldPath dp = at.Key("delays");
    RequireType(*delays, Type::kArray, dp);
    if (delays->items.empty() || delays->items.size() > 100) {
      dp.Fail("must list 1 to 100 delays", "Delay n is waited after the n-th attempt of the class.",
              "Give at least one delay, e.g. [\"30m\"].");
    }
    for (size_t i = 0; i < delays->items.size(); ++i) {
      CheckForInterrupts();
      rule.delays.push_back(DurationSeconds(delays->items[i], 0, dp.Index(i)));
    }
    // Why +1: a list of n delays allows n retries, so the class may occur n+1 times.
    rule.max_attempts = static_cast<int64_t>(rule.delays.size()) + 1;
  } else {
    ReadBackoff(*backoff, at.Key("backoff"), &rule);
  }
  if (const json::Value* j = v.Find("jitter")) {
    rule.jitter_thousandths = Thousandths(*j, 0, 1000, at.Key("jitter"));
  }
  if (const json::Value* m = v.Find("max_attempts")) {
    rule.max_attempts = Integer(*m, 1, 1000, at.Key("max_attempts"));
  }
  return rule;
}

// $.caps: [{"max": n, "per": duration}, ...]
std::vector<Cap> ReadCaps(const json::Value& v, const FieldPath& at) {
  RequireType(v, Type::kArray, at);
  std::vector<Cap> caps;
  for (size_t i = 0; i < v.items.size(); ++i) {
    CheckForInterrupts();
    caps.push_back(ReadCap(v.items[i], at.Index(i)));
  }
  return caps;
}

}  // namespace

Cap ReadCap(const json::Value& v, const FieldPath& at) {
  RequireKeys(v, {"max", "per"}, at);
  const json::Value* max = v.Find("max");
  const json::Value* per = v.Find("per");
  if (max == nullptr || per == nullptr) {
    at.Fail("needs \"max\" and \"per\"", "A cap allows at most max attempts in any rolling period.",
            "Write " + at.path() + " like {\"max\": 3, \"per\": \"24h\"}.");
  }
  return Cap{Integer(*max, 1, 1000, at.Key("max")), DurationSeconds(*per, 1, at.Key("per"))};
}

RetryPolicy RetryPolicy::Parse(std::string_view json_text) {
  return FromJson(json::Parse(json_text, "retry policy"));
}

RetryPolicy RetryPolicy::FromJson(const json::Value& doc) {
  const FieldPath root("retry policy");
  RequireKeys(doc, {"max_attempts", "min_gap", "caps", "cool_down", "terminal", "classes"}, root);
  RetryPolicy p;
  for (int i = 0; i < kOutcomeClassCount; ++i) {
    p.terminal[i] = IsAlwaysTerminal(static_cast<OutcomeClass>(i));
  }
  if (const json::Value* v = doc.Find("max_attempts")) {
    p.max_attempts = Integer(*v, 1, 1000, root.Key("max_attempts"));
  }
  if (const json::Value* v = doc.Find("min_gap")) {
    p.min_gap_seconds = DurationSeconds(*v, 0, root.Key("min_gap"));
  }
  if (const json::Value* v = doc.Find("caps")) p.caps = ReadCaps(*v, root.Key("caps"));
  if (const json::Value* v = doc.Find("cool_down")) {
    const FieldPath cp = root.Key("cool_down");
    RequireKeys(*v, {"after_abandoned", "after_refusal"}, cp);
    if (const json::Value* a = v->Find("after_abandoned")) {
      p.after_abandoned_seconds = DurationSeconds(*a, 0, cp.Key("after_abandoned"));
    }
    if (const json::Value* r = v->Find("after_refusal")) {
      p.after_refusal_seconds = DurationSeconds(*r, 0, cp.Key("after_refusal"));
    }
  }
  if (const json::Value* v = doc.Find("terminal")) {
    ForEachString(*v, root.Key("terminal"), [&](const std::string& name, const FieldPath& at) {
      p.terminal[static_cast<int>(ClassNamed(name, at))] = true;
    });
  }
  if (const json::Value* v = doc.Find("classes")) {
    const FieldPath cp = root.Key("classes");
    RequireType(*v, Type::kObject, cp);
    for (const auto& [name, rule] : v->members) {
      CheckForInterrupts();
      const FieldPath at = cp.Key(name);
      const OutcomeClass c = ClassNamed(name, at);
      if (p.terminal[static_cast<int>(c)]) {
        at.Fail("is a terminal class and is never retried",
                "completed, converted, refused, do_not_call, invalid_number and the classes "
                "listed in $.terminal end the lead.",
                "Remove " + at.path() + " or take the class out of $.terminal.");
      }
      p.classes[static_cast<int>(c)] = ReadClass(rule, at);
    }
  }
  return p;
}

int64_t RetryPolicy::DelaySeconds(OutcomeClass c, int64_t k, const LeadId& lead) const {
  const ClassRule& rule = classes[static_cast<int>(c)];
  int64_t delay = 0;
  if (rule.backoff) {
    delay = rule.initial_seconds;
    for (int64_t i = 1; i < k && delay < rule.max_seconds; ++i) {
      delay = std::min(delay * rule.factor_thousandths / 1000, rule.max_seconds);
    }
  } else {
    const size_t index = static_cast<size_t>(std::max<int64_t>(k, 1) - 1);
    delay = rule.delays[std::min(index, rule.delays.size() - 1)];
  }
  if (rule.jitter_thousandths == 0) return delay;
  return Jittered(delay, rule.jitter_thousandths, JitterHash(lead, OutcomeName(c), k));
}

}  // namespace dialer::schedule
