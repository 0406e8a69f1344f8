// The dialer.* configuration parameters (GUCs), defined once at library load.
#include "pg/guard.hpp"
#include "pg/module.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace dialer::pg {

void DefineGucs() {
  // Reserve the prefix so a typo such as dialer.defualt_region is reported.
  MarkGUCPrefixReserved("dialer");
}

}  // namespace dialer::pg
