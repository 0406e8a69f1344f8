// Known instants for the zones the scheduler must get right: offsets on both
// sides of each DST change, half-hour and 45-minute zones, no-DST zones, the
// rule footer far in the future, and local->UTC for skipped and repeated times.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "tz/civil.hpp"
#include "tz/zone_cache.hpp"

namespace dialer::tz {
namespace {

// Unix seconds of a UTC civil time.
int64_t Utc(int64_t y, int mo, int d, int h, int mi, int s = 0) {
  return DaysFromCivil(y, mo, d) * kSecondsPerDay + h * 3600 + mi * 60 + s;
}

// Seconds of an offset given as hours and minutes (sign taken from hours, or minutes when h == 0).
int32_t Off(int h, int m = 0) { return h * 3600 + (h < 0 ? -m : m) * 60; }

TEST(TzZone, NewYorkAroundBothChanges2024) {
  const Zone* z = LoadZone("America/New_York");
  EXPECT_EQ(z->OffsetAt(Utc(2024, 3, 10, 6, 59, 59)), Off(-5));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 3, 10, 7, 0)), Off(-4));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 11, 3, 5, 59, 59)), Off(-4));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 11, 3, 6, 0)), Off(-5));
  Segment s = z->SegmentAt(Utc(2024, 7, 1, 0, 0));
  EXPECT_EQ(s.start, Utc(2024, 3, 10, 7, 0));
  EXPECT_EQ(s.end, Utc(2024, 11, 3, 6, 0));
  EXPECT_TRUE(s.is_dst);
}

TEST(TzZone, NewYorkFooterRuleBeyondTheTable) {
  const Zone* z = LoadZone("America/New_York");
  // 2150 and 2500 are past both the file's table and the pre-extended one.
  EXPECT_EQ(z->OffsetAt(Utc(2150, 7, 1, 12, 0)), Off(-4));
  EXPECT_EQ(z->OffsetAt(Utc(2500, 1, 15, 12, 0)), Off(-5));
  // Second Sunday of March 2500 is the 14th.
  EXPECT_EQ(z->OffsetAt(Utc(2500, 3, 14, 6, 59, 59)), Off(-5));
  EXPECT_EQ(z->OffsetAt(Utc(2500, 3, 14, 7, 0)), Off(-4));
  Segment s = z->SegmentAt(Utc(2500, 6, 1, 0, 0));
  EXPECT_EQ(s.start, Utc(2500, 3, 14, 7, 0));
  EXPECT_EQ(s.end, Utc(2500, 11, 7, 6, 0));
}

TEST(TzZone, NewYorkHistory) {
  const Zone* z = LoadZone("America/New_York");
  // Local mean time before 1883-11-18 17:00 UTC: -4:56:02.
  EXPECT_EQ(z->OffsetAt(Utc(1850, 1, 1, 0, 0)), -(4 * 3600 + 56 * 60 + 2));
  // 1974 year-round DST from 6 January.
  EXPECT_EQ(z->OffsetAt(Utc(1974, 2, 1, 12, 0)), Off(-4));
}

TEST(TzZone, ParisAroundBothChanges2024) {
  const Zone* z = LoadZone("Europe/Paris");
  EXPECT_EQ(z->OffsetAt(Utc(2024, 3, 31, 0, 59, 59)), Off(1));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 3, 31, 1, 0)), Off(2));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 10, 27, 0, 59, 59)), Off(2));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 10, 27, 1, 0)), Off(1));
}

TEST(TzZone, LordHoweHalfHourDst) {
  const Zone* z = LoadZone("Australia/Lord_Howe");
  // DST ends first Sunday of April 02:00 local (+11) = 15:00 UTC the day before.
  EXPECT_EQ(z->OffsetAt(Utc(2024, 4, 6, 14, 59, 59)), Off(11));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 4, 6, 15, 0)), Off(10, 30));
  // DST starts first Sunday of October 02:00 local (+10:30) = 15:30 UTC the day before.
  EXPECT_EQ(z->OffsetAt(Utc(2024, 10, 5, 15, 29, 59)), Off(10, 30));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 10, 5, 15, 30)), Off(11));
}

TEST(TzZone, KolkataHalfHourNoDst) {
  const Zone* z = LoadZone("Asia/Kolkata");
  EXPECT_EQ(z->OffsetAt(Utc(2024, 1, 1, 0, 0)), Off(5, 30));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 7, 1, 0, 0)), Off(5, 30));
  // War time 1942-1945: +6:30.
  EXPECT_EQ(z->OffsetAt(Utc(1943, 6, 1, 0, 0)), Off(6, 30));
  EXPECT_EQ(z->SegmentAt(Utc(2024, 1, 1, 0, 0)).end, kNoLimitAfter);
}

