// The user-facing errors of the phone core: message naming the value, DETAIL
// with the reason, HINT with the fix (SQLSTATE 22023, HTTP 400 via PostgREST).
#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"
#include "phone/phone.hpp"

namespace dialer::phone {

// The input as it appears in a message: at most 40 characters, control
// characters shown as '?', "..." when cut.
std::string QuoteForMessage(std::string_view input);

// "invalid phone number "<input>" for region US", with the reason's detail and hint.
dialer::Error InvalidNumberError(std::string_view input, std::string_view region, Reason reason);

// "unknown region code "<region>"".
dialer::Error UnknownRegionError(std::string_view region);

// One sentence explaining reason (the DETAIL text after "Reason: <name>.").
const char* ReasonSentence(Reason reason);

}  // namespace dialer::phone
