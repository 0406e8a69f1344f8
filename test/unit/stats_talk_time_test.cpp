// Unit tests for the talk-time histogram layout and its interpolated quantiles.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "common/error.hpp"
#include "stats/talk_time.hpp"

using dialer::stats::kTalkBuckets;
using dialer::stats::TalkBucket;
using dialer::stats::TalkBucketLower;
using dialer::stats::TalkBucketUpper;
using dialer::stats::TalkQuantile;

TEST(TalkBucket, OneSecondBucketsBelowSixteen) {
  for (int s = 0; s < 16; ++s) EXPECT_EQ(TalkBucket(s), s);
  EXPECT_EQ(TalkBucket(16), 16);
}

TEST(TalkBucket, QuarterOctavesLandExactlyOnPowersOfTwo) {
  // 32, 64, ... 16384 s start octaves 1..10: bucket 16 + 4k.
  for (int k = 0; k <= 10; ++k) EXPECT_EQ(TalkBucket(int64_t{16} << k), 16 + 4 * k) << k;
  EXPECT_EQ(TalkBucket(31), 19);
  EXPECT_EQ(TalkBucket(16383), 55);
  EXPECT_EQ(TalkBucket(1'000'000'000), kTalkBuckets - 1);
}

TEST(TalkBucket, BoundsAreIncreasingWholeSecondsAndEveryValueFitsItsBucket) {
  for (int b = 0; b + 1 < kTalkBuckets; ++b) {
    ASSERT_TRUE(TalkBucketUpper(b).has_value());
    EXPECT_LT(TalkBucketLower(b), *TalkBucketUpper(b));
    EXPECT_EQ(*TalkBucketUpper(b), TalkBucketLower(b + 1));
    // Above the one-second range: a quarter-octave, 15% to 22% wide after rounding.
    if (b >= 16) {
      double width = static_cast<double>(*TalkBucketUpper(b)) / TalkBucketLower(b) - 1;
      EXPECT_GE(width, 0.15) << b;
      EXPECT_LE(width, 0.22) << b;
    }
  }
  EXPECT_FALSE(TalkBucketUpper(kTalkBuckets - 1).has_value());
  for (int64_t s = 0; s < 20000; ++s) {
    int b = TalkBucket(s);
    EXPECT_LE(TalkBucketLower(b), s);
    if (auto upper = TalkBucketUpper(b)) {
      EXPECT_LT(s, *upper);
    }
  }
}

TEST(TalkBucket, RejectsNegativeDurationsAndUnknownBuckets) {
  EXPECT_THROW(TalkBucket(-1), dialer::Error);
  EXPECT_THROW(TalkBucketLower(-1), dialer::Error);
  EXPECT_THROW(TalkBucketUpper(kTalkBuckets), dialer::Error);
  try {
    TalkBucket(-5);
    FAIL() << "expected a throw";
  } catch (const dialer::Error& e) {
    EXPECT_EQ(e.sqlstate(), "22023");
    EXPECT_STREQ(e.what(), "talk time -5 s is negative");
  }
}

// A histogram of the given durations.
static std::vector<int64_t> Histogram(const std::vector<int64_t>& seconds) {
  std::vector<int64_t> counts(kTalkBuckets, 0);
  for (int64_t s : seconds) ++counts[TalkBucket(s)];
  return counts;
}

TEST(TalkQuantile, EmptyHistogramHasNoQuantile) {
  std::vector<int64_t> none(kTalkBuckets, 0);
  EXPECT_FALSE(TalkQuantile(none.data(), none.size(), 0.5).has_value());
  EXPECT_FALSE(TalkQuantile(nullptr, 0, 0.5).has_value());
}

TEST(TalkQuantile, ExactBelowSixteenSeconds) {
  auto h = Histogram({3, 3, 3, 7, 9});
  EXPECT_EQ(*TalkQuantile(h.data(), h.size(), 0.0), 3);
  EXPECT_EQ(*TalkQuantile(h.data(), h.size(), 0.5), 3);
  EXPECT_EQ(*TalkQuantile(h.data(), h.size(), 0.7), 7);
  EXPECT_EQ(*TalkQuantile(h.data(), h.size(), 1.0), 9);
}

TEST(TalkQuantile, InterpolatesInsideALogBucketWithinItsWidth) {
  // 1000 calls spread evenly over 60..179 s: true p50 ~ 119.5, p90 ~ 167.5.
  std::vector<int64_t> seconds;
  seconds.reserve(1000);
  for (int i = 0; i < 1000; ++i) seconds.push_back(60 + (i * 120) / 1000);
  auto h = Histogram(seconds);
  double p50 = *TalkQuantile(h.data(), h.size(), 0.5);
  double p90 = *TalkQuantile(h.data(), h.size(), 0.9);
  EXPECT_NEAR(p50, 119.5, 119.5 * 0.19);
  EXPECT_NEAR(p90, 167.5, 167.5 * 0.19);
  EXPECT_LT(p50, p90);
}

TEST(TalkQuantile, OverflowBucketReportsItsLowerBound) {
  auto h = Histogram({20000, 30000});
  EXPECT_EQ(*TalkQuantile(h.data(), h.size(), 0.99), 16384);
}

TEST(TalkQuantile, AShortHistogramIsZeroPadded) {
  std::vector<int64_t> h = {0, 0, 4};
  EXPECT_EQ(*TalkQuantile(h.data(), h.size(), 0.5), 2);
}

TEST(TalkQuantile, RejectsBadQuantilesCountsAndLengths) {
  auto h = Histogram({1});
  EXPECT_THROW(TalkQuantile(h.data(), h.size(), -0.1), dialer::Error);
  EXPECT_THROW(TalkQuantile(h.data(), h.size(), 1.5), dialer::Error);
  EXPECT_THROW(TalkQuantile(h.data(), h.size(), std::nan("")), dialer::Error);
  std::vector<int64_t> negative = {1, -1};
  EXPECT_THROW(TalkQuantile(negative.data(), negative.size(), 0.5), dialer::Error);
  std::vector<int64_t> too_long(kTalkBuckets + 1, 1);
  EXPECT_THROW(TalkQuantile(too_long.data(), too_long.size(), 0.5), dialer::Error);
}