TEST(TzZone, ChathamFortyFiveMinutes) {
  const Zone* z = LoadZone("Pacific/Chatham");
  // DST starts last Sunday of September 02:45 local (+12:45) = 14:00 UTC the day before.
  EXPECT_EQ(z->OffsetAt(Utc(2024, 9, 28, 13, 59, 59)), Off(12, 45));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 9, 28, 14, 0)), Off(13, 45));
  // DST ends first Sunday of April 03:45 local (+13:45) = 14:00 UTC the day before.
  EXPECT_EQ(z->OffsetAt(Utc(2024, 4, 6, 13, 59, 59)), Off(13, 45));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 4, 6, 14, 0)), Off(12, 45));
}

TEST(TzZone, PhoenixNoDst) {
  const Zone* z = LoadZone("America/Phoenix");
  EXPECT_EQ(z->OffsetAt(Utc(2024, 1, 1, 0, 0)), Off(-7));
  EXPECT_EQ(z->OffsetAt(Utc(2024, 7, 1, 0, 0)), Off(-7));
  EXPECT_EQ(z->OffsetAt(Utc(2300, 7, 1, 0, 0)), Off(-7));
  EXPECT_FALSE(z->SegmentAt(Utc(2024, 7, 1, 0, 0)).is_dst);
}

TEST(TzZone, LocalToUtcUniqueTime) {
  const Zone* z = LoadZone("Europe/Paris");
  LocalResolution r = z->LocalToUtc(Utc(2024, 7, 14, 10, 0));
  EXPECT_EQ(r.kind, LocalResolution::Kind::kUnique);
  EXPECT_EQ(r.utc, Utc(2024, 7, 14, 8, 0));
}

TEST(TzZone, LocalToUtcSpringForwardGapMovesForwardByTheGap) {
  const Zone* ny = LoadZone("America/New_York");
  LocalResolution r = ny->LocalToUtc(Utc(2024, 3, 10, 2, 30));
  EXPECT_EQ(r.kind, LocalResolution::Kind::kNonexistent);
  EXPECT_EQ(r.utc, Utc(2024, 3, 10, 7, 30));  // 03:30 EDT, as PostgreSQL reads it
  const Zone* lh = LoadZone("Australia/Lord_Howe");
  r = lh->LocalToUtc(Utc(2024, 10, 6, 2, 15));  // 02:00 -> 02:30
  EXPECT_EQ(r.kind, LocalResolution::Kind::kNonexistent);
  EXPECT_EQ(r.utc, Utc(2024, 10, 5, 15, 45));  // 02:45 local daylight time
  const Zone* ch = LoadZone("Pacific/Chatham");
  r = ch->LocalToUtc(Utc(2024, 9, 29, 3, 0));  // 02:45 -> 03:45
  EXPECT_EQ(r.kind, LocalResolution::Kind::kNonexistent);
  EXPECT_EQ(r.utc, Utc(2024, 9, 28, 14, 15));
}

TEST(TzZone, LocalToUtcFallBackAmbiguity) {
  const Zone* ny = LoadZone("America/New_York");
  LocalResolution early = ny->LocalToUtc(Utc(2024, 11, 3, 1, 30), Ambiguous::kEarliest);
  LocalResolution late = ny->LocalToUtc(Utc(2024, 11, 3, 1, 30), Ambiguous::kLatest);
  EXPECT_EQ(early.kind, LocalResolution::Kind::kAmbiguous);
  EXPECT_EQ(early.utc, Utc(2024, 11, 3, 5, 30));
  EXPECT_EQ(late.utc, Utc(2024, 11, 3, 6, 30));
  const Zone* lh = LoadZone("Australia/Lord_Howe");  // 02:00 -> 01:30
  early = lh->LocalToUtc(Utc(2024, 4, 7, 1, 45), Ambiguous::kEarliest);
  late = lh->LocalToUtc(Utc(2024, 4, 7, 1, 45), Ambiguous::kLatest);
  EXPECT_EQ(early.kind, LocalResolution::Kind::kAmbiguous);
  EXPECT_EQ(early.utc, Utc(2024, 4, 6, 14, 45));
  EXPECT_EQ(late.utc, Utc(2024, 4, 6, 15, 15));
  // The instant right after the repeated half hour is unique again.
  EXPECT_EQ(lh->LocalToUtc(Utc(2024, 4, 7, 2, 0)).kind, LocalResolution::Kind::kUnique);
}

TEST(TzZone, UtcZoneAndCache) {
  const Zone* utc = LoadZone("UTC");
  EXPECT_EQ(utc->OffsetAt(Utc(2024, 6, 1, 0, 0)), 0);
  EXPECT_EQ(LoadZone("UTC"), utc);  // parsed once
}

TEST(TzZone, UnknownAndHostileNamesAreRejected) {
  for (const char* bad : {"Mars/Olympus", "", "../etc/passwd", "/etc/passwd", "America/",
                          "America//New_York", "America", "Europe/Paris\n", "zone.tab"}) {
    try {
      LoadZone(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.sqlstate(), "22023") << bad;
      EXPECT_NE(std::string(e.what()).find("is not known"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace dialer::tz
