// Resource bounds (dialer.max_* GUCs) read by dialer._limit(); defined at library load.
#pragma once

namespace dialer::pg {

// Defines the dialer.max_* GUCs; called from DefineGucs (gucs.cpp).
void DefineLimitGucs();

}  // namespace dialer::pg
