// Instant range checks and formatting.
#include "schedule/time.hpp"

#include <cstdio>

#include "common/error.hpp"
#include "tz/civil.hpp"

namespace dialer::schedule {

void CheckInstant(Micros t, std::string_view parameter) {
  if (t >= kEarliestInstant && t <= kLatestInstant) return;
  throw Error(sqlstate::kInvalidParameterValue,
              std::string(parameter) + " is outside the supported range",
              "The scheduler accepts instants from 0001-01-01 to 9999-12-31 UTC; infinity is "
              "not accepted here.",
              "Pass a finite timestamp in that range (NULL where the parameter allows it).");
}

std::string FormatInstant(Micros t) {
  const int64_t seconds = tz::FloorDiv(t, kMicrosPerSecond);
  const int64_t micros = t - seconds * kMicrosPerSecond;
  const int64_t day = tz::FloorDiv(seconds, 86400);
  const int64_t sod = seconds - day * 86400;
  const tz::CivilDate d = tz::CivilFromDays(day);
  char buf[64];
  if (micros == 0) {
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(d.year), d.month, d.day,
                  static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60),
                  static_cast<long long>(sod % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02lld:%02lld:%02lld.%06lldZ",
                  static_cast<long long>(d.year), d.month, d.day,
                  static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60),
                  static_cast<long long>(sod % 60), static_cast<long long>(micros));
  }
  return buf;
}

}  // namespace dialer::schedule
