// RegionRules and RuleBook: libphonenumber's metadata compiled for the fast path.
#include "phone/region_rules.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "phone/library.hpp"

namespace dialer::phone {
namespace {

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneNumberDesc;

// Bit set of lengths; false when a length is outside 0..63 (e.g. the -1 marker
// is handled by the caller).
bool LengthBits(const google::protobuf::RepeatedField<int32_t>& lengths, uint64_t* bits) {
  *bits = 0;
  for (int len : lengths) {
    if (len == -1) continue;  // "no numbers of this type": matches no length
    if (len < 0 || len > 63) return false;
    *bits |= uint64_t{1} << len;
  }
  return true;
}

// Compiles one PhoneNumberDesc; false when its pattern is outside the dialect.
bool CompileDesc(const PhoneNumberDesc& d, NumberDesc* out) {
  out->lengths_listed = d.possible_length_size() > 0;
  if (!LengthBits(d.possible_length(), &out->lengths)) return false;
  if (d.national_number_pattern().empty()) return true;
  out->pattern = DigitPattern::Compile(d.national_number_pattern());
  return out->pattern != nullptr;
}

// Splits a transform rule such as "8$1" into pieces; false for other syntax.
bool CompileTransform(const std::string& rule, std::vector<RegionRules::Piece>* out) {
  for (size_t i = 0; i < rule.size(); ++i) {
    char c = rule[i];
    if (c >= '0' && c <= '9') {
      if (out->empty() || out->back().group != 0) out->push_back({});
      out->back().literal += c;
    } else if (c == '$' && i + 1 < rule.size() && rule[i + 1] >= '1' && rule[i + 1] <= '9' &&
               (i + 2 == rule.size() || rule[i + 2] < '0' || rule[i + 2] > '9')) {
      out->push_back({"", rule[i + 1] - '0'});
      ++i;
    } else {
      return false;  // anything else would need ICU's full replacement syntax
    }
  }
  return true;
}

// The descs in GetNumberTypeHelper's order (RuleType kPremiumRate..kMobile).
const PhoneNumberDesc* TypedDesc(const PhoneMetadata& m, int t) {
  switch (static_cast<RuleType>(t)) {
    case RuleType::kPremiumRate:
      return &m.premium_rate();
    case RuleType::kTollFree:
      return &m.toll_free();
    case RuleType::kSharedCost:
      return &m.shared_cost();
    case RuleType::kVoip:
      return &m.voip();
    case RuleType::kPersonalNumber:
      return &m.personal_number();
    case RuleType::kPager:
      return &m.pager();
    case RuleType::kUan:
      return &m.uan();
    case RuleType::kVoicemail:
      return &m.voicemail();
    case RuleType::kFixedLine:
      return &m.fixed_line();
    default:
      return &m.mobile();
  }
}

// Compiles a whole metadata entry; usable=false if any part cannot be.
std::unique_ptr<RegionRules> CompileRules(const PhoneMetadata& m) {
  auto r = std::make_unique<RegionRules>();
  r->id = m.id();
  r->country_code = m.country_code();
  r->country_code_digits = std::to_string(m.country_code());
  r->same_mobile_and_fixed_line = m.same_mobile_and_fixed_line_pattern();
  bool ok = CompileDesc(m.general_desc(), &r->general);
  for (int t = 0; t < 10 && ok; ++t) ok = CompileDesc(*TypedDesc(m, t), &r->typed[t]);
  // Kept in metadata order: TestNumberLength reads the first and last entries.
  for (int len : m.general_desc().possible_length()) r->general_lengths.push_back(len);
  ok = ok && !r->general_lengths.empty() &&
       LengthBits(m.general_desc().possible_length_local_only(), &r->local_only_lengths);
  // Why "NonMatch" is not needed: a missing prefix is only used for the
  // unknown region, which has no entry; an empty pattern matches empty, as in ICU.
  r->international_prefix = DigitPattern::Compile(m.international_prefix());
  ok = ok && r->international_prefix != nullptr;
  if (!m.national_prefix_for_parsing().empty()) {
    r->national_prefix_for_parsing = DigitPattern::Compile(m.national_prefix_for_parsing());
    ok = ok && r->national_prefix_for_parsing != nullptr;
  }
  r->has_transform = !m.national_prefix_transform_rule().empty();
  if (r->has_transform)
    ok = ok && CompileTransform(m.national_prefix_transform_rule(), &r->transform);
  if (m.has_leading_digits()) {
    r->leading_digits = DigitPattern::Compile(m.leading_digits());
    ok = ok && r->leading_digits != nullptr;
  }
  r->usable = ok;
  return r;
}

}  // namespace

Tri NumberDesc::Matches(std::string_view nsn) const {
  if (lengths_listed && (nsn.size() > 63 || !(lengths >> nsn.size() & 1))) return Tri::kNo;
  if (!pattern) return Tri::kNo;  // an empty pattern never matches a number
  bool gave_up = false;
  bool m = pattern->FullMatch(nsn, &gave_up);
  if (gave_up) return Tri::kUnsure;
  return m ? Tri::kYes : Tri::kNo;
}

RuleType RegionRules::NumberType(std::string_view nsn, bool* unsure) const {
  auto is = [&](const NumberDesc& d) {
    Tri t = d.Matches(nsn);
    if (t == Tri::kUnsure) *unsure = true;
    return t == Tri::kYes;
  };
  *unsure = false;
  if (!is(general)) return RuleType::kUnknown;
  for (int t = 0; t < int(RuleType::kFixedLine); ++t) {
    if (is(typed[t])) return static_cast<RuleType>(t);
    if (*unsure) return RuleType::kUnknown;
  }
  const NumberDesc& mobile = typed[int(RuleType::kMobile)];
  if (is(typed[int(RuleType::kFixedLine)])) {
    if (same_mobile_and_fixed_line || is(mobile)) return RuleType::kFixedLineOrMobile;
    return RuleType::kFixedLine;
  }
  if (!same_mobile_and_fixed_line && is(mobile)) return RuleType::kMobile;
  return RuleType::kUnknown;
}

LengthCheck RegionRules::TestLength(size_t length) const {
  if (general_lengths.front() == -1) return LengthCheck::kInvalidLength;
  if (length <= 63 && (local_only_lengths >> length & 1)) return LengthCheck::kLocalOnly;
  size_t lo = size_t(general_lengths.front()), hi = size_t(general_lengths.back());
  if (length == lo) return LengthCheck::kPossible;
  if (length < lo) return LengthCheck::kTooShort;
  if (length > hi) return LengthCheck::kTooLong;
  bool listed = std::find(general_lengths.begin(), general_lengths.end(), int(length)) !=
                general_lengths.end();
  return listed ? LengthCheck::kPossible : LengthCheck::kInvalidLength;
}

// Where each metadata entry lives, and its rules once compiled.
struct RuleBook::Impl {
  struct Entry {
    const PhoneMetadata* metadata = nullptr;
    std::once_flag once;
    std::unique_ptr<RegionRules> rules;
  };
  std::vector<Entry> entries;
  // Entry index by two-letter region code: [(c0 - 'A') * 26 + (c1 - 'A')], -1 if none.
  std::vector<int> by_region = std::vector<int>(26 * 26, -1);
  std::map<int, size_t> non_geographic;                    // calling code -> entry of "001"
  std::vector<std::vector<std::string>> regions_for_code;  // index: calling code

