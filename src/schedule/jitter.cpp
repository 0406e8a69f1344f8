// FNV-1a jitter.
#include "schedule/jitter.hpp"

namespace dialer::schedule {

uint32_t JitterHash(const LeadId& lead, std::string_view class_name, int64_t k) {
  uint32_t h = 2166136261u;
  auto mix = [&h](uint8_t byte) {
    h ^= byte;
    h *= 16777619u;  // wraps modulo 2^32, as FNV specifies
  };
  for (uint8_t b : lead) mix(b);
  for (char c : class_name) mix(static_cast<uint8_t>(c));
  const uint32_t k32 = static_cast<uint32_t>(k);
  for (int shift = 24; shift >= 0; shift -= 8) mix(static_cast<uint8_t>(k32 >> shift));
  return h;
}

int64_t Jittered(int64_t delay_seconds, int64_t jitter_thousandths, uint32_t hash) {
  const int64_t u = static_cast<int64_t>(hash % 2001) - 1000;  // [-1000, 1000]
  // Integer math (C++ and SQL both truncate towards zero) so SQL can reproduce it.
  return delay_seconds + delay_seconds * jitter_thousandths * u / 1000000;
}

}  // namespace dialer::schedule
