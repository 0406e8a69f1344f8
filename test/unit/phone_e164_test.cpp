// The phone core's public API on known inputs: E.164 answers, reasons, error
// texts, regions, the canonical check, facts, safety flags and time zones.
#include <gtest/gtest.h>

#include <string>

#include <list>
#include <set>

#include "common/error.hpp"
#include "phone/fast_e164.hpp"
#include "phone/library.hpp"
#include "phone/phone.hpp"
#include "phone/region_rules.hpp"

namespace dialer::phone {
namespace {

// TryE164 as a string ("" when invalid).
std::string E164(const std::string& input, const std::string& region) {
  E164Text out;
  return TryE164(input, region, &out) ? std::string(out.view()) : std::string();
}

// The fast path alone: "?" when unsure, "" when invalid.
std::string Fast(const std::string& input, const std::string& region) {
  E164Text out;
  switch (FastE164(input, region, &out)) {
    case FastVerdict::kValid:
      return std::string(out.view());
    case FastVerdict::kInvalid:
      return "";
    default:
      return "?";
  }
}

TEST(PhoneE164, MessyShapesNormalise) {
  EXPECT_EQ(E164("(415) 555-2671", "US"), "+14155552671");
  EXPECT_EQ(E164("415.555.2671", "US"), "+14155552671");
  EXPECT_EQ(E164("+1-800-FLOWERS", ""), "+18003569377");
  EXPECT_EQ(E164("tel:+33 1 42 68 53 00", ""), "+33142685300");
  EXPECT_EQ(E164("0044 20 7946 0958", "DE"), "+442079460958");  // German IDD 00
  EXPECT_EQ(E164("011 44 20 7946 0958", "US"), "+442079460958");
  EXPECT_EQ(E164("020 7946 0958", "GB"), "+442079460958");
  EXPECT_EQ(E164("030 123456 ext. 12", "DE"), "+4930123456");
  EXPECT_EQ(E164("+1 650 253 0000 x 123", ""), "+16502530000");
  EXPECT_EQ(E164("\xEF\xBC\x8B\xEF\xBC\x91 650 253 0000", ""), "+16502530000");  // full-width
  EXPECT_EQ(E164("Tel: (650) 253-0000.", "US"), "+16502530000");
}

TEST(PhoneE164, InvalidInputsGiveNothing) {
  EXPECT_EQ(E164("", "US"), "");
  EXPECT_EQ(E164("abc", "US"), "");
  EXPECT_EQ(E164("415 555 2671", ""), "");  // national without a region
  EXPECT_EQ(E164("+1 415 555", ""), "");    // too short
  EXPECT_EQ(E164("+44 20 7946 0958 1234", ""), "");
  EXPECT_EQ(E164("+999 1234 5678", ""), "");  // no such calling code
}

TEST(PhoneE164, FastPathDecidesCommonShapes) {
  EXPECT_EQ(Fast("(415) 555-2671", "US"), "+14155552671");
  EXPECT_EQ(Fast("+44 20 7946 0958", ""), "+442079460958");
  EXPECT_EQ(Fast("1-800-FLOWERS", "US"), "+18003569377");
  EXPECT_EQ(Fast("+1 650 253 0000 ext. 12", ""), "+16502530000");
  EXPECT_EQ(Fast("+1 650 253 0000;ext=12", ""), "+16502530000");
  EXPECT_EQ(Fast("abc", "US"), "");
  // Shapes it leaves to libphonenumber.
  EXPECT_EQ(Fast("+1 650 253 0000;phone-context=x", ""), "?");
  EXPECT_EQ(Fast("+1\xE3\x80\x80"
                 "650 253 0000",
                 ""),
            "?");  // ideographic space
}

TEST(PhoneE164, ErrorNamesInputRegionAndReason) {
  E164Text out;
  try {
    E164OrThrow("415 555", "US", &out);
    FAIL() << "no error";
  } catch (const dialer::Error& e) {
    EXPECT_EQ(e.sqlstate(), "22023");
    EXPECT_STREQ(e.what(), "invalid phone number \"415 555\" for region US");
    EXPECT_EQ(e.detail(),
              "Reason: too_short. The number is shorter than any number of its country.");
    EXPECT_FALSE(e.hint().empty());
  }
  try {
    E164OrThrow("415 555 2671", "", &out);
    FAIL() << "no error";
  } catch (const dialer::Error& e) {
    EXPECT_STREQ(e.what(), "invalid phone number \"415 555 2671\" without a region");
    EXPECT_EQ(e.detail().rfind("Reason: no_region.", 0), 0u);
  }
}

TEST(PhoneE164, InputsOverTheCapAreRefusedWithoutParsing) {
  std::string junk_then_number = std::string(240, ' ') + "+1 650 253 0000";
  EXPECT_EQ(E164(junk_then_number.substr(10), ""), "+16502530000");  // 245 bytes: read
  EXPECT_EQ(E164(junk_then_number, ""), "");                         // 255 bytes: refused
  EXPECT_EQ(Describe(junk_then_number, "").reason, Reason::kInputTooLong);
  // A megabyte would take libphonenumber hours; refused at once.
  EXPECT_EQ(E164(std::string(1 << 20, '1'), "US"), "");
  EXPECT_THROW(TimeZones(std::string(1000, '1'), "US"), dialer::Error);
}

TEST(PhoneE164, LongInputIsCutInTheMessage) {
  std::string input(300, '9');
  E164Text out;
  try {
    E164OrThrow(input, "US", &out);
    FAIL() << "no error";
  } catch (const dialer::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "invalid phone number \"" + std::string(40, '9') + "...\" for region US");
  }
}

TEST(PhoneE164, ReasonsFollowLibphonenumber) {
  EXPECT_EQ(Describe("", "US").reason, Reason::kNotANumber);
  EXPECT_EQ(Describe("+999 1234 5678", "").reason, Reason::kInvalidCountryCode);
  EXPECT_EQ(Describe("011 1", "US").reason, Reason::kTooShortAfterIdd);
  EXPECT_EQ(Describe("+44 20 7946 0958 12345", "").reason, Reason::kTooLong);
  EXPECT_EQ(Describe("253 0000", "US").reason, Reason::kLocalOnly);
  EXPECT_EQ(Describe("+1 555 555 0100", "").reason, Reason::kUnassignedRange);
  EXPECT_EQ(Describe("+1 650 253 0000", "").reason, Reason::kValid);
}

TEST(PhoneRegion, CanonicalAndUnknown) {
  EXPECT_EQ(CanonicalRegion("us"), "US");
  EXPECT_EQ(CanonicalRegion(""), "");
  EXPECT_TRUE(IsSupportedRegion("gb"));
  EXPECT_FALSE(IsSupportedRegion("UK"));
  EXPECT_FALSE(IsSupportedRegion("001"));
  EXPECT_FALSE(IsSupportedRegion("ZZ"));
  try {
    CanonicalRegion("uk");
    FAIL() << "no error";
  } catch (const dialer::Error& e) {
    EXPECT_EQ(e.sqlstate(), "22023");
    EXPECT_STREQ(e.what(), "unknown region code \"uk\"");
    EXPECT_EQ(e.hint(), "The United Kingdom is 'GB'.");
  }
}

TEST(PhoneRegion, CallingCodeTablesMatchLibphonenumber) {
  const RuleBook& book = RuleBook::Get();
  for (int code = 1; code < 1000; ++code) {
    std::list<std::string> want;
    Util().GetRegionCodesForCountryCallingCode(code, &want);
    EXPECT_EQ(book.RegionsFor(code), std::vector<std::string>(want.begin(), want.end())) << code;
  }
  std::set<std::string> regions;
  Util().GetSupportedRegions(&regions);
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      std::string r{a, b};
      EXPECT_EQ(book.HasRegion(r), regions.count(r) == 1) << r;
    }
  }
}

