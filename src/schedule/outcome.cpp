// The outcome-class vocabulary.
#include "schedule/outcome.hpp"

namespace dialer::schedule {
namespace {

constexpr std::string_view kNames[kOutcomeClassCount] = {
    "no_answer",        "busy",     "voicemail",   "failed",        "transport_error",
    "human_incomplete", "callback", "abandoned",   "unknown",       "completed",
    "converted",        "refused",  "do_not_call", "invalid_number"};

}  // namespace

std::string_view OutcomeName(OutcomeClass c) { return kNames[static_cast<int>(c)]; }

std::optional<OutcomeClass> OutcomeFromName(std::string_view name) {
  for (int i = 0; i < kOutcomeClassCount; ++i) {
    if (kNames[i] == name) return static_cast<OutcomeClass>(i);
  }
  return std::nullopt;
}

std::string_view OutcomeNameList() {
  return "no_answer, busy, voicemail, failed, transport_error, human_incomplete, callback, "
         "abandoned, unknown, completed, converted, refused, do_not_call, invalid_number";
}

bool IsAlwaysTerminal(OutcomeClass c) {
  return c == OutcomeClass::kCompleted || c == OutcomeClass::kConverted ||
         c == OutcomeClass::kRefused || c == OutcomeClass::kDoNotCall ||
         c == OutcomeClass::kInvalidNumber;
}

}  // namespace dialer::schedule
