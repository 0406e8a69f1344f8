// Zone: segment lookup over the transition table and the footer rule.
#include "tz/zone.hpp"

#include <algorithm>
#include <cstdlib>

#include "tz/civil.hpp"

namespace dialer::tz {
namespace {

// Last year the table is pre-extended to; later instants evaluate the rule directly.
constexpr int64_t kTableLastYear = 2100;

// The calendar year (UTC) of an instant.
int64_t YearOf(int64_t utc) { return CivilFromDays(FloorDiv(utc, kSecondsPerDay)).year; }

}  // namespace

Zone::Zone(std::string name, const TzifData& data)
    : name_(std::move(name)),
      initial_offset_(data.initial_offset),
      initial_is_dst_(data.initial_is_dst),
      table_(data.transitions),
      has_rule_(data.has_footer),
      rule_(data.footer) {
  const int64_t from = table_.empty() ? 1970 : YearOf(table_.back().at);
  // Why: "slim" TZif files stop their table at the last rule change (2007 for
  // New York); extending it once keeps every current lookup a binary search.
  // A table ending outside [1800, 2100] (no real file) is left to RuleSegment,
  // so a hostile file cannot make this loop long.
  if (has_rule_ && rule_.has_dst && from >= 1800 && from <= kTableLastYear) {
    for (const Transition& t : RuleTransitions(from, kTableLastYear)) {
      if (!table_.empty() && t.at <= table_.back().at) continue;
      if (!table_.empty() && t.offset == table_.back().offset && t.is_dst == table_.back().is_dst)
        continue;
      table_.push_back(t);
    }
  }
  max_abs_offset_ = std::abs(initial_offset_);
  for (const Transition& t : table_)
    max_abs_offset_ = std::max(max_abs_offset_, std::abs(t.offset));
  if (has_rule_) {
    max_abs_offset_ =
        std::max({max_abs_offset_, std::abs(rule_.std_offset), std::abs(rule_.dst_offset)});
  }
}

std::vector<Transition> Zone::RuleTransitions(int64_t first_year, int64_t last_year) const {
  std::vector<Transition> all;
  for (int64_t y = first_year; y <= last_year; ++y) {
    for (const Transition& t : rule_.TransitionsOfYear(y)) all.push_back(t);
  }
  // Why: in all-year-DST rules ("EST5EDT,0/0,J365/25") one year's end and the
  // next year's start share an instant; the later-listed (the start) must win.
  std::stable_sort(all.begin(), all.end(),
                   [](const Transition& a, const Transition& b) { return a.at < b.at; });
  std::vector<Transition> out;
  for (const Transition& t : all) {
    if (!out.empty() && out.back().at == t.at) {
      out.back() = t;
    } else {
      out.push_back(t);
    }
  }
  std::vector<Transition> changes;
  for (const Transition& t : out) {
    if (!changes.empty() && changes.back().offset == t.offset && changes.back().is_dst == t.is_dst)
      continue;
    changes.push_back(t);
  }
  return changes;
}

Segment Zone::RuleSegment(int64_t utc) const {
  const int64_t year = YearOf(utc);
  const std::vector<Transition> ts = RuleTransitions(year - 1, year + 1);
  Segment s{kNoLimitBefore, kNoLimitAfter, rule_.std_offset, false};
  for (const Transition& t : ts) {
    if (t.at <= utc) {
      s = Segment{t.at, kNoLimitAfter, t.offset, t.is_dst};
    } else {
      s.end = t.at;
      break;
    }
  }
  return s;
}

Segment Zone::SegmentAt(int64_t utc) const {
  auto next = std::upper_bound(table_.begin(), table_.end(), utc,
                               [](int64_t v, const Transition& t) { return v < t.at; });
  if (next == table_.begin()) {
    return Segment{kNoLimitBefore, table_.empty() ? kNoLimitAfter : table_.front().at,
                   initial_offset_, initial_is_dst_};
  }
  const Transition& prev = *(next - 1);
  if (next != table_.end()) return Segment{prev.at, next->at, prev.offset, prev.is_dst};
  if (has_rule_ && rule_.has_dst) return RuleSegment(utc);
  if (has_rule_) return Segment{prev.at, kNoLimitAfter, rule_.std_offset, false};
  return Segment{prev.at, kNoLimitAfter, prev.offset, prev.is_dst};
}

LocalResolution Zone::LocalToUtc(int64_t local, Ambiguous pick) const {
  // Every instant whose local time is `local` lies within max |offset| of it.
  const int64_t lo = local - max_abs_offset_ - 1;
  const int64_t hi = local + max_abs_offset_ + 1;
  std::vector<int64_t> found;
  Segment seg = SegmentAt(lo);
  int64_t gap_answer = 0;
  bool in_gap = false;
  while (true) {
    const int64_t candidate = local - seg.offset;
    if (candidate >= seg.start && candidate < seg.end) found.push_back(candidate);
    if (seg.end == kNoLimitAfter || seg.end > hi) break;
    const Segment next = SegmentAt(seg.end);
    // The wall clock jumps from seg.end + seg.offset to seg.end + next.offset.
    if (local >= seg.end + seg.offset && local < seg.end + next.offset) {
      in_gap = true;
      gap_answer = local - seg.offset;
    }
    seg = next;
  }
  if (found.size() == 1) return {found.front(), LocalResolution::Kind::kUnique};
  if (found.size() > 1) {
    return {pick == Ambiguous::kEarliest ? found.front() : found.back(),
            LocalResolution::Kind::kAmbiguous};
  }
  // No instant has this wall-clock time: it lies in a spring-forward gap.
  return {in_gap ? gap_answer : local - seg.offset, LocalResolution::Kind::kNonexistent};
}

}  // namespace dialer::tz
