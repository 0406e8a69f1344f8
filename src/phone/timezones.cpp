// TimeZones and AreaTimeZones: candidate IANA zones for a number at exchange and
// at area-code precision, from the generated data/phone_timezones.txt compiled in
// as src/phone/timezone_data.inc.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
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
  const ZoneNames* Longest(std::string_view digits) const {
    for (size_t len = std::min(digits.size(), by_length_.size() - 1); len > 0; --len) {
      const auto& entries = by_length_[len];
      uint64_t key = 0;
      for (size_t i = 0; i < len; ++i) key = key * 10 + uint64_t(digits[i] - '0');
      auto it = std::lower_bound(entries.begin(), entries.end(), std::make_pair(key, uint32_t{0}));
      if (it != entries.end() && it->first == key) return &lists_[it->second];
    }
    return nullptr;
  }

  // The zone of a region that tzdata lists with exactly one zone, or null.
  const ZoneNames* SingleZone(std::string_view region) const {
    for (const auto& [r, zone] : single_zone_)
      if (r == region) return &zone;
    return nullptr;
  }

  // The sorted union of the zones of every prefix 1<npa>... (npa: 3 digits);
  // empty when the data lists none.
  const ZoneNames& NanpArea(std::string_view npa) const {
    size_t index = size_t(npa[0] - '0') * 100 + size_t(npa[1] - '0') * 10 + size_t(npa[2] - '0');
    return nanp_areas_[index];
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
    BuildNanpAreas();
  }

  // Parses "P|<prefix>|<zone>&<zone>" or "C|<region>|<zone>"; skips comments.
  void AddLine(std::string_view line) {
    if (line.size() < 4 || line[1] != '|') return;
    size_t bar = line.find('|', 2);
    if (bar == std::string_view::npos) return;
    std::string_view key = line.substr(2, bar - 2), value = line.substr(bar + 1);
    if (line[0] == 'C') {
      single_zone_.emplace_back(key, ZoneNames{value});
      return;
    }
    if (line[0] != 'P' || key.empty() || key.size() > 18) return;
    // Etc/Unknown is dropped: an empty list means nothing is known.
    ZoneNames zones;
    for (size_t s = 0; s <= value.size();) {
      size_t amp = std::min(value.find('&', s), value.size());
      std::string_view zone = value.substr(s, amp - s);
      if (!zone.empty() && zone != "Etc/Unknown") zones.push_back(zone);
      s = amp + 1;
    }
    uint64_t number = 0;
    for (char c : key) number = number * 10 + uint64_t(c - '0');
    if (by_length_.size() <= key.size()) by_length_.resize(key.size() + 1);
    by_length_[key.size()].emplace_back(number, uint32_t(lists_.size()));
    lists_.push_back(std::move(zones));
  }

  // Fills nanp_areas_: per area code, the zones of every prefix under +1 and it.
  // Why here, once: AreaTimeZones runs per scheduling decision and must only look up.
  void BuildNanpAreas() {
    uint64_t scale = 1;  // 10^(len - 4): divides a prefix down to its "1<npa>" head
    for (size_t len = 4; len < by_length_.size(); ++len, scale *= 10) {
      for (const auto& [number, list] : by_length_[len]) {
        uint64_t head = number / scale;
        if (head < 1000 || head > 1999) continue;  // not calling code 1
        ZoneNames& area = nanp_areas_[head - 1000];
        area.insert(area.end(), lists_[list].begin(), lists_[list].end());
      }
    }
    for (ZoneNames& area : nanp_areas_) {
      std::sort(area.begin(), area.end());
      area.erase(std::unique(area.begin(), area.end()), area.end());
      area.shrink_to_fit();
    }
  }

  std::vector<std::vector<std::pair<uint64_t, uint32_t>>> by_length_ =
      std::vector<std::vector<std::pair<uint64_t, uint32_t>>>(1);
  std::vector<ZoneNames> lists_;
  std::vector<std::pair<std::string_view, ZoneNames>> single_zone_;
  std::array<ZoneNames, 1000> nanp_areas_;  // indexed by area code
};

// Recent answers of TimeZones, direct-mapped by a hash of (input, region).
// Why: the dialer asks for the zones of one number several times per call (the
// claim-time legality re-check, the recipient zone of the call row, the re-plan
// at completion), and each answer costs a libphonenumber parse and region lookup
// (~50 us). The answer depends on nothing but the arguments and the compiled-in
// tables, so a remembered one is always right. Invalid numbers are not kept.
// Answers are lists owned by the table, so an entry keeps only a pointer.
class ZoneMemo {
 public:
  // The remembered zones of (input, region), or null.
  const ZoneNames* Find(std::string_view input, std::string_view region) const {
    const Entry& e = entries_[Slot(input, region)];
    if (e.zones == nullptr || e.input != input || e.region != region) return nullptr;
    return e.zones;
  }

