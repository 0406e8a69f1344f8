// Resource bounds (dialer.max_* GUCs) read by dialer._limit(); defined at library load.
#pragma once

namespace dialer::pg {

// Defines the dialer.max_* GUCs; called from DefineGucs (gucs.cpp).
void DefineLimitGucs();

// dialer.max_clock_skew, in seconds (what dialer._limit('max_clock_skew') answers).
int MaxClockSkewSeconds();

}  // namespace dialer::pg
