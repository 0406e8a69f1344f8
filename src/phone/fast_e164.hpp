// The fast normaliser: libphonenumber's Parse + IsValidNumber + Format(E164)
// re-implemented for the input shapes seen in practice (ASCII digits,
// common punctuation, a leading +, IDD prefixes, national prefixes, vanity
// letters, "ext"/"x" extensions), driven by libphonenumber's own metadata
// compiled into automata (region_rules.hpp).
//
// It answers only when it is certain to give libphonenumber's answer; for
// anything else (non-ASCII text, RFC 3966 parameters, unusual separators,
// patterns outside the dialect) it says kUnsure and the caller asks
// libphonenumber. The differential tests (test/unit/phone_differential_test.cpp)
// hold it to that on generated messy inputs.
#pragma once

#include <string_view>

#include "phone/e164_text.hpp"

namespace dialer::phone {

enum class FastVerdict { kUnsure, kValid, kInvalid };

// Normalises input for region (canonical upper-case code, or empty for
// international-only input). On kValid, out holds the E.164 text.
FastVerdict FastE164(std::string_view input, std::string_view region, E164Text* out);

}  // namespace dialer::phone
