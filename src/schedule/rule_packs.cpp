// Reading and checking rule packs: the figures of each rule in the formats the
// retry policy and calling windows already use ("24h" durations, {"max", "per"}
// caps, calling-windows documents), so one reader serves all of them.
#include "schedule/rule_packs.hpp"
#include "common/interrupts.hpp"

#include "schedule/fields.hpp"

namespace dialer::schedule {
namespace {

using Type = json::Value::Type;

constexpr std::string_view kRuleKinds = "calling_window, cap, after_abandoned, after_refusal";

// Fails with 22023 naming the rule's field.
[[noreturn]] void Bad(const FieldPath& at, const std::string& problem, const std::string& detail,
                      const std::string& hint) {
  at.Fail(problem, detail, hint);
}

// A string member of a rules-document object.
const std::string& Text(const json::Value& v, std::string_view key, const FieldPath& at) {
  const json::Value* m = v.Find(key);
  if (m == nullptr)
    Bad(at, "needs \"" + std::string(key) + "\"", "Every entry names it.", "Add it.");
  RequireType(*m, Type::kString, at.Key(key));
  return m->text;
}

// {"wait": duration} of an after_abandoned or after_refusal rule, in seconds.
int64_t ReadWait(const json::Value& figures, const FieldPath& at) {
  RequireKeys(figures, {"wait"}, at);
  const json::Value* wait = figures.Find("wait");
  if (wait == nullptr) {
    Bad(at, "needs \"wait\"", "A cool-down waits a duration after the event.",
        "Write the figures like {\"wait\": \"72h\"}.");
  }
  return DurationSeconds(*wait, 1, at.Key("wait"));
}

// Adds one rule to the pack (applies_to already checked against the kind).
void AddRule(std::string_view rule, bool voice_only, const json::Value& figures, std::string source,
             const FieldPath& at, RulePack* pack) {
  if (rule == "calling_window") {
    pack->windows.push_back(
        PackWindows{CallingWindows::FromJson(figures, at), voice_only, std::move(source)});
  } else if (rule == "cap") {
    pack->caps.push_back(PackCap{ReadCap(figures, at), std::move(source)});
  } else if (rule == "after_abandoned") {
    pack->after_abandoned.push_back(PackWait{ReadWait(figures, at), std::move(source)});
  } else if (rule == "after_refusal") {
    pack->after_refusal.push_back(PackWait{ReadWait(figures, at), std::move(source)});
  } else {
    Bad(at, "is not a kind of rule (\"" + std::string(rule) + "\")",
        "Kinds of rule: " + std::string(kRuleKinds) + ".", "Use one of the kinds.");
  }
}

// Whether a rule applies to artificial-voice calls only; only windows may.
bool VoiceOnly(std::string_view rule, std::string_view applies_to, const FieldPath& at) {
  if (applies_to == "every_call") return false;
  if (applies_to == "artificial_voice" && rule == "calling_window") return true;
  Bad(at, "has applies_to \"" + std::string(applies_to) + "\"",
      "Every rule applies to every_call; calling windows may apply to artificial_voice calls "
      "only (recorded or synthesized voices).",
      "Use every_call" + std::string(rule == "calling_window" ? " or artificial_voice." : "."));
}

}  // namespace

const RulePack* RulePackSet::Named(std::string_view name) const {
  for (const RulePack& p : packs_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string RulePackSet::Names() const {
  std::string out;
  for (const RulePack& p : packs_) out += (out.empty() ? "" : ", ") + p.name;
  return out.empty() ? "(none)" : out;
}

RulePackSet RulePacksFromJson(const json::Value& doc) {
  const FieldPath root("rule packs");
  RequireType(doc, Type::kArray, root);
  std::vector<RulePack> packs;
  for (size_t i = 0; i < doc.items.size(); ++i) {
    CheckForInterrupts();
    const json::Value& p = doc.items[i];
    const FieldPath pp = root.Index(i);
    RequireType(p, Type::kObject, pp);
    RulePack pack;
    pack.name = Text(p, "name", pp);
    pack.title = Text(p, "title", pp);
    const json::Value* rules = p.Find("rules");
    if (rules == nullptr)
      Bad(pp, "needs \"rules\"", "A pack lists its rules.", "Add \"rules\": [].");
    RequireType(*rules, Type::kArray, pp.Key("rules"));
    for (size_t j = 0; j < rules->items.size(); ++j) {
      CheckForInterrupts();
      const json::Value& r = rules->items[j];
      const FieldPath rp = pp.Key("rules").Index(j);
      RequireType(r, Type::kObject, rp);
      const std::string& kind = Text(r, "rule", rp);
      const json::Value* figures = r.Find("figures");
      if (figures == nullptr) Bad(rp, "needs \"figures\"", "A rule has figures.", "Add them.");
      AddRule(kind, VoiceOnly(kind, Text(r, "applies_to", rp), rp), *figures, Text(r, "source", rp),
              rp.Key("figures"), &pack);
    }
    packs.push_back(std::move(pack));
  }
  return RulePackSet(std::move(packs));
}

RulePackSet ParseRulePacks(std::string_view json_text) {
  return RulePacksFromJson(json::Parse(json_text, "rule packs"));
}

void CheckRule(std::string_view rule, std::string_view applies_to, const json::Value& figures) {
  const FieldPath at("rule pack rule");
  const bool voice_only = VoiceOnly(rule, applies_to, at);
  RulePack scratch;
  AddRule(rule, voice_only, figures, {}, at.Key("figures"), &scratch);
}

}  // namespace dialer::schedule
