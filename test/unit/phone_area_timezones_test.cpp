// AreaTimeZones (candidate zones at area-code precision) against an independent
// reading of the same compiled-in data: a regex over its lines and std::set
// unions, where the implementation indexes binary prefixes into a per-NPA array.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <list>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "phone/library.hpp"
#include "phone/phone.hpp"
#include "phone_examples.hpp"

namespace dialer::phone {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;
using Zones = std::vector<std::string>;

// The bytes the core compiles in (the generated .inc), included a second time.
constexpr const char kCompiledData[] =
#include "phone/timezone_data.inc"
    ;

// One NANP prefix line of the data: "P|1<npa><more digits>|<zone>&<zone>...".
struct NanpPrefix {
  std::string digits;  // the whole prefix, "1270202"
  std::set<std::string> zones;
};

// Every NANP prefix of at least four digits, read line by line with a regex.
std::vector<NanpPrefix> ReadNanpPrefixes() {
  static const std::regex kLine(R"(P\|(1[0-9]{3}[0-9]*)\|(.*))");
  std::vector<NanpPrefix> out;
  std::istringstream text(kCompiledData);
  for (std::string line; std::getline(text, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, kLine)) continue;
    NanpPrefix p{m[1].str(), {}};
    std::istringstream zones(m[2].str());
    for (std::string zone; std::getline(zones, zone, '&');)
      if (zone != "Etc/Unknown") p.zones.insert(zone);
    out.push_back(std::move(p));
  }
  return out;
}

// Area code -> the union of the zones of its prefixes, computed independently.
std::map<std::string, std::set<std::string>> IndependentUnions() {
  std::map<std::string, std::set<std::string>> unions;
  for (const NanpPrefix& p : ReadNanpPrefixes())
    unions[p.digits.substr(1, 3)].insert(p.zones.begin(), p.zones.end());
  return unions;
}

// AreaTimeZones as owned strings.
Zones Area(const std::string& input, const std::string& region = "") {
  const ZoneNames& zones = AreaTimeZones(input, region);
  return Zones(zones.begin(), zones.end());
}

// "+<prefix><fill>" as a valid 11-digit NANP number, or "" when no fill is valid.
std::string ValidNumberUnder(const std::string& prefix) {
  for (const std::string fill : {"2345678901", "9876543210", "5550123456", "3216549870"}) {
    std::string candidate = "+" + prefix + fill.substr(0, 11 - prefix.size());
    E164Text out;
    if (TryE164(candidate, "", &out)) return candidate;
  }
  return "";
}

// True when every element of part is in whole.
bool IsSubset(const Zones& part, const Zones& whole) {
  return std::all_of(part.begin(), part.end(), [&](const std::string& z) {
    return std::find(whole.begin(), whole.end(), z) != whole.end();
  });
}

TEST(PhoneAreaTimeZones, AreaCodesSpanningTwoZonesGiveBoth) {
  const Zones both{"America/Chicago", "America/New_York"};
  EXPECT_EQ(Area("+1 270 200 1234"), both);
  EXPECT_EQ(Area("+1 850 200 1234"), both);
  EXPECT_EQ(Area("(270) 200-1234", "US"), both);
  // At exchange precision each is a single zone: the gap this function closes.
  EXPECT_EQ(TimeZones("+1 270 200 1234", ""), Zones{"America/New_York"});
  EXPECT_EQ(TimeZones("+1 850 200 1234", ""), Zones{"America/Chicago"});
}

TEST(PhoneAreaTimeZones, SingleZoneAreaCodeGivesOneZone) {
  EXPECT_EQ(Area("+1 212 555 0100"), Zones{"America/New_York"});
  EXPECT_EQ(Area("(415) 555-2671", "US"), Zones{"America/Los_Angeles"});
  EXPECT_EQ(Area("+1 876 555 1234"), Zones{"America/Jamaica"});
}

// The generated list: every NANP area code in the data, tested on a valid number
// under every one of its listed prefixes; the multi-zone ones must all be covered.
TEST(PhoneAreaTimeZones, EveryNanpAreaCodeGivesTheUnionOfItsPrefixes) {
  std::map<std::string, std::set<std::string>> unions = IndependentUnions();
  std::set<std::string> multi, multi_tested;
  for (const auto& [npa, zones] : unions)
    if (zones.size() > 1) multi.insert(npa);
  EXPECT_EQ(multi.count("270"), 1u);
  EXPECT_EQ(multi.count("850"), 1u);
  size_t numbers = 0, narrower_by_exchange = 0;
  for (const NanpPrefix& p : ReadNanpPrefixes()) {
    std::string npa = p.digits.substr(1, 3), number = ValidNumberUnder(p.digits);
    if (number.empty()) continue;
    ++numbers;
    Zones got = Area(number), exchange = TimeZones(number, "");
    EXPECT_EQ(got, Zones(unions[npa].begin(), unions[npa].end())) << number;
    EXPECT_TRUE(IsSubset(exchange, got)) << number;
    if (multi.count(npa) != 0) multi_tested.insert(npa);
    if (exchange.size() < got.size()) ++narrower_by_exchange;
  }
  EXPECT_EQ(multi_tested, multi);
  EXPECT_GT(numbers, 1000u);
  EXPECT_GT(narrower_by_exchange, 0u);
  std::printf(
      "area zones: %zu NANP area codes, %zu multi-zone, %zu numbers, %zu narrower by exchange\n",
      unions.size(), multi.size(), numbers, narrower_by_exchange);
}