  const RegionRules* Rules(size_t i) {
    Entry& e = entries[i];
    std::call_once(e.once, [&] { e.rules = CompileRules(*e.metadata); });
    return e.rules.get();
  }
};

RuleBook::RuleBook() : impl_(std::make_unique<Impl>()) {
  const auto& collection = CompiledMetadata();
  impl_->entries = std::vector<Impl::Entry>(size_t(collection.metadata_size()));
  impl_->regions_for_code.resize(1000);
  for (int i = 0; i < collection.metadata_size(); ++i) {
    const PhoneMetadata& m = collection.metadata(i);
    impl_->entries[size_t(i)].metadata = &m;
    if (m.id() == "001") {
      impl_->non_geographic[m.country_code()] = size_t(i);
    } else {
      int slot = RegionIndex(m.id());
      if (slot >= 0) impl_->by_region[size_t(slot)] = i;
    }
    // The same order as PhoneNumberUtil's constructor builds: the main region of
    // a calling code first, the others in metadata order. Built here so that the
    // fast path never has to initialise libphonenumber itself (~20 ms).
    if (m.id() == "ZZ" || m.country_code() <= 0 || m.country_code() >= 1000) continue;
    auto& regions = impl_->regions_for_code[size_t(m.country_code())];
    if (m.main_country_for_code())
      regions.insert(regions.begin(), m.id());
    else
      regions.push_back(m.id());
  }
}

bool RuleBook::HasRegion(std::string_view region) const {
  int slot = RegionIndex(region);
  return slot >= 0 && impl_->by_region[size_t(slot)] >= 0;
}

const RuleBook& RuleBook::Get() {
  static const RuleBook book;
  return book;
}

int RuleBook::RegionIndex(std::string_view region) const {
  if (region.size() != 2) return -1;
  unsigned a = unsigned(region[0] - 'A'), b = unsigned(region[1] - 'A');
  return a < 26 && b < 26 ? int(a * 26 + b) : -1;
}

const RegionRules* RuleBook::ForRegion(std::string_view region) const {
  int slot = RegionIndex(region);
  if (slot < 0 || impl_->by_region[size_t(slot)] < 0) return nullptr;
  return impl_->Rules(size_t(impl_->by_region[size_t(slot)]));
}

const RegionRules* RuleBook::ForCallingCode(int country_code, std::string_view region) const {
  if (region != "001") return ForRegion(region);
  auto it = impl_->non_geographic.find(country_code);
  return it == impl_->non_geographic.end() ? nullptr : impl_->Rules(it->second);
}

const std::vector<std::string>& RuleBook::RegionsFor(int country_code) const {
  static const std::vector<std::string> kNone;
  if (country_code <= 0 || country_code >= 1000) return kNone;
  return impl_->regions_for_code[size_t(country_code)];
}

}  // namespace dialer::phone
