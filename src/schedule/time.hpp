// The scheduler's clock: microseconds since 1970-01-01 UTC (PostgreSQL's
// timestamptz resolution), with the supported range and ISO formatting.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dialer::schedule {

using Micros = int64_t;

inline constexpr Micros kMicrosPerSecond = 1000000;
inline constexpr Micros kMicrosPerDay = 86400 * kMicrosPerSecond;

// Instants from 0001-01-01 to 9999-12-31 are accepted; keeping inputs there
// means no sum of an instant and a duration (at most a year) can overflow.
inline constexpr Micros kEarliestInstant = -62135596800LL * kMicrosPerSecond;
inline constexpr Micros kLatestInstant = 253402300799LL * kMicrosPerSecond;

// Throws 22023 naming the parameter when t is outside the supported range.
void CheckInstant(Micros t, std::string_view parameter);

// "2025-03-10T13:00:00Z", with ".ffffff" when there are microseconds.
std::string FormatInstant(Micros t);

}  // namespace dialer::schedule
