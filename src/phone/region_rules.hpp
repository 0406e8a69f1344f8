// RegionRules: one libphonenumber metadata entry (a region, or a non-geographic
// calling code) compiled into DigitPatterns, plus the calling-code tables the
// fast normaliser needs. Built lazily, once per entry, from the metadata that
// libphonenumber itself compiles in, so both always agree on the data.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "phone/digit_pattern.hpp"

namespace dialer::phone {

// The result of a check whose answer may be unknown (a pattern gave up).
enum class Tri : uint8_t { kNo, kYes, kUnsure };

// One PhoneNumberDesc: possible lengths and the national-number pattern.
struct NumberDesc {
  bool lengths_listed = false;            // possible_length is non-empty
  uint64_t lengths = 0;                   // bit L set when length L is listed
  std::unique_ptr<DigitPattern> pattern;  // null when the pattern is empty

  // libphonenumber's IsNumberMatchingDesc.
  Tri Matches(std::string_view nsn) const;
};

// libphonenumber's number types, in the order its GetNumberTypeHelper tests them.
enum class RuleType : uint8_t {
  kPremiumRate,
  kTollFree,
  kSharedCost,
  kVoip,
  kPersonalNumber,
  kPager,
  kUan,
  kVoicemail,
  kFixedLine,
  kMobile,
  kFixedLineOrMobile,
  kUnknown,
};

// Outcome of TestNumberLength for the general description.
enum class LengthCheck : uint8_t { kPossible, kLocalOnly, kTooShort, kTooLong, kInvalidLength };

struct RegionRules {
  std::string id;  // "US", or "001" for a non-geographic calling code
  int country_code = 0;
  std::string country_code_digits;  // country_code in decimal
  // False when some pattern is outside the DigitPattern dialect; inputs that
  // need this entry are then left to libphonenumber.
  bool usable = false;

  NumberDesc general;
  NumberDesc typed[10];  // indexed by RuleType kPremiumRate..kMobile
  bool same_mobile_and_fixed_line = false;
  std::vector<int> general_lengths;  // possible lengths of general_desc, metadata order
  uint64_t local_only_lengths = 0;

  std::unique_ptr<DigitPattern> international_prefix;         // never null when usable
  std::unique_ptr<DigitPattern> national_prefix_for_parsing;  // null when empty
  // national_prefix_transform_rule split into literal digits and group numbers.
  struct Piece {
    std::string literal;
    int group = 0;  // 0: literal; otherwise the $group to substitute
  };
  bool has_transform = false;
  std::vector<Piece> transform;
  std::unique_ptr<DigitPattern> leading_digits;  // null when absent

  // libphonenumber's GetNumberTypeHelper (kUnknown: no type matched).
  RuleType NumberType(std::string_view nsn, bool* unsure) const;
  // libphonenumber's TestNumberLength(number, metadata) for the general desc.
  LengthCheck TestLength(size_t length) const;
};

// Calling-code tables and lazily compiled rules for every metadata entry.
class RuleBook {
 public:
  // The process-wide instance, built from libphonenumber's compiled-in metadata.
  static const RuleBook& Get();

  // True when region is an upper-case code libphonenumber has metadata for.
  bool HasRegion(std::string_view region) const;
  // Rules for a region code ("US"); null when unknown or "001".
  const RegionRules* ForRegion(std::string_view region) const;
  // Rules libphonenumber uses for (calling code, region): the non-geographic
  // entry when region is "001".
  const RegionRules* ForCallingCode(int country_code, std::string_view region) const;
  // The regions sharing a calling code, main region first (empty if unknown).
  const std::vector<std::string>& RegionsFor(int country_code) const;

  struct Impl;

 private:
  // Entry index for an upper-case two-letter code, or -1.
  int RegionIndex(std::string_view region) const;

  RuleBook();
  std::unique_ptr<Impl> impl_;
};

}  // namespace dialer::phone
