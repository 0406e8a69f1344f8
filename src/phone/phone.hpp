// dialer::phone — the public API of the phone core: E.164 normalisation with
// libphonenumber's IsValidNumber semantics, number facts, time-zone candidates.
// Free of libphonenumber and Postgres headers, so the boundary can include it.
//
// Regions are ISO 3166-1 alpha-2 codes as libphonenumber knows them; an empty
// region means "the input must be international (leading + or a known IDD)".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.hpp"
#include "phone/e164_text.hpp"

namespace dialer::phone {

// Inputs longer than this many bytes are invalid (kInputTooLong) and never
// reach libphonenumber. Why: its parser is quadratic in the input length (16,000
// characters take 15 s) and a C++ call cannot be cancelled by statement_timeout;
// 250 is Java libphonenumber's own MAX_INPUT_STRING_LENGTH.
inline constexpr size_t kMaxInputBytes = 250;

// Why a number is (not) valid, in the order libphonenumber finds out.
enum class Reason {
  kValid,
  kInputTooLong,        // longer than kMaxInputBytes
  kNotANumber,          // no phone number in the text at all
  kNoRegion,            // national input but no region to read it in
  kInvalidCountryCode,  // the digits after + / IDD are not a calling code
  kTooShortAfterIdd,    // too few digits after the international prefix
  kTooShort,            // fewer digits than any number of that country
  kTooLong,             // more digits than any number of that country
  kInvalidLength,       // a length no number of that country has
  kLocalOnly,           // a local number without its area code
  kUnassignedRange,     // a possible length, but not an assigned range
};

// libphonenumber's number types.
enum class NumberType {
  kFixedLine,
  kMobile,
  kFixedLineOrMobile,
  kTollFree,
  kPremiumRate,
  kSharedCost,
  kVoip,
  kPersonalNumber,
  kPager,
  kUan,
  kVoicemail,
  kUnknown,
};

// Everything we know about one input, for dialer.phone_info().
struct PhoneFacts {
  std::string input;
  std::string region;  // the region the input was read in ("" = none)
  bool valid = false;
  bool possible = false;  // libphonenumber's IsPossibleNumber
  Reason reason = Reason::kNotANumber;
  std::string e164;             // empty unless valid
  int country_code = 0;         // 0 when the input did not parse
  std::string number_region;    // region the number belongs to ("001" non-geo, "" unknown)
  std::string national_number;  // national significant number, "" when not parsed
  std::string extension;        // kept here because E.164 drops it
  NumberType type = NumberType::kUnknown;
  std::string national_format;       // "" unless valid
  std::string international_format;  // "" unless valid
  // Dialling safety: a dialer must never place these calls.
  bool emergency = false;     // an emergency number in the region (112, 911, ...)
  bool short_number = false;  // a valid short code (not a subscriber number)
  bool premium_rate = false;  // premium rate, by type or by short-code cost
  bool safe_to_dial = false;  // valid and none of the above
};

// Upper-cases and checks a region argument; "" stays "" (international only).
// Throws dialer::Error(22023) for codes libphonenumber does not support.
std::string CanonicalRegion(std::string_view region);

// True when region (any case) is a code libphonenumber supports.
bool IsSupportedRegion(std::string_view region);

// The E.164 form of a valid number, or false. region must be canonical.
// Gives libphonenumber's answer, mostly without calling it (fast_e164.hpp).
bool TryE164(std::string_view input, std::string_view region, E164Text* out);

// Like TryE164, but throws dialer::Error(22023) naming input, region and reason.
void E164OrThrow(std::string_view input, std::string_view region, E164Text* out);

// True when value is already the canonical E.164 text of a valid number.
bool IsCanonicalE164(std::string_view value);

// The region (ISO 3166-1 alpha-2, "001" non-geographic) a valid international number
// belongs to, or "" when it is not a valid number. Cheaper than Describe: no formats;
// a NANP number's region is remembered by area code once one valid number showed it
// (so an invalid number under a known area code gets that area code's region).
std::string NumberRegion(std::string_view e164);

// All facts about input read in region (canonical).
PhoneFacts Describe(std::string_view input, std::string_view region);

// The facts as a JSON object (the shape dialer.phone_info() returns).
json::Value FactsJson(const PhoneFacts& facts);

// Candidate IANA time zones for a valid number (timezones.cpp): the region's
// only zone when tzdata lists one, else libphonenumber's prefix map (most
// specific prefix wins; every candidate kept). Empty when nothing is known.
// Throws dialer::Error(22023) like E164OrThrow when the number is not valid.
std::vector<std::string> TimeZones(std::string_view input, std::string_view region);

// IANA zone names with static storage duration (views into the compiled-in table).
using ZoneNames = std::vector<std::string_view>;

// Candidate IANA time zones for a valid number at area-code precision
// (timezones.cpp): for a NANP (+1) number, the sorted union of the zones of every
// prefix under +1 and its area code, so a number that moved within the area code
// is still covered; otherwise, and for area codes without data (toll-free),
// exactly TimeZones(). The list lives as long as the process; nothing is
// allocated for a NANP number. Throws like TimeZones when the number is not valid.
const ZoneNames& AreaTimeZones(std::string_view input, std::string_view region);

// "<libphonenumber version> (metadata <fingerprint>)".
std::string LibraryVersion();

// Stable snake_case names used in SQL output and error details.
const char* ReasonName(Reason reason);
const char* TypeName(NumberType type);

}  // namespace dialer::phone
