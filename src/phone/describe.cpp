// Describe and FactsJson: libphonenumber's full view of one input, for
// dialer.phone_info() and for error reasons (not a hot path).
#include <string>

#include "common/json.hpp"
#include "phone/library.hpp"
#include "phone/phone.hpp"

namespace dialer::phone {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;
using i18n::phonenumbers::ShortNumberInfo;

// Maps a Parse error; a missing calling code with no region is kNoRegion.
Reason ParseErrorReason(PhoneNumberUtil::ErrorType error, std::string_view input,
                        std::string_view region) {
  switch (error) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR: {
      bool has_plus = input.find('+') != std::string_view::npos ||
                      input.find("\xEF\xBC\x8B") != std::string_view::npos;  // full-width +
      return region.empty() && !has_plus ? Reason::kNoRegion : Reason::kInvalidCountryCode;
    }
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
      return Reason::kTooShortAfterIdd;
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return Reason::kTooShort;
    case PhoneNumberUtil::TOO_LONG_NSN:
      return Reason::kTooLong;
    default:
      return Reason::kNotANumber;
  }
}

// Maps IsPossibleNumberWithReason for a parsed number that is not valid.
Reason InvalidReason(PhoneNumberUtil::ValidationResult result) {
  switch (result) {
    case PhoneNumberUtil::IS_POSSIBLE:
      return Reason::kUnassignedRange;
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      return Reason::kLocalOnly;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return Reason::kInvalidCountryCode;
    case PhoneNumberUtil::TOO_SHORT:
      return Reason::kTooShort;
    case PhoneNumberUtil::TOO_LONG:
      return Reason::kTooLong;
    default:
      return Reason::kInvalidLength;
  }
}

NumberType MapType(PhoneNumberUtil::PhoneNumberType t) {
  switch (t) {
    case PhoneNumberUtil::FIXED_LINE:
      return NumberType::kFixedLine;
    case PhoneNumberUtil::MOBILE:
      return NumberType::kMobile;
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
      return NumberType::kFixedLineOrMobile;
    case PhoneNumberUtil::TOLL_FREE:
      return NumberType::kTollFree;
    case PhoneNumberUtil::PREMIUM_RATE:
      return NumberType::kPremiumRate;
    case PhoneNumberUtil::SHARED_COST:
      return NumberType::kSharedCost;
    case PhoneNumberUtil::VOIP:
      return NumberType::kVoip;
    case PhoneNumberUtil::PERSONAL_NUMBER:
      return NumberType::kPersonalNumber;
    case PhoneNumberUtil::PAGER:
      return NumberType::kPager;
    case PhoneNumberUtil::UAN:
      return NumberType::kUan;
    case PhoneNumberUtil::VOICEMAIL:
      return NumberType::kVoicemail;
    default:
      return NumberType::kUnknown;
  }
}

// Fills the dialling-safety flags from the short-number metadata.
void FillSafety(const i18n::phonenumbers::PhoneNumber* number, std::string_view input,
                PhoneFacts* f) {
  const ShortNumberInfo& shorts = ShortNumbers();
  std::string region = f->region.empty() ? f->number_region : f->region;
  if (!region.empty() && region != "001")
    f->emergency = shorts.IsEmergencyNumber(std::string(input), region);
  if (number != nullptr) {
    f->short_number = shorts.IsValidShortNumber(*number);
    f->premium_rate =
        f->type == NumberType::kPremiumRate ||
        (f->short_number && shorts.GetExpectedCost(*number) == ShortNumberInfo::PREMIUM_RATE);
  }
  f->safe_to_dial = f->valid && !f->emergency && !f->short_number && !f->premium_rate;
}

// A string member, or null when the fact is not present.
json::Value OptionalString(std::string_view value, bool present) {
  return present ? json::Value::String(std::string(value)) : json::Value();
}

}  // namespace

PhoneFacts Describe(std::string_view input, std::string_view region) {
  PhoneFacts f;
  f.input = std::string(input);
  f.region = std::string(region);
  if (input.size() > kMaxInputBytes) {
    f.reason = Reason::kInputTooLong;
    return f;
  }
  const PhoneNumberUtil& util = Util();
  i18n::phonenumbers::PhoneNumber n;
  PhoneNumberUtil::ErrorType error =
      util.Parse(f.input, region.empty() ? std::string("ZZ") : f.region, &n);
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) {
    f.reason = ParseErrorReason(error, input, region);
    FillSafety(nullptr, input, &f);
    return f;
  }
  f.country_code = n.country_code();
  util.GetNationalSignificantNumber(n, &f.national_number);
  f.extension = n.extension();
  util.GetRegionCodeForNumber(n, &f.number_region);
  if (f.number_region == "ZZ") f.number_region.clear();
  f.valid = util.IsValidNumber(n);
  PhoneNumberUtil::ValidationResult possible = util.IsPossibleNumberWithReason(n);
  f.possible = possible == PhoneNumberUtil::IS_POSSIBLE ||
               possible == PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY;
  f.type = MapType(util.GetNumberType(n));
  if (f.valid) {
    f.reason = Reason::kValid;
    util.Format(n, PhoneNumberUtil::E164, &f.e164);
    i18n::phonenumbers::PhoneNumber plain = n;
    plain.clear_extension();  // formats show the number; the extension has its own field
    util.Format(plain, PhoneNumberUtil::NATIONAL, &f.national_format);
    util.Format(plain, PhoneNumberUtil::INTERNATIONAL, &f.international_format);
  } else {
    f.reason = InvalidReason(possible);
  }
  FillSafety(&n, input, &f);
  return f;
}

json::Value FactsJson(const PhoneFacts& f) {
  const bool parsed = f.country_code != 0;
  json::Value out = json::Value::Object();
  out.Add("input", json::Value::String(f.input));
  out.Add("region", OptionalString(f.region, !f.region.empty()));
  out.Add("valid", json::Value::Bool(f.valid));
  out.Add("possible", json::Value::Bool(f.possible));
  out.Add("reason", json::Value::String(std::string(ReasonName(f.reason))));
  out.Add("e164", OptionalString(f.e164, f.valid));
  out.Add("country_code", parsed ? json::Value::Integer(f.country_code) : json::Value());
  out.Add("number_region", OptionalString(f.number_region, !f.number_region.empty()));
  out.Add("national_number", OptionalString(f.national_number, parsed));
  out.Add("extension", OptionalString(f.extension, !f.extension.empty()));
  out.Add("type", OptionalString(TypeName(f.type), parsed));
  out.Add("national_format", OptionalString(f.national_format, f.valid));
  out.Add("international_format", OptionalString(f.international_format, f.valid));
  out.Add("emergency", json::Value::Bool(f.emergency));
  out.Add("short_number", json::Value::Bool(f.short_number));
  out.Add("premium_rate", json::Value::Bool(f.premium_rate));
  out.Add("safe_to_dial", json::Value::Bool(f.safe_to_dial));
  return out;
}

}  // namespace dialer::phone
