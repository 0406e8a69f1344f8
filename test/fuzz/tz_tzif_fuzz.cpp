// libFuzzer target: TZif parsing, zone construction and lookups on hostile
// bytes. Errors must be dialer::Error; lookups stay within PostgreSQL's range.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.hpp"
#include "tz/zone.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const dialer::tz::Zone zone("fuzz", dialer::tz::ParseTzif("fuzz", bytes));
    // Instants across PostgreSQL's timestamp range (about +-294,000 years).
    constexpr int64_t kSpan = 9'000'000'000'000;
    for (int64_t t = -kSpan; t <= kSpan; t += kSpan / 7) {
      const dialer::tz::Segment s = zone.SegmentAt(t);
      if (s.start > t || s.end <= t) __builtin_trap();
      zone.LocalToUtc(t + 12345);
    }
    for (int64_t t = 0; t < 4'000'000'000; t += 86'400 * 91) zone.LocalToUtc(t);
  } catch (const dialer::Error&) {
  }
  return 0;
}
