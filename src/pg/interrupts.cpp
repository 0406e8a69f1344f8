// Interrupts at the boundary (see interrupts.hpp and common/interrupts.hpp).
//
// Why not CHECK_FOR_INTERRUPTS() in the hook: it raises the cancel error with a longjmp,
// which would skip the destructors of every C++ object between the loop and the Guard.
// The hook only looks at the flags and throws dialer::Interrupted; Guard catches it, the
// objects die, and RaiseInterrupt() lets Postgres do its own cancel or terminate handling.
#include "pg/interrupts.hpp"

#include "common/interrupts.hpp"

extern "C" {
#include "miscadmin.h"
}

namespace dialer::pg {
namespace {

// The cores' hook: throws when Postgres would raise at CHECK_FOR_INTERRUPTS().
void ThrowIfInterrupted() {
  if (unlikely(InterruptPending) && InterruptWouldRaise()) throw dialer::Interrupted();
}

}  // namespace

bool InterruptWouldRaise() {
  if (!InterruptPending || InterruptHoldoffCount != 0 || CritSectionCount != 0) return false;
  return ProcDiePending || (QueryCancelPending && QueryCancelHoldoffCount == 0);
}

void InstallInterruptHook() { dialer::SetInterruptHook(&ThrowIfInterrupted); }

void RaiseInterrupt() {
  CHECK_FOR_INTERRUPTS();
  // Only if the request was withdrawn in between (it never is for a cancel or a
  // terminate): the work was abandoned all the same, so the statement must fail.
  ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED),
                  errmsg("canceling statement due to an interrupt inside pg_dialer")));
  pg_unreachable();
}

}  // namespace dialer::pg