TEST(PhoneCanonical, OnlyCanonicalValidNumbers) {
  EXPECT_TRUE(IsCanonicalE164("+14155552671"));
  EXPECT_FALSE(IsCanonicalE164("+1 415 555 2671"));
  EXPECT_FALSE(IsCanonicalE164("14155552671"));
  EXPECT_FALSE(IsCanonicalE164("+15555550100"));  // possible but unassigned
  EXPECT_FALSE(IsCanonicalE164(""));
}

TEST(PhoneFacts, DescribeKeepsPartsAndFormats) {
  PhoneFacts f = Describe("+1 650-253-0000 ext. 42", "");
  EXPECT_TRUE(f.valid);
  EXPECT_EQ(f.e164, "+16502530000");
  EXPECT_EQ(f.country_code, 1);
  EXPECT_EQ(f.number_region, "US");
  EXPECT_EQ(f.national_number, "6502530000");
  EXPECT_EQ(f.extension, "42");
  EXPECT_EQ(f.national_format, "(650) 253-0000");
  EXPECT_EQ(f.international_format, "+1 650-253-0000");
  EXPECT_TRUE(f.safe_to_dial);
  std::string json = dialer::json::Write(FactsJson(f));
  EXPECT_NE(json.find("\"extension\": \"42\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"type\": \"fixed_line_or_mobile\""), std::string::npos) << json;
}