  // Remembers zones for (input, region), replacing whatever shared its slot.
  void Put(std::string_view input, std::string_view region, const ZoneNames* zones) {
    Entry& e = entries_[Slot(input, region)];
    e.input.assign(input);
    e.region.assign(region);
    e.zones = zones;
  }

 private:
  static constexpr size_t kSlots = 4096;
  struct Entry {
    std::string input, region;
    const ZoneNames* zones = nullptr;  // null: unused
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

// The uncached answer of TimeZones, as a list owned by the table.
const ZoneNames& ComputeTimeZones(std::string_view input, std::string_view region);

// The answer of TimeZones, remembered; throws when the number is not valid.
const ZoneNames& ExchangeZones(std::string_view input, std::string_view region) {
  // thread_local: unit tests may call from several threads; a backend has one.
  static thread_local ZoneMemo memo;
  if (const ZoneNames* hit = memo.Find(input, region)) return *hit;
  const ZoneNames& zones = ComputeTimeZones(input, region);  // throws when invalid
  memo.Put(input, region, &zones);
  return zones;
}

}  // namespace

std::vector<std::string> TimeZones(std::string_view input, std::string_view region) {
  const ZoneNames& zones = ExchangeZones(input, region);
  return std::vector<std::string>(zones.begin(), zones.end());
}

const ZoneNames& AreaTimeZones(std::string_view input, std::string_view region) {
  E164Text e164;
  E164OrThrow(input, region, &e164);  // the fast path; throws what TimeZones throws
  std::string_view digits = e164.view();
  // Calling code 1 is the only one that starts with 1, so "+1" means NANP; a
  // ten-digit national number starts with its area code. Why the length: Canada's
  // seven-digit 310-xxxx numbers are valid too, and 310 is not their area code.
  if (digits.size() == 12 && digits.substr(0, 2) == "+1") {
    const ZoneNames& area = TimeZoneTable::Get().NanpArea(digits.substr(2, 3));
    // An area code without data (toll-free 8XX, 900, 5XX, 600) keeps TimeZones'
    // answer: every zone of +1, not an empty "nothing known".
    if (!area.empty()) return area;
  }
  return ExchangeZones(input, region);
}

namespace {

// libphonenumber's region of a valid number ("" for none).
std::string LibraryNumberRegion(std::string_view e164) {
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = Util();
  i18n::phonenumbers::PhoneNumber n;
  if (e164.size() > kMaxInputBytes ||
      util.Parse(std::string(e164), "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsValidNumber(n)) {
    return "";
  }
  std::string region;
  util.GetRegionCodeForNumber(n, &region);
  return region == "ZZ" ? "" : region;
}

}  // namespace

std::string NumberRegion(std::string_view e164) {
  // Why a cache by area code: for a NANP number libphonenumber tries each NANP region's
  // patterns in turn (~50 us), and an area code belongs to one region; the queue asks
  // per scheduling decision. Only answers from valid numbers are remembered.
  static std::unordered_map<std::string, std::string> nanp;
  const bool is_nanp = e164.size() == 12 && e164.substr(0, 2) == "+1";
  if (is_nanp) {
    auto hit = nanp.find(std::string(e164.substr(2, 3)));
    if (hit != nanp.end()) return hit->second;
  }
  std::string region = LibraryNumberRegion(e164);
  if (is_nanp && !region.empty() && nanp.size() < 2000)
    nanp.emplace(std::string(e164.substr(2, 3)), region);
  return region;
}

namespace {

const ZoneNames& ComputeTimeZones(std::string_view input, std::string_view region) {
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
  if (const ZoneNames* only = table.SingleZone(number_region)) return *only;
  // As Java's PhoneNumberToTimeZonesMapper.getTimeZonesForNumber: geographic
  // numbers by their longest prefix, others by their calling code alone.
  std::string key = std::to_string(n.country_code());
  if (util.IsNumberGeographical(n)) {
    std::string nsn;
    util.GetNationalSignificantNumber(n, &nsn);
    key += nsn;
  }
  static const ZoneNames kNothingKnown;
  const ZoneNames* list = table.Longest(key);
  return list != nullptr ? *list : kNothingKnown;
}

}  // namespace

}  // namespace dialer::phone
