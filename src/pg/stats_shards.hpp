// The counter shard a transaction writes a campaign's deltas to (stats_shards.cpp).
#pragma once

#include "pg/stats_keys.hpp"

namespace dialer::stats {

// The number of counter rows (shards) per campaign and counter table.
constexpr int kShards = 32;

// The shard of campaign this transaction holds, reserved on first use (an advisory
// lock until the transaction ends).
int ReserveShard(const CampaignKey* campaign);

}  // namespace dialer::stats