TEST(PhoneFacts, SafetyFlags) {
  PhoneFacts emergency = Describe("911", "US");
  EXPECT_TRUE(emergency.emergency);
  EXPECT_FALSE(emergency.safe_to_dial);
  PhoneFacts premium = Describe("+1 900 234 5678", "");
  EXPECT_EQ(premium.type, NumberType::kPremiumRate);
  EXPECT_TRUE(premium.premium_rate);
  EXPECT_FALSE(premium.safe_to_dial);
  EXPECT_TRUE(Describe("112", "DE").emergency);
}

TEST(PhoneFacts, JsonEscapesTheInput) {
  std::string json = dialer::json::Write(FactsJson(Describe("a\"b\\c\n", "US")));
  EXPECT_NE(json.find("\"input\": \"a\\\"b\\\\c\\u000a\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"e164\": null"), std::string::npos) << json;
}

TEST(PhoneTimeZones, MostSpecificPrefixWinsAndCandidatesAreKept) {
  // +1 208 2.. is listed with two zones, but +1 208 23. only with Denver.
  EXPECT_EQ(TimeZones("+1 208 200 1234", ""),
            (std::vector<std::string>{"America/Boise", "America/Los_Angeles"}));
  EXPECT_EQ(TimeZones("+1 208 231 1234", ""), (std::vector<std::string>{"America/Denver"}));
  EXPECT_EQ(TimeZones("+1 212 555 0100", ""), (std::vector<std::string>{"America/New_York"}));
  EXPECT_EQ(TimeZones("(02) 9374 4000", "AU"), (std::vector<std::string>{"Australia/Sydney"}));
}

TEST(PhoneTimeZones, SingleZoneRegionsAnswerFromTzdata) {
  EXPECT_EQ(TimeZones("+44 20 7946 0958", ""), (std::vector<std::string>{"Europe/London"}));
  EXPECT_EQ(TimeZones("+1 876 555 1234", ""), (std::vector<std::string>{"America/Jamaica"}));
  EXPECT_EQ(TimeZones("+33 6 12 34 56 78", ""), (std::vector<std::string>{"Europe/Paris"}));
}

TEST(PhoneTimeZones, NonGeographicNumbersGetTheCountryList) {
  std::vector<std::string> zones = TimeZones("+1 800 555 0100", "");
  EXPECT_GT(zones.size(), 30u);
  EXPECT_TRUE(TimeZones("+800 1234 5678", "").empty());
  EXPECT_THROW(TimeZones("+1 555", ""), dialer::Error);
}

TEST(PhoneVersion, NamesVersionAndFingerprint) {
  std::string v = LibraryVersion();
  EXPECT_NE(v.find(" (metadata "), std::string::npos) << v;
  EXPECT_EQ(v.back(), ')');
  EXPECT_EQ(v.size(), v.find(" (metadata ") + 11 + 16 + 1) << v;
}

}  // namespace
}  // namespace dialer::phone