// Non-NANP: every region's example number of every type, in E.164 and read
// nationally in its region, gets exactly TimeZones' answer.
TEST(PhoneAreaTimeZones, NonNanpNumbersEqualTimeZones) {
  const PhoneNumberUtil& util = Util();
  std::set<std::string> regions;
  util.GetSupportedRegions(&regions);
  size_t checked = 0;
  for (const std::string& region : regions) {
    if (util.GetCountryCodeForRegion(region) == 1) continue;
    testing::ForEachExample(util, region, [&](const i18n::phonenumbers::PhoneNumber& example) {
      std::string e164, national;
      util.Format(example, PhoneNumberUtil::E164, &e164);
      util.Format(example, PhoneNumberUtil::NATIONAL, &national);
      for (const auto& [input, in_region] : {std::pair{e164, std::string()}, {national, region}}) {
        E164Text out;
        if (!TryE164(input, in_region, &out)) continue;
        ++checked;
        EXPECT_EQ(Area(input, in_region), TimeZones(input, in_region)) << input << " " << in_region;
      }
    });
  }
  EXPECT_GT(checked, 1000u);
}

// NANP examples of every region and type: never fewer candidates than TimeZones
// (toll-free and other area codes without data keep all of +1's zones).
TEST(PhoneAreaTimeZones, NanpNumbersKeepEveryExchangeCandidate) {
  const PhoneNumberUtil& util = Util();
  std::list<std::string> regions;
  util.GetRegionCodesForCountryCallingCode(1, &regions);
  for (const std::string& region : regions) {
    testing::ForEachExample(util, region, [&](const i18n::phonenumbers::PhoneNumber& example) {
      std::string e164;
      util.Format(example, PhoneNumberUtil::E164, &e164);
      EXPECT_TRUE(IsSubset(TimeZones(e164, ""), Area(e164))) << e164;
    });
  }
  EXPECT_EQ(Area("+1 800 555 0100"), TimeZones("+1 800 555 0100", ""));
  EXPECT_GT(Area("+1 800 555 0100").size(), 30u);
  // Canada's seven-digit 310-xxxx numbers have no area code (310 is Los Angeles).
  EXPECT_EQ(Area("+1 310 1234"), TimeZones("+1 310 1234", ""));
  EXPECT_GT(Area("+1 310 1234").size(), 30u);
}

TEST(PhoneAreaTimeZones, InvalidNumbersRaiseWhatTimeZonesRaises) {
  for (const std::string input : {"+1 555", "+1 555 555 0100", "not a number", "+999 1"}) {
    std::string area_error, exchange_error;
    try {
      AreaTimeZones(input, "");
    } catch (const dialer::Error& e) {
      area_error = std::string(e.sqlstate()) + e.what() + e.detail() + e.hint();
    }
    try {
      TimeZones(input, "");
    } catch (const dialer::Error& e) {
      exchange_error = std::string(e.sqlstate()) + e.what() + e.detail() + e.hint();
    }
    EXPECT_FALSE(area_error.empty()) << input;
    EXPECT_EQ(area_error, exchange_error) << input;
  }
  EXPECT_THROW(AreaTimeZones(std::string(1000, '1'), "US"), dialer::Error);
}

TEST(PhoneAreaTimeZones, AnswersAreSortedWithoutDuplicates) {
  for (const std::string input : {"+1 907 200 1234", "+1 867 200 1234", "+1 605 200 1234"}) {
    Zones z = Area(input);
    EXPECT_TRUE(std::is_sorted(z.begin(), z.end())) << input;
    EXPECT_EQ(std::adjacent_find(z.begin(), z.end()), z.end()) << input;
  }
}

// The test reads the compiled-in text; the committed data file must be the same.
TEST(PhoneAreaTimeZones, CompiledDataIsTheCommittedDataFile) {
  std::string here = __FILE__;
  std::ifstream file(here.substr(0, here.rfind("test/unit/")) + "data/phone_timezones.txt");
  if (!file) GTEST_SKIP() << "data/phone_timezones.txt not found from " << here;
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_EQ(std::string(kCompiledData), "\n" + text.str());
}

}  // namespace
}  // namespace dialer::phone
