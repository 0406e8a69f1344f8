// TimeZones: candidate IANA zones for a number, from the generated
// data/phone_timezones.txt compiled in as src/phone/timezone_data.inc.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "phone/library.hpp"
#include "phone/messages.hpp"
#include "phone/phone.hpp"

namespace dialer::phone {
namespace {

// The generated table, compiled in (no file is read at run time).
constexpr const char kTimeZoneData[] =
#include "phone/timezone_data.inc"
    ;

// Prefix -> zones, sorted by prefix value per length for binary search.
// Prefixes never start with 0 (they begin with a calling code), so a prefix's
// numeric value and length identify it.
class TimeZoneTable {
 public:
  static const TimeZoneTable& Get() {
    static const TimeZoneTable table(kTimeZoneData);
    return table;
  }

  // The zones of the longest listed prefix of digits; null when none.
  const std::vector<std::string_view>* Longest(std::string_view digits) const {
    for (size_t len = std::min(digits.size(), by_length_.size() - 1); len > 0; --len) {
      const auto& entries = by_length_[len];
      uint64_t key = 0;
      for (size_t i = 0; i < len; ++i) key = key * 10 + uint64_t(digits[i] - '0');
      auto it = std::lower_bound(entries.begin(), entries.end(), std::make_pair(key, uint32_t{0}));
      if (it != entries.end() && it->first == key) return &lists_[it->second];
    }
    return nullptr;
  }

  // The zone of a region that tzdata lists with exactly one zone, or "".
  std::string_view SingleZone(std::string_view region) const {
    for (const auto& [r, zone] : single_zone_)
      if (r == region) return zone;
    return {};
  }

 private:
  explicit TimeZoneTable(std::string_view text) {
    size_t at = 0;
    while (at < text.size()) {
      size_t end = text.find('\n', at);
      if (end == std::string_view::npos) end = text.size();
      AddLine(text.substr(at, end - at));
      at = end + 1;
    }
    for (auto& entries : by_length_) std::sort(entries.begin(), entries.end());
  }

  // Parses "P|<prefix>|<zone>&<zone>" or "C|<region>|<zone>"; skips comments.
  void AddLine(std::string_view line) {
    if (line.size() < 4 || line[1] != '|') return;
    size_t bar = line.find('|', 2);
    if (bar == std::string_view::npos) return;
    std::string_view key = line.substr(2, bar - 2), value = line.substr(bar + 1);
    if (line[0] == 'C') {
      single_zone_.emplace_back(key, value);
      return;
    }
    if (line[0] != 'P' || key.empty() || key.size() > 18) return;
    std::vector<std::string_view> zones;
    for (size_t s = 0; s <= value.size();) {
      size_t amp = std::min(value.find('&', s), value.size());
      if (amp > s) zones.push_back(value.substr(s, amp - s));
      s = amp + 1;
    }
    uint64_t number = 0;
    for (char c : key) number = number * 10 + uint64_t(c - '0');
    if (by_length_.size() <= key.size()) by_length_.resize(key.size() + 1);
    by_length_[key.size()].emplace_back(number, uint32_t(lists_.size()));
    lists_.push_back(std::move(zones));
  }

  std::vector<std::vector<std::pair<uint64_t, uint32_t>>> by_length_ =
      std::vector<std::vector<std::pair<uint64_t, uint32_t>>>(1);
  std::vector<std::vector<std::string_view>> lists_;
  std::vector<std::pair<std::string_view, std::string_view>> single_zone_;
};

// Recent answers of TimeZones, direct-mapped by a hash of (input, region).
// Why: the dialer asks for the zones of one number several times per call (the
// claim-time legality re-check, the recipient zone of the call row, the re-plan
// at completion), and each answer costs a libphonenumber parse and region lookup
// (~50 us). The answer depends on nothing but the arguments and the compiled-in
// tables, so a remembered one is always right. Invalid numbers are not kept.
class ZoneMemo {
 public:
  // The remembered zones of (input, region), or null.
  const std::vector<std::string>* Find(std::string_view input, std::string_view region) {
    Entry& e = entries_[Slot(input, region)];
    if (!e.used || e.input != input || e.region != region) return nullptr;
    return &e.zones;
  }

  // Remembers zones for (input, region), replacing whatever shared its slot.
  void Put(std::string_view input, std::string_view region, const std::vector<std::string>& zones) {
    Entry& e = entries_[Slot(input, region)];
    e.used = true;
    e.input.assign(input);
    e.region.assign(region);
    e.zones = zones;
  }

 private:
  static constexpr size_t kSlots = 4096;
  struct Entry {
    bool used = false;
    std::string input, region;
    std::vector<std::string> zones;
  };

  // FNV-1a of both strings, reduced to a slot.
  static size_t Slot(std::string_view input, std::string_view region) {
    uint64_t h = 1469598103934665603ULL;
    for (char c : input) h = (h ^ uint8_t(c)) * 1099511628211ULL;
    h = (h ^ 0xFF) * 1099511628211ULL;
    for (char c : region) h = (h ^ uint8_t(c)) * 1099511628211ULL;
    return size_t(h % kSlots);
  }

  std::vector<Entry> entries_ = std::vector<Entry>(kSlots);
};

// The uncached answer (see TimeZones).
std::vector<std::string> ComputeTimeZones(std::string_view input, std::string_view region);

}  // namespace

std::vector<std::string> TimeZones(std::string_view input, std::string_view region) {
  // thread_local: unit tests may call from several threads; a backend has one.
  static thread_local ZoneMemo memo;
  if (const auto* hit = memo.Find(input, region)) return *hit;
  std::vector<std::string> zones = ComputeTimeZones(input, region);  // throws when invalid
  memo.Put(input, region, zones);
  return zones;
}

namespace {

std::vector<std::string> ComputeTimeZones(std::string_view input, std::string_view region) {
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = Util();
  i18n::phonenumbers::PhoneNumber n;
  std::string region_code = region.empty() ? std::string("ZZ") : std::string(region);
  if (input.size() > kMaxInputBytes ||
      util.Parse(std::string(input), region_code, &n) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsValidNumber(n)) {
    throw InvalidNumberError(input, region, Describe(input, region).reason);
  }
  const TimeZoneTable& table = TimeZoneTable::Get();
  std::string number_region;
  util.GetRegionCodeForNumber(n, &number_region);
  std::string_view only = table.SingleZone(number_region);
  if (!only.empty()) return {std::string(only)};
  // As Java's PhoneNumberToTimeZonesMapper.getTimeZonesForNumber: geographic
  // numbers by their longest prefix, others by their calling code alone.
  std::string key = std::to_string(n.country_code());
  if (util.IsNumberGeographical(n)) {
    std::string nsn;
    util.GetNationalSignificantNumber(n, &nsn);
    key += nsn;
  }
  std::vector<std::string> zones;
  if (const auto* list = table.Longest(key)) {
    for (std::string_view z : *list)
      if (z != "Etc/Unknown") zones.emplace_back(z);
  }
  return zones;
}

}  // namespace

}  // namespace dialer::phone
