// Reader for TZif files (RFC 8536, versions 1-4): the compiled IANA time-zone
// database that /usr/share/zoneinfo holds and Debian's PostgreSQL reads too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tz/posix_rule.hpp"

namespace dialer::tz {

// What a TZif file says: the transition table and the footer rule for later instants.
struct TzifData {
  int32_t initial_offset = 0;  // offset before the first transition (time type 0)
  bool initial_is_dst = false;
  std::vector<Transition> transitions;  // ascending by time
  bool has_footer = false;              // false when the footer is empty (or version 1)
  PosixRule footer;
};

// Parses TZif bytes; throws dialer::Error (22023) naming zone_name when malformed.
// Uses the 64-bit data block of version 2+ files, the 32-bit one of version 1.
TzifData ParseTzif(std::string_view zone_name, std::string_view bytes);

}  // namespace dialer::tz
