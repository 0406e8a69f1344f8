// Interrupts at the boundary: the hook the cores call (common/interrupts.hpp), and a
// jsonb-to-text conversion that stops when the statement is cancelled.
#pragma once

#include "pg/postgres_includes.hpp"

extern "C" {
#include "utils/jsonb.h"
}

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

// The JSON text of a jsonb value, exactly as JsonbToCString writes it, palloc'd in the
// current memory context; nullptr when a cancel or terminate request arrived meanwhile.
// Why not JsonbToCString: it never checks for interrupts, and printing a 600,000-element
// document takes longer than a cancel may wait. C-style (no C++ objects): it may
// ereport (out of memory), so inside Guard call it through PgCall.
char* JsonbToTextChecked(Jsonb* jb);

}  // namespace dialer::pg
