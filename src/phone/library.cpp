// The libphonenumber singletons and its compiled-in metadata.
#include "phone/library.hpp"

#include <phonenumbers/logger.h>

#include <cstdint>
#include <cstdio>
#include <stdexcept>

// Why declared here: libphonenumber exports these but does not install
// metadata.h; they hand out the protobuf bytes it builds itself from.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace dialer::phone {

const i18n::phonenumbers::PhoneNumberUtil& Util() {
  static i18n::phonenumbers::PhoneNumberUtil* util = [] {
    auto* u = i18n::phonenumbers::PhoneNumberUtil::GetInstance();
    u->SetLogger(new i18n::phonenumbers::NullLogger());  // the util takes ownership
    return u;
  }();
  return *util;
}

const i18n::phonenumbers::ShortNumberInfo& ShortNumbers() {
  Util();  // silence the shared logger before the short-number data loads
  static const i18n::phonenumbers::ShortNumberInfo info;
  return info;
}

const i18n::phonenumbers::PhoneMetadataCollection& CompiledMetadata() {
  // Why no Util() here: reading the metadata must not cost libphonenumber's own
  // start-up; protobuf parsing needs nothing from it.
  static const i18n::phonenumbers::PhoneMetadataCollection collection = [] {
    i18n::phonenumbers::PhoneMetadataCollection c;
    if (!c.ParseFromArray(i18n::phonenumbers::metadata_get(),
                          i18n::phonenumbers::metadata_size())) {
      throw std::runtime_error("libphonenumber's compiled-in metadata could not be parsed");
    }
    return c;
  }();
  return collection;
}

const std::string& MetadataFingerprint() {
  static const std::string fingerprint = [] {
    const auto* bytes = static_cast<const unsigned char*>(i18n::phonenumbers::metadata_get());
    uint64_t h = 14695981039346656037ull;
    for (int i = 0; i < i18n::phonenumbers::metadata_size(); ++i) {
      h = (h ^ bytes[i]) * 1099511628211ull;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return std::string(hex);
  }();
  return fingerprint;
}

}  // namespace dialer::phone
