// Loading IANA zones by name from the system zoneinfo directory, parsed once per
// process and kept for its lifetime (a backend looks up the same few zones).
#pragma once

#include <string_view>

#include "tz/zone.hpp"

namespace dialer::tz {

// Where Debian's tzdata (and Debian's PostgreSQL, built --with-system-tzdata) reads zones.
inline constexpr const char* kZoneinfoDir = "/usr/share/zoneinfo";

// The zone with this IANA name (case-sensitive, e.g. "America/New_York"). The
// pointer stays valid for the life of the process. Throws dialer::Error 22023
// when the name is malformed or names no zone file.
const Zone* LoadZone(std::string_view name);

}  // namespace dialer::tz
