// libphonenumber's example numbers as the phone unit tests walk them: one per number
// type a region supports (types without an example are skipped).
#pragma once

#include <phonenumbers/phonenumberutil.h>

#include <set>
#include <string>

namespace dialer::phone::testing {

// Calls visit(example) for the example number of every type region supports.
template <typename Visit>
void ForEachExample(const i18n::phonenumbers::PhoneNumberUtil& util, const std::string& region,
                    Visit visit) {
  std::set<i18n::phonenumbers::PhoneNumberUtil::PhoneNumberType> types;
  util.GetSupportedTypesForRegion(region, &types);
  for (i18n::phonenumbers::PhoneNumberUtil::PhoneNumberType type : types) {
    i18n::phonenumbers::PhoneNumber example;
    if (util.GetExampleNumberForType(region, type, &example)) visit(example);
  }
}

}  // namespace dialer::phone::testing
