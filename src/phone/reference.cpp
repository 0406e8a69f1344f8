// ReferenceE164: libphonenumber, used exactly as its documentation shows.
#include "phone/reference.hpp"

#include <string>

#include "phone/library.hpp"

namespace dialer::phone {

bool ReferenceE164(std::string_view input, std::string_view region, E164Text* out) {
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = Util();
  i18n::phonenumbers::PhoneNumber number;
  std::string region_code = region.empty() ? std::string("ZZ") : std::string(region);
  if (util.Parse(std::string(input), region_code, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
    return false;
  if (!util.IsValidNumber(number)) return false;
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return out->Assign(e164);
}

}  // namespace dialer::phone
