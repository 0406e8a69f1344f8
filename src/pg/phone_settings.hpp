// The phone GUC shared between gucs.cpp (where it is defined) and phone.cpp.
#pragma once

namespace dialer::pg {

// Current value of dialer.default_region ("" when unset); validated on set.
const char* DefaultRegion();

}  // namespace dialer::pg
