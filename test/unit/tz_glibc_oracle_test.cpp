// Differential test of the TZif reader against glibc's independent reader of the
// same /usr/share/zoneinfo files: every zone, random instants 1900-2200.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tz/civil.hpp"
#include "tz/zone_cache.hpp"

namespace dialer::tz {
namespace {

// Every TZif zone name under the zoneinfo directory (without the posix/ and
// right/ mirrors; right/ counts leap seconds, which neither side should).
std::vector<std::string> AllZoneNames() {
  namespace fs = std::filesystem;
  std::vector<std::string> names;
  const fs::path root(kZoneinfoDir);
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string rel = fs::relative(it->path(), root).string();
    if (it->is_directory() && (rel == "posix" || rel == "right")) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    if (std::string(magic, 4) == "TZif" && rel.find('.') == std::string::npos) names.push_back(rel);
  }
  return names;
}

// glibc's UTC offset for a zone at an instant.
long GlibcOffset(const std::string& zone, int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  localtime_r(&tt, &tm);
  return tm.tm_gmtoff;
}

TEST(TzGlibcOracle, EveryZoneAgreesOnRandomInstants) {
  const std::vector<std::string> zones = AllZoneNames();
  ASSERT_GT(zones.size(), 300u);
  std::mt19937_64 rng(20240310);
  const int64_t lo = DaysFromCivil(1900, 1, 1) * kSecondsPerDay;
  const int64_t hi = DaysFromCivil(2200, 1, 1) * kSecondsPerDay;
  std::uniform_int_distribution<int64_t> any(lo, hi);
  int checked = 0;
  for (const std::string& name : zones) {
    setenv("TZ", (":" + name).c_str(), 1);
    tzset();
    const Zone* z = LoadZone(name);
    for (int i = 0; i < 300; ++i) {
      const int64_t t = any(rng);
      ASSERT_EQ(z->OffsetAt(t), GlibcOffset(name, t)) << name << " at " << t;
      ++checked;
    }
    // Both sides of every transition from 1970 on, where DST rules matter most.
    const int64_t from = DaysFromCivil(1970, 1, 1) * kSecondsPerDay;
    for (Segment s = z->SegmentAt(from); s.end < hi; s = z->SegmentAt(s.end)) {
      ASSERT_EQ(z->OffsetAt(s.end - 1), GlibcOffset(name, s.end - 1)) << name << " at " << s.end;
      ASSERT_EQ(z->OffsetAt(s.end), GlibcOffset(name, s.end)) << name << " at " << s.end;
      checked += 2;
    }
  }
  unsetenv("TZ");
  tzset();
  EXPECT_GT(checked, 100000);
}

}  // namespace
}  // namespace dialer::tz
