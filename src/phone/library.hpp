// Internal to src/phone: access to Google's libphonenumber, the reference
// implementation. This header pulls in libphonenumber (and abseil/protobuf);
// it must never be included from src/pg, whose Postgres macros collide with them.
#pragma once

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <phonenumbers/shortnumberinfo.h>

#include <string>

namespace dialer::phone {

// libphonenumber's singleton, with its logger silenced on first use.
// Why silenced: its default logger writes to stdout/stderr, which in a
// Postgres backend lands in the server log for every odd input.
const i18n::phonenumbers::PhoneNumberUtil& Util();

// libphonenumber's short-number oracle (emergency and short codes).
const i18n::phonenumbers::ShortNumberInfo& ShortNumbers();

// The metadata libphonenumber compiled in, parsed once.
const i18n::phonenumbers::PhoneMetadataCollection& CompiledMetadata();

// A fingerprint (FNV-1a 64, hex) of the compiled-in metadata bytes.
const std::string& MetadataFingerprint();

}  // namespace dialer::phone
