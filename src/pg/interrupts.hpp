// Interrupts at the boundary: the hook the cores call (common/interrupts.hpp).
#pragma once

#include "pg/postgres_includes.hpp"

namespace dialer::pg {

// Whether CHECK_FOR_INTERRUPTS() would raise now: a cancel or terminate request is
// pending and interrupts are not held off. Plain C: never throws, never raises.
bool InterruptWouldRaise();

// Installs the cores' interrupt hook (throws dialer::Interrupted when
// InterruptWouldRaise()); called from _PG_init.
void InstallInterruptHook();

// Lets Postgres raise the pending cancel or terminate error (CHECK_FOR_INTERRUPTS);
// raises 57014 itself should nothing be pending any more. Call only when no C++
// object is alive (Guard does, after its catch block ended).
[[noreturn]] void RaiseInterrupt();

}  // namespace dialer::pg
