// Outcome classes: the small vocabulary every provider result is mapped onto
// before the scheduler decides anything. The same names and terminal flags as
// the reference table dialer.outcome_classes (sql_src/40_outcomes.sql).
#pragma once

#include <optional>
#include <string_view>

namespace dialer::schedule {

enum class OutcomeClass {
  kNoAnswer,
  kBusy,
  kVoicemail,
  kFailed,           // the call could not be placed (carrier/number trouble)
  kTransportError,   // our side or the provider's API failed before dialling
  kHumanIncomplete,  // a person answered but the conversation did not finish
  kCallback,         // a person asked to be called back later
  kAbandoned,        // a person answered and nobody (no agent, no AI) took the call
  kUnknown,          // the dispatch happened but its result is not known
  kCompleted,
  kConverted,
  kRefused,
  kDoNotCall,
  kInvalidNumber,
};

inline constexpr int kOutcomeClassCount = 14;

// The class's name as written in policies and in SQL ("no_answer").
std::string_view OutcomeName(OutcomeClass c);

// The class with this name, or nullopt.
std::optional<OutcomeClass> OutcomeFromName(std::string_view name);

// Every class name, comma-separated, for error messages.
std::string_view OutcomeNameList();

// Classes that always end a lead: completed, converted, refused, do_not_call,
// invalid_number.
bool IsAlwaysTerminal(OutcomeClass c);

}  // namespace dialer::schedule
