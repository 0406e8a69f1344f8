// Helpers shared by the scheduler's unit tests: civil times in a zone, and a
// request builder with sensible defaults (consent given, nothing suppressed).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "schedule/planner.hpp"
#include "tz/civil.hpp"
#include "tz/zone_cache.hpp"

namespace dialer::schedule::testing {

// The built-in rule packs, read from the file the install script seeds them from
// (data/rule_packs.json), so the tests apply exactly the packs a database gets.
inline const RulePackSet& BuiltinPacks() {
  static const RulePackSet packs = [] {
    const std::string here = __FILE__;
    const std::string path = here.substr(0, here.rfind("test/unit/")) + "data/rule_packs.json";
    std::ifstream file(path);
    if (!file) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << file.rdbuf();
    return ParseRulePacks(text.str());
  }();
  return packs;
}

// The built-in pack with this name; throws when there is none.
inline const RulePack* RulePackNamed(std::string_view name) {
  const RulePack* p = BuiltinPacks().Named(name);
  if (p == nullptr) throw std::runtime_error("no built-in rule pack " + std::string(name));
  return p;
}

// The instant of a local wall-clock time in a zone (earliest if repeated).
inline Micros Local(const char* zone, int y, int mo, int d, int h, int mi, int s = 0) {
  const int64_t local = tz::DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  return tz::LoadZone(zone)->LocalToUtc(local).utc * kMicrosPerSecond;
}

// The instant of a UTC civil time.
inline Micros Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return (tz::DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * kMicrosPerSecond;
}

// Owns the parsed documents a Request points to.
struct Scenario {
  RetryPolicy policy = RetryPolicy::Parse(R"({"classes": {"no_answer": {"delays": ["1h"]}}})");
  CallingWindows campaign;
  CallingWindows contact;
  bool has_campaign = false, has_contact = false;
  Request request;

  Scenario() {
    request.artificial_voice = true;
    request.has_consent = true;
  }
  Scenario& Policy(const char* json) {
    policy = RetryPolicy::Parse(json);
    return *this;
  }
  Scenario& Campaign(const char* json) {
    campaign = CallingWindows::Parse(json, "campaign calling windows");
    has_campaign = true;
    return *this;
  }
  Scenario& Contact(const char* json) {
    contact = CallingWindows::Parse(json, "contact calling windows");
    has_contact = true;
    return *this;
  }
  Scenario& Zones(std::initializer_list<const char*> names) {
    request.zones.clear();
    for (const char* n : names) request.zones.push_back(tz::LoadZone(n));
    return *this;
  }
  Scenario& Packs(std::initializer_list<const char*> names) {
    request.packs.clear();
    for (const char* n : names) request.packs.push_back(RulePackNamed(n));
    return *this;
  }
  Scenario& Now(Micros t) {
    request.now = t;
    return *this;
  }
  Scenario& Last(OutcomeClass c, Micros at, int attempts = 1, int class_attempts = 1) {
    request.history.attempts = attempts;
    request.history.class_attempts = class_attempts;
    request.history.last_outcome = c;
    request.history.last_attempt_at = at;
    return *this;
  }
  Decision Run(bool explain = false) {
    request.policy = &policy;
    request.campaign_windows = has_campaign ? &campaign : nullptr;
    request.contact_windows = has_contact ? &contact : nullptr;
    return NextAttempt(request, explain);
  }
};

}  // namespace dialer::schedule::testing
