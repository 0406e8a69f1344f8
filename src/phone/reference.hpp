// The straightforward libphonenumber path, kept as the oracle the fast path
// must agree with: Parse + IsValidNumber + Format(E164).
#pragma once

#include <string_view>

#include "phone/e164_text.hpp"

namespace dialer::phone {

// libphonenumber's verdict for input in region (canonical code, or empty for
// none): true and the E.164 text in out when the number is valid. No input cap:
// it is the oracle; the public API (phone.hpp) caps input at kMaxInputBytes.
bool ReferenceE164(std::string_view input, std::string_view region, E164Text* out);

}  // namespace dialer::phone
