// Talk-time histogram buckets and percentiles read from them.
//
// Layout (57 buckets, numbered from 0): buckets 0..15 hold exactly 0..15 seconds;
// buckets 16..55 are quarter-octaves from 16 s to 16384 s (each bucket's upper bound
// is 2^(1/4) ~ 1.19 times its lower bound, rounded to whole seconds, so a bucket is
// 19% wide, 15% to 22% where the rounding shows); bucket 56 holds everything from
// 16384 s (4 h 33 min) up. A percentile is interpolated linearly inside its bucket, so
// below 16 s it is exact and above it is off by less than one bucket width (at most
// 22% of the value, 19% above 64 s).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace dialer::stats {

inline constexpr int kTalkExactSeconds = 16;  // buckets 0..15: one second each
inline constexpr int kTalkStepsPerOctave = 4;
inline constexpr int kTalkOctaves = 10;  // 16 s .. 16384 s
// Number of buckets, the last one being the open-ended overflow bucket.
inline constexpr int kTalkBuckets = kTalkExactSeconds + kTalkStepsPerOctave * kTalkOctaves + 1;

// The bucket a call of `seconds` seconds falls in (negative durations throw 22023).
int TalkBucket(int64_t seconds);

// The smallest whole number of seconds in bucket b (0 <= b < kTalkBuckets).
int64_t TalkBucketLower(int b);

// One past the largest number of seconds in bucket b; nullopt for the overflow bucket.
std::optional<int64_t> TalkBucketUpper(int b);

// The q-quantile (0 <= q <= 1) of the durations counted in counts[0..n) (bucket i
// in counts[i]; n may be shorter than kTalkBuckets, longer throws), interpolated
// inside its bucket; nullopt when the histogram is empty. Negative counts or a q
// outside [0, 1] throw 22023.
std::optional<double> TalkQuantile(const int64_t* counts, size_t n, double q);

}  // namespace dialer::stats
