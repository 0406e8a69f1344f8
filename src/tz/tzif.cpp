// TZif parsing: header, data block, footer (RFC 8536).
#include "tz/tzif.hpp"

#include <string>

#include "common/error.hpp"

namespace dialer::tz {
namespace {

// The six counts of a TZif header.
struct Counts {
  uint32_t isut, isstd, leap, time, type, chars;
};

// A bounds-checked big-endian reader over the file's bytes.
class Reader {
 public:
  Reader(std::string_view zone, std::string_view bytes) : zone_(zone), b_(bytes) {}

  // Throws the "not a valid TZif file" error with a reason.
  [[noreturn]] void Fail(const std::string& why) const {
    throw Error(sqlstate::kInvalidParameterValue,
                "time zone \"" + std::string(zone_) + "\" has no valid TZif data",
                "The zone file " + why + ".",
                "Use an IANA zone name such as Europe/Paris; check the tzdata package.");
  }
  void Need(size_t n) const {
    if (b_.size() - pos_ < n) Fail("ends early");
  }
  uint64_t Unsigned(int bytes) {
    Need(bytes);
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(b_[pos_++]);
    return v;
  }
  int64_t Signed(int bytes) {
    uint64_t v = Unsigned(bytes);
    if (bytes == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
    return static_cast<int64_t>(v);
  }
  void Skip(uint64_t n) {
    Need(n);
    pos_ += n;
  }
  size_t pos() const { return pos_; }
  std::string_view Rest() const { return b_.substr(pos_); }

  // Reads a 44-byte header; returns the version digit ('\0' for version 1).
  char Header(Counts* c) {
    Need(44);
    if (b_.substr(pos_, 4) != "TZif") Fail("does not start with the TZif magic");
    char version = b_[pos_ + 4];
    Skip(20);
    c->isut = static_cast<uint32_t>(Unsigned(4));
    c->isstd = static_cast<uint32_t>(Unsigned(4));
    c->leap = static_cast<uint32_t>(Unsigned(4));
    c->time = static_cast<uint32_t>(Unsigned(4));
    c->type = static_cast<uint32_t>(Unsigned(4));
    c->chars = static_cast<uint32_t>(Unsigned(4));
    if (c->type == 0) Fail("declares no local time types");
    return version;
  }

 private:
  std::string_view zone_;
  std::string_view b_;
  size_t pos_ = 0;
};

// One local time type of the file.
struct TimeType {
  int32_t offset;
  bool is_dst;
};

// Reads one data block (time_size 4 or 8 bytes per time) into out.
void ReadBlock(Reader& r, const Counts& c, int time_size, TzifData* out) {
  // Check the whole block is there before allocating by its counts.
  r.Need(uint64_t{c.time} * (time_size + 1) + uint64_t{c.type} * 6 + c.chars +
         uint64_t{c.leap} * (time_size + 4) + c.isstd + c.isut);
  std::vector<int64_t> times(c.time);
  for (auto& t : times) t = r.Signed(time_size);
  std::vector<uint8_t> indices(c.time);
  for (auto& i : indices) i = static_cast<uint8_t>(r.Unsigned(1));
  std::vector<TimeType> types(c.type);
  for (auto& t : types) {
    t.offset = static_cast<int32_t>(r.Signed(4));
    // Real offsets stay within a day; RFC 8536 forbids -2^31 outright.
    if (t.offset < -26 * 3600 || t.offset > 26 * 3600) r.Fail("has a UTC offset beyond 26 hours");
    t.is_dst = r.Unsigned(1) != 0;
    r.Skip(1);  // abbreviation index
  }
  r.Skip(c.chars + uint64_t{c.leap} * (time_size + 4) + c.isstd + c.isut);
  out->initial_offset = types[0].offset;
  out->initial_is_dst = types[0].is_dst;
  out->transitions.clear();
  for (size_t i = 0; i < times.size(); ++i) {
    if (indices[i] >= types.size()) r.Fail("refers to a missing local time type");
    if (i > 0 && times[i] <= times[i - 1]) r.Fail("has transitions out of order");
    out->transitions.push_back({times[i], types[indices[i]].offset, types[indices[i]].is_dst});
  }
}

}  // namespace

TzifData ParseTzif(std::string_view zone_name, std::string_view bytes) {
  Reader r(zone_name, bytes);
  TzifData out;
  Counts c{};
  const char version = r.Header(&c);
  if (version == '\0') {
    ReadBlock(r, c, 4, &out);
    return out;
  }
  // Version 2+: skip the 32-bit block, read the 64-bit one and the footer.
  r.Skip(uint64_t{c.time} * 5 + uint64_t{c.type} * 6 + c.chars + uint64_t{c.leap} * 8 + c.isstd +
         c.isut);
  r.Header(&c);
  ReadBlock(r, c, 8, &out);
  std::string_view rest = r.Rest();
  if (rest.size() < 2 || rest.front() != '\n') r.Fail("has no footer line");
  size_t end = rest.find('\n', 1);
  if (end == std::string_view::npos) r.Fail("has an unterminated footer");
  std::string_view footer = rest.substr(1, end - 1);
  if (!footer.empty()) {
    if (!PosixRule::Parse(footer, &out.footer)) r.Fail("has a footer that is not a POSIX TZ rule");
    out.has_footer = true;
  }
  return out;
}

}  // namespace dialer::tz
