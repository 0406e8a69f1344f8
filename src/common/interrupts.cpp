// The interrupt hook's state (see interrupts.hpp).
#include "common/interrupts.hpp"

namespace dialer {
namespace detail {
InterruptHook g_interrupt_hook = nullptr;
unsigned g_interrupt_countdown = kInterruptStride;
}  // namespace detail

void SetInterruptHook(InterruptHook hook) noexcept {
  detail::g_interrupt_hook = hook;
  detail::g_interrupt_countdown = kInterruptStride;
}

InterruptHook CurrentInterruptHook() noexcept { return detail::g_interrupt_hook; }

}  // namespace dialer
