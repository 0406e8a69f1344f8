// The fast path and TryE164 against libphonenumber's own verdict and E.164 text
// (Parse + IsValidNumber + Format): 120,000 generated messy inputs over 30
// regions, and every example number of every supported region in several
// writings. Any disagreement is a failure; the fast path may only abstain.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "phone/fast_e164.hpp"
#include "phone/library.hpp"
#include "phone/phone.hpp"
#include "phone/reference.hpp"
#include "phone_examples.hpp"
#include "phone_messy_inputs.hpp"

namespace dialer::phone {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;

// Tallies of one differential run.
struct Tally {
  size_t inputs = 0, valid = 0, fast_decided = 0, mismatches = 0;
};

// Compares fast path, TryE164 and libphonenumber on one input.
void Check(const std::string& text, const std::string& region, Tally* t) {
  E164Text want, fast, tried;
  bool valid = ReferenceE164(text, region, &want);
  FastVerdict verdict = FastE164(text, region, &fast);
  bool tried_ok = TryE164(text, region, &tried);
  ++t->inputs;
  t->valid += valid;
  bool ok = tried_ok == valid && (!valid || tried.view() == want.view());
  if (verdict != FastVerdict::kUnsure) {
    ++t->fast_decided;
    ok = ok && (verdict == FastVerdict::kValid) == valid && (!valid || fast.view() == want.view());
  }
  if (!ok && ++t->mismatches <= 20) {
    ADD_FAILURE() << "input [" << text << "] region [" << region << "]: libphonenumber "
                  << (valid ? std::string(want.view()) : "invalid") << ", fast "
                  << (verdict == FastVerdict::kUnsure  ? "unsure"
                      : verdict == FastVerdict::kValid ? std::string(fast.view())
                                                       : "invalid")
                  << ", try_e164 " << (tried_ok ? std::string(tried.view()) : "invalid");
  }
}

TEST(PhoneDifferential, MessyInputsAgreeWithLibphonenumber) {
  Util();  // silence libphonenumber's logger before the generator uses it
  testing::MessyInputs gen(20260101);
  Tally t;
  std::set<std::string> regions;
  for (int i = 0; i < 120000; ++i) {
    testing::MessyInput in = gen.Next();
    regions.insert(in.region);
    Check(in.text, in.region, &t);
  }
  EXPECT_EQ(t.mismatches, 0u);
  EXPECT_GE(regions.size(), 25u);
  // The corpus must exercise both answers, and the fast path must carry it.
  EXPECT_GT(t.valid, t.inputs / 3);
  EXPECT_LT(t.valid, t.inputs * 9 / 10);
  EXPECT_GE(t.fast_decided, t.inputs * 95 / 100);
  std::printf("messy: %zu inputs, %zu valid, fast path decided %zu, %zu mismatches\n", t.inputs,
              t.valid, t.fast_decided, t.mismatches);
}

// Every supported region: its example numbers of each type (and variants with
// the last digits changed), written nationally, internationally, as E.164, as
// tel: URIs and dialled from abroad, read in their own region, without a region
// and in two foreign ones.
TEST(PhoneDifferential, EveryRegionsExamplesAgreeWithLibphonenumber) {
  const PhoneNumberUtil& util = Util();
  std::set<std::string> supported;
  util.GetSupportedRegions(&supported);
  Tally t;
  for (const std::string& region : supported) {
    testing::ForEachExample(util, region, [&](const i18n::phonenumbers::PhoneNumber& example) {
      for (int variant = 0; variant < 3; ++variant) {
        i18n::phonenumbers::PhoneNumber n = example;
        n.set_national_number(n.national_number() + uint64_t(variant) * 7);
        std::string national, international, e164, rfc, from_us, from_de;
        util.Format(n, PhoneNumberUtil::NATIONAL, &national);
        util.Format(n, PhoneNumberUtil::INTERNATIONAL, &international);
        util.Format(n, PhoneNumberUtil::E164, &e164);
        util.Format(n, PhoneNumberUtil::RFC3966, &rfc);
        util.FormatOutOfCountryCallingNumber(n, "US", &from_us);
        util.FormatOutOfCountryCallingNumber(n, "DE", &from_de);
        for (const std::string& text : {national, international, e164, rfc}) {
          for (const std::string& in_region :
               {region, std::string(), std::string("US"), std::string("DE")})
            Check(text, in_region, &t);
        }
        Check(from_us, "US", &t);
        Check(from_de, "DE", &t);
      }
    });
  }
  EXPECT_EQ(t.mismatches, 0u);
  EXPECT_GT(t.inputs, 30000u);
  std::printf("examples: %zu inputs over %zu regions, %zu valid, fast path decided %zu\n", t.inputs,
              supported.size(), t.valid, t.fast_decided);
}

}  // namespace
}  // namespace dialer::phone
