// libFuzzer target for the phone parse path (make fuzz; ASan + UBSan).
// The first byte picks a region (or none), the rest is the phone text. Every
// entry point must survive any bytes, and the fast path must never disagree with
// libphonenumber: a disagreement aborts, so the fuzzer reports it as a crash.
// Inputs whose first byte is 0xFF instead fuzz the metadata-pattern compiler.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "phone/digit_pattern.hpp"
#include "phone/fast_e164.hpp"
#include "phone/phone.hpp"
#include "phone/reference.hpp"

namespace {

constexpr const char* kRegions[] = {"",   "US", "GB", "DE", "FR", "IT", "BR", "AR", "MX", "IN",
                                    "CN", "JP", "AU", "RU", "SG", "NZ", "ZA", "NG", "KR", "CA"};

// Compiles arbitrary text as a pattern and runs it on a few digit strings.
void FuzzPattern(std::string_view text) {
  std::unique_ptr<dialer::phone::DigitPattern> p = dialer::phone::DigitPattern::Compile(text);
  if (p == nullptr) return;
  bool gave_up = false;
  for (const char* s : {"", "0", "12345", "0011441234567890", "99999999999999999999"}) {
    p->FullMatch(s, &gave_up);
    p->MatchPrefix(s);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 0xFF) {
    FuzzPattern(text);
    return 0;
  }
  std::string_view region = kRegions[data[0] % (sizeof kRegions / sizeof *kRegions)];

  dialer::phone::E164Text fast, reference, tried;
  if (text.size() > dialer::phone::kMaxInputBytes) {
    // Capped before libphonenumber, whose parser is quadratic in the length.
    if (dialer::phone::TryE164(text, region, &tried)) std::abort();
    if (dialer::phone::Describe(text, region).reason != dialer::phone::Reason::kInputTooLong)
      std::abort();
    return 0;
  }
  dialer::phone::FastVerdict verdict = dialer::phone::FastE164(text, region, &fast);
  bool valid = dialer::phone::ReferenceE164(text, region, &reference);
  if (verdict != dialer::phone::FastVerdict::kUnsure &&
      ((verdict == dialer::phone::FastVerdict::kValid) != valid ||
       (valid && fast.view() != reference.view()))) {
    std::abort();  // the fast path disagreed with libphonenumber
  }
  if (dialer::phone::TryE164(text, region, &tried) != valid) std::abort();

  dialer::phone::PhoneFacts facts = dialer::phone::Describe(text, region);
  if (facts.valid != valid) std::abort();
  dialer::json::Write(dialer::phone::FactsJson(facts));
  dialer::phone::IsCanonicalE164(text);
  try {
    dialer::phone::TimeZones(text, region);
    dialer::phone::E164OrThrow(text, region, &tried);
  } catch (const dialer::Error&) {
    if (valid) std::abort();  // only invalid numbers may raise
  }
  return 0;
}
