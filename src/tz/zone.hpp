// One IANA time zone: UTC <-> local conversion with explicit handling of the
// local times a DST change skips (nonexistent) or repeats (ambiguous).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "tz/posix_rule.hpp"
#include "tz/tzif.hpp"

namespace dialer::tz {

inline constexpr int64_t kNoLimitBefore = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kNoLimitAfter = std::numeric_limits<int64_t>::max();

// A stretch of time with one UTC offset: [start, end) in Unix seconds.
struct Segment {
  int64_t start;   // kNoLimitBefore when unbounded
  int64_t end;     // kNoLimitAfter when unbounded
  int32_t offset;  // seconds east of UTC
  bool is_dst;
};

// Which instant to choose for a local time that occurs twice (fall back).
enum class Ambiguous { kEarliest, kLatest };

// The instant a local time maps to, and how it was found.
struct LocalResolution {
  enum class Kind { kUnique, kAmbiguous, kNonexistent };
  int64_t utc;
  Kind kind;
};

// An immutable time zone built from TZif data.
class Zone {
 public:
  Zone(std::string name, const TzifData& data);

  const std::string& name() const { return name_; }

  // The constant-offset segment that contains the instant utc.
  Segment SegmentAt(int64_t utc) const;

  // UTC offset (seconds east) in effect at the instant utc.
  int32_t OffsetAt(int64_t utc) const { return SegmentAt(utc).offset; }

  // The instant of a local wall-clock time (Unix seconds as if local were UTC).
  // Ambiguous (fall back): the earlier or later instant, as pick says.
  // Nonexistent (spring forward): read with the offset in effect before the gap,
  // which moves it forward by the gap's length (02:30 -> 03:30 in New York), the
  // same rule PostgreSQL applies to `timestamp AT TIME ZONE`.
  LocalResolution LocalToUtc(int64_t local, Ambiguous pick = Ambiguous::kEarliest) const;

 private:
  // Transitions the footer rule gives for years [first, last], ties and no-ops removed.
  std::vector<Transition> RuleTransitions(int64_t first_year, int64_t last_year) const;
  // SegmentAt for instants after the table, computed from the footer rule.
  Segment RuleSegment(int64_t utc) const;

  std::string name_;
  int32_t initial_offset_;
  bool initial_is_dst_;
  std::vector<Transition> table_;  // file transitions, extended by the rule to 2100
  bool has_rule_;
  PosixRule rule_;
  int32_t max_abs_offset_ = 0;
};

}  // namespace dialer::tz
