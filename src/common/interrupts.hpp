// Cooperative interrupts for the pure cores: a loop whose length a caller controls
// calls dialer::CheckForInterrupts(), and the host decides what an interrupt is.
//
// Why a hook: the cores must not see Postgres (the purity wall), yet a statement
// cancelled or a backend terminated while a core walks a 600,000-element document must
// stop within milliseconds, not when the loop ends. The Postgres boundary installs a hook
// at load time (src/pg/interrupts.cpp) that looks at InterruptPending and throws
// dialer::Interrupted; Guard() catches it, lets every C++ object die, and only then lets
// Postgres raise the cancel or terminate error (CHECK_FOR_INTERRUPTS). Without a hook
// (unit tests, fuzzers, tools) the check does nothing.
#pragma once

#include <algorithm>
#include <exception>
#include <vector>

namespace dialer {

// Thrown by an interrupt hook: the host asked the current work to stop. Not an error of
// the input; the boundary turns it into the host's own cancel/terminate handling.
class Interrupted : public std::exception {
 public:
  const char* what() const noexcept override { return "interrupted"; }
};

// Called every kInterruptStride checks; throws Interrupted (or returns) and nothing else.
using InterruptHook = void (*)();

// How many CheckForInterrupts() calls pass between two calls of the hook.
// Why 256: the cheapest checked iteration (one JSON value) costs ~0.1 us, the dearest
// (a scheduling step over a zone) a few us, so an interrupt is seen within about a
// millisecond, while the hook's cost is spread over 256 iterations.
inline constexpr unsigned kInterruptStride = 256;

namespace detail {
extern InterruptHook g_interrupt_hook;
extern unsigned g_interrupt_countdown;
}  // namespace detail

// Installs hook (nullptr removes it) and restarts the countdown. Not thread-safe: the
// host installs it once, before any core runs (Postgres: _PG_init).
void SetInterruptHook(InterruptHook hook) noexcept;

// The installed hook, or nullptr.
InterruptHook CurrentInterruptHook() noexcept;

// One iteration of a loop over caller-controlled input: every kInterruptStride-th call
// runs the hook, which throws Interrupted when the host wants the work to stop. Costs a
// load and a branch without a hook, a decrement with one.
inline void CheckForInterrupts() {
  if (detail::g_interrupt_hook == nullptr) return;
  if (--detail::g_interrupt_countdown != 0) return;
  detail::g_interrupt_countdown = kInterruptStride;
  detail::g_interrupt_hook();
}

// Runs the hook now (before a long step that cannot check on its own).
inline void CheckForInterruptsNow() {
  if (detail::g_interrupt_hook == nullptr) return;
  detail::g_interrupt_countdown = kInterruptStride;
  detail::g_interrupt_hook();
}

// std::sort over a caller-sized vector, checking for interrupts as it compares. An
// Interrupted thrown mid-sort leaves *v a permutation of itself (never used again).
template <typename T, typename Less>
void SortCheckingInterrupts(std::vector<T>* v, Less less) {
  std::sort(v->begin(), v->end(), [&less](const T& a, const T& b) {
    CheckForInterrupts();
    return less(a, b);
  });
}

}  // namespace dialer
