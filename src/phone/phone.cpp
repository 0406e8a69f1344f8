// The phone core's entry points: regions, E.164, canonical checks, version.
#include "phone/phone.hpp"

#include <dlfcn.h>

#include <climits>
#include <cstdlib>

#include "common/error.hpp"
#include "phone/fast_e164.hpp"
#include "phone/library.hpp"
#include "phone/messages.hpp"
#include "phone/reference.hpp"
#include "phone/region_rules.hpp"

namespace dialer::phone {

bool IsSupportedRegion(std::string_view region) {
  if (region.size() != 2) return false;
  std::string upper(region);
  for (char& c : upper) c = char(c >= 'a' && c <= 'z' ? c - 32 : c);
  return RuleBook::Get().HasRegion(upper);
}

std::string CanonicalRegion(std::string_view region) {
  if (region.empty()) return {};
  if (!IsSupportedRegion(region)) throw UnknownRegionError(region);
  std::string upper(region);
  for (char& c : upper) c = char(c >= 'a' && c <= 'z' ? c - 32 : c);
  return upper;
}

bool TryE164(std::string_view input, std::string_view region, E164Text* out) {
  if (input.size() > kMaxInputBytes) return false;
  switch (FastE164(input, region, out)) {
    case FastVerdict::kValid:
      return true;
    case FastVerdict::kInvalid:
      return false;
    case FastVerdict::kUnsure:
      break;
  }
  return ReferenceE164(input, region, out);
}

void E164OrThrow(std::string_view input, std::string_view region, E164Text* out) {
  if (TryE164(input, region, out)) return;
  // The error path may be slow: it asks libphonenumber why.
  throw InvalidNumberError(input, region, Describe(input, region).reason);
}

bool IsCanonicalE164(std::string_view value) {
  if (value.empty() || value[0] != '+') return false;
  E164Text e164;
  return TryE164(value, "", &e164) && e164.view() == value;
}

std::string LibraryVersion() {
  // Why at run time: the shared library can be upgraded under a built
  // extension; its file name carries the version and the metadata bytes tell
  // any change apart, even a data-only one.
  std::string version = "unknown";
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&i18n::phonenumbers::PhoneNumberUtil::GetInstance), &info) &&
      info.dli_fname != nullptr) {
    char resolved[PATH_MAX];
    if (realpath(info.dli_fname, resolved) != nullptr) {
      std::string file(resolved);
      const std::string marker = "libphonenumber.so.";
      size_t at = file.rfind(marker);
      if (at != std::string::npos) version = file.substr(at + marker.size());
    }
  }
  return version + " (metadata " + MetadataFingerprint() + ")";
}

const char* ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kValid:
      return "valid";
    case Reason::kInputTooLong:
      return "input_too_long";
    case Reason::kNotANumber:
      return "not_a_number";
    case Reason::kNoRegion:
      return "no_region";
    case Reason::kInvalidCountryCode:
      return "invalid_country_code";
    case Reason::kTooShortAfterIdd:
      return "too_short_after_idd";
    case Reason::kTooShort:
      return "too_short";
    case Reason::kTooLong:
      return "too_long";
    case Reason::kInvalidLength:
      return "invalid_length";
    case Reason::kLocalOnly:
      return "local_only";
    case Reason::kUnassignedRange:
      return "unassigned_range";
  }
  return "unknown";
}

const char* TypeName(NumberType type) {
  switch (type) {
    case NumberType::kFixedLine:
      return "fixed_line";
    case NumberType::kMobile:
      return "mobile";
    case NumberType::kFixedLineOrMobile:
      return "fixed_line_or_mobile";
    case NumberType::kTollFree:
      return "toll_free";
    case NumberType::kPremiumRate:
      return "premium_rate";
    case NumberType::kSharedCost:
      return "shared_cost";
    case NumberType::kVoip:
      return "voip";
    case NumberType::kPersonalNumber:
      return "personal_number";
    case NumberType::kPager:
      return "pager";
    case NumberType::kUan:
      return "uan";
    case NumberType::kVoicemail:
      return "voicemail";
    case NumberType::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace dialer::phone
