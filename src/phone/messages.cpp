// Error texts of the phone core; pinned by sql/phone_errors.sql.
#include "phone/messages.hpp"

namespace dialer::phone {
namespace {

constexpr size_t kMaxQuotedChars = 40;

const char* ReasonHint(Reason reason) {
  switch (reason) {
    case Reason::kNoRegion:
      return "Pass the region the number was written in (an ISO 3166 code such as 'US'), or write "
             "the number internationally with a leading + and its country calling code.";
    case Reason::kInvalidCountryCode:
      return "Check the country calling code after the + (e.g. +44 for GB); with a region, write "
             "national numbers without a leading +.";
    case Reason::kLocalOnly:
      return "Add the area code.";
    case Reason::kValid:
    case Reason::kInputTooLong:
    case Reason::kNotANumber:
    case Reason::kTooShortAfterIdd:
    case Reason::kTooShort:
    case Reason::kTooLong:
    case Reason::kInvalidLength:
    case Reason::kUnassignedRange:
      break;
  }
  return "Check the digits and the region; dialer.phone_info() shows how the input was read, and "
         "dialer.try_e164() returns NULL instead of raising.";
}

}  // namespace

const char* ReasonSentence(Reason reason) {
  switch (reason) {
    case Reason::kValid:
      return "The number is valid.";
    case Reason::kInputTooLong:
      return "The text is longer than 250 bytes; no phone number is read from longer text.";
    case Reason::kNotANumber:
      return "The text does not contain a phone number.";
    case Reason::kNoRegion:
      return "The number has no country calling code and no region was given to read it in.";
    case Reason::kInvalidCountryCode:
      return "The digits after the + or international prefix are not a country calling code.";
    case Reason::kTooShortAfterIdd:
      return "Too few digits follow the international prefix.";
    case Reason::kTooShort:
      return "The number is shorter than any number of its country.";
    case Reason::kTooLong:
      return "The number is longer than any number of its country.";
    case Reason::kInvalidLength:
      return "No number of its country has this many digits.";
    case Reason::kLocalOnly:
      return "The number is a local number without its area code.";
    case Reason::kUnassignedRange:
      return "The length is right, but the number is in a range that is not assigned.";
  }
  return "";
}

std::string QuoteForMessage(std::string_view input) {
  std::string out;
  size_t chars = 0, i = 0;
  while (i < input.size() && chars < kMaxQuotedChars) {
    unsigned char c = static_cast<unsigned char>(input[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + len > input.size()) len = 1;
    if (c < 0x20 || c == 0x7F)
      out += '?';
    else
      out.append(input.substr(i, len));
    i += len;
    ++chars;
  }
  if (i < input.size()) out += "...";
  return out;
}

dialer::Error InvalidNumberError(std::string_view input, std::string_view region, Reason reason) {
  std::string message = "invalid phone number \"" + QuoteForMessage(input) + "\"";
  message +=
      region.empty() ? std::string(" without a region") : " for region " + std::string(region);
  std::string detail = std::string("Reason: ") + ReasonName(reason) + ". " + ReasonSentence(reason);
  return dialer::Error(sqlstate::kInvalidParameterValue, message, detail, ReasonHint(reason));
}

dialer::Error UnknownRegionError(std::string_view region) {
  std::string upper(region);
  for (char& c : upper) c = char(c >= 'a' && c <= 'z' ? c - 32 : c);
  std::string hint = upper == "UK" ? "The United Kingdom is 'GB'."
                                   : "Pass NULL as the region when every number is written "
                                     "internationally with a leading +.";
  return dialer::Error(sqlstate::kInvalidParameterValue,
                       "unknown region code \"" + QuoteForMessage(region) + "\"",
                       "Regions are ISO 3166-1 alpha-2 codes known to libphonenumber, such as "
                       "US, GB or DE.",
                       hint);
}

}  // namespace dialer::phone
