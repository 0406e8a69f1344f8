// Loading IANA zones by name from the zoneinfo directory PostgreSQL itself uses (set by
// the boundary at load time; the system's by default), parsed once per process and kept
// for its lifetime (a backend looks up the same few zones).
#pragma once

#include <string_view>

#include "tz/zone.hpp"

namespace dialer::tz {

// Where Debian's tzdata (and Debian's PostgreSQL, built --with-system-tzdata) reads zones:
// the default directory, used by the unit tests.
inline constexpr const char* kZoneinfoDir = "/usr/share/zoneinfo";

// Sets the directory zones are read from; call before the first LoadZone (the boundary
// passes PostgreSQL's own, which a server built with its own tzdata keeps elsewhere).
void SetZoneinfoDir(std::string_view dir);

// The zone with this IANA name (case-sensitive, e.g. "America/New_York"). The
// pointer stays valid for the life of the process. Throws dialer::Error 22023
// when the name is malformed or names no zone file.
const Zone* LoadZone(std::string_view name);

}  // namespace dialer::tz
