// Deterministic jitter: the same lead, class and attempt always get the same
// spread, so schedules are reproducible and recomputation is stable. The hash
// is 32-bit FNV-1a, chosen because plain SQL can reproduce it (the differential
// test and docs/schedule.md do).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace dialer::schedule {

// A lead's 16-byte id (a UUID), the seed of its jitter.
using LeadId = std::array<uint8_t, 16>;

// FNV-1a (32 bit) over the lead id, the class name and k as 4 big-endian bytes.
uint32_t JitterHash(const LeadId& lead, std::string_view class_name, int64_t k);

// delay spread by up to +-jitter_thousandths/1000 of itself, using the hash:
// delay + delay * jitter * ((hash mod 2001) - 1000) / 1e6, truncated towards zero.
int64_t Jittered(int64_t delay_seconds, int64_t jitter_thousandths, uint32_t hash);

}  // namespace dialer::schedule
