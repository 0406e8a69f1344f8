// The keys the statistics triggers accumulate under: a campaign, and a lead's contact
// call at one attempt number. Binary keys of dynahash tables (HASH_BLOBS), so every
// byte, padding included, is zeroed before use.
#pragma once

#include "pg/postgres_includes.hpp"

extern "C" {
#include "utils/uuid.h"
}

namespace dialer::stats {

struct CampaignKey {
  pg_uuid_t tenant;
  pg_uuid_t campaign;
};

struct ContactKey {
  CampaignKey campaign;
  pg_uuid_t lead;
  int32 attempt;
};

// The net change of a lead's contact calls at one attempt number in a statement.
struct ContactChange {
  ContactKey key;
  int64 weight;
};

// qsort order of hash entries that start with a CampaignKey.
inline int CompareCampaigns(const void* a, const void* b) {
  return memcmp(*static_cast<CampaignKey* const*>(a), *static_cast<CampaignKey* const*>(b),
                sizeof(CampaignKey));
}

}  // namespace dialer::stats
