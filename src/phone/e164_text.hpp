// E164Text: a fixed-size buffer holding one E.164 string, so the hot path
// allocates nothing per call.
#pragma once

#include <cstring>
#include <string_view>

namespace dialer::phone {

struct E164Text {
  // '+', up to 3 calling-code digits and up to 17 national digits.
  static constexpr size_t kCapacity = 24;
  char data[kCapacity];
  size_t size = 0;

  std::string_view view() const { return std::string_view(data, size); }
  // Replaces the contents; false (unchanged) when s does not fit.
  bool Assign(std::string_view s) {
    if (s.size() > kCapacity) return false;
    std::memcpy(data, s.data(), s.size());
    size = s.size();
    return true;
  }
};

}  // namespace dialer::phone
