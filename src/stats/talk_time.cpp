// Talk-time bucket arithmetic: integer bucket bounds, bucket lookup and quantiles.
#include "stats/talk_time.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>

#include "common/error.hpp"

namespace dialer::stats {
namespace {

// Lower bounds (whole seconds) of every bucket, computed once. Why integers: calls
// last whole seconds, and integer bounds make the lookup exact at the octave edges
// where a floating-point log2 could land on either side.
std::array<int64_t, kTalkBuckets> MakeLowerBounds() {
  std::array<int64_t, kTalkBuckets> bounds{};
  for (int b = 0; b < kTalkExactSeconds; ++b) bounds[b] = b;
  for (int k = 0; k <= kTalkStepsPerOctave * kTalkOctaves; ++k) {
    double lower = kTalkExactSeconds * std::exp2(static_cast<double>(k) / kTalkStepsPerOctave);
    bounds[kTalkExactSeconds + k] = std::llround(lower);
  }
  return bounds;
}

const std::array<int64_t, kTalkBuckets>& LowerBounds() {
  static const std::array<int64_t, kTalkBuckets> bounds = MakeLowerBounds();
  return bounds;
}

// Throws 22023 unless 0 <= b < kTalkBuckets.
void CheckBucket(int b) {
  if (b < 0 || b >= kTalkBuckets) {
    throw Error(sqlstate::kInvalidParameterValue,
                "talk-time bucket " + std::to_string(b) + " does not exist",
                "Buckets are numbered 0 to " + std::to_string(kTalkBuckets - 1) + ".",
                "List them with dialer.talk_time_buckets().");
  }
}

}  // namespace

int TalkBucket(int64_t seconds) {
  if (seconds < 0) {
    throw Error(sqlstate::kInvalidParameterValue,
                "talk time " + std::to_string(seconds) + " s is negative",
                "A call lasts zero or more seconds.", "Pass the duration in whole seconds.");
  }
  const auto& bounds = LowerBounds();
  // The last bound not above `seconds`.
  auto it = std::upper_bound(bounds.begin(), bounds.end(), seconds);
  return static_cast<int>(it - bounds.begin()) - 1;
}

int64_t TalkBucketLower(int b) {
  CheckBucket(b);
  return LowerBounds()[b];
}

std::optional<int64_t> TalkBucketUpper(int b) {
  CheckBucket(b);
  if (b == kTalkBuckets - 1) return std::nullopt;
  return LowerBounds()[b + 1];
}

std::optional<double> TalkQuantile(const int64_t* counts, size_t n, double q) {
  if (!(q >= 0.0 && q <= 1.0)) {
    char shown[32];
    std::snprintf(shown, sizeof shown, "%g", q);
    throw Error(sqlstate::kInvalidParameterValue,
                std::string("quantile ") + shown + " is not in [0, 1]",
                "A quantile is a fraction of the calls, e.g. 0.5 for the median.",
                "Pass a number from 0 to 1.");
  }
  if (n > static_cast<size_t>(kTalkBuckets)) {
    throw Error(sqlstate::kInvalidParameterValue,
                "talk-time histogram has " + std::to_string(n) + " buckets",
                "The talk-time layout has " + std::to_string(kTalkBuckets) + " buckets.",
                "Pass a histogram kept by pg_dialer's statistics.");
  }
  int64_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    if (counts[i] < 0) {
      throw Error(sqlstate::kInvalidParameterValue,
                  "talk-time bucket " + std::to_string(i) + " holds a negative count",
                  "Histogram counts are numbers of calls.", "Rebuild the campaign's statistics.");
    }
    total += counts[i];
  }
  if (total == 0) return std::nullopt;
  // Rank of the wanted call among `total`, on a continuous scale. The last non-empty
  // bucket always reaches it (rank <= total), so the scan stops inside the array.
  double rank = q * static_cast<double>(total);
  size_t i = 0;
  int64_t before = 0;
  while (counts[i] == 0 || static_cast<double>(before + counts[i]) < rank) {
    before += counts[i];
    ++i;
  }
  int b = static_cast<int>(i);
  double lower = static_cast<double>(LowerBounds()[b]);
  // One-second buckets hold a single value; the overflow bucket has no upper end.
  if (b < kTalkExactSeconds || b == kTalkBuckets - 1) return lower;
  double upper = static_cast<double>(LowerBounds()[b + 1]);
  double fraction = (rank - static_cast<double>(before)) / static_cast<double>(counts[i]);
  return lower + fraction * (upper - lower);
}

}  // namespace dialer::stats
