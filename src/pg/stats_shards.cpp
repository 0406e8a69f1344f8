// Counter shards: which of a campaign's counter rows this transaction adds to (one of the
// first kShards, or one past them when all of those are taken).
#include "pg/stats_shards.hpp"

extern "C" {
#include "common/hashfn.h"
#include "storage/backendid.h"
#include "storage/lock.h"
#include "storage/proc.h"
}

namespace dialer::stats {
namespace {

// Advisory lock key space of the shard reservations (second key: this | shard).
constexpr uint32 kShardLockSpace = 0x5DA70000;
// Shards a writer may take when the first kShards are all reserved (smallint column;
// above any max_connections this module would see).
constexpr int kMaxShards = 32767;

}  // namespace

// The counter shard this transaction writes a campaign's deltas to, reserved with a
// transaction-level advisory lock on (campaign, shard): concurrent transactions never
// share a shard row, so the statistics add no row-lock waits (nor deadlocks) to the
// queue's. The search starts at the backend's own shard, so a transaction that comes
// back to a campaign finds the shard it already holds. When more than kShards writers
// hold shards of the campaign, the next one takes a shard past kShards: it never waits.
// Why the backend id and not the pid: backend ids of live backends are distinct and
// dense (1, 2, 3, ...), so up to kShards writers start on distinct shards and reserve
// at the first try; pids modulo kShards collide (16 writers: almost surely), and every
// extra try is a trip through the shared lock table.
int ReserveShard(const CampaignKey* campaign) {
  uint32 campaign_hash =
      hash_bytes(reinterpret_cast<const unsigned char*>(campaign), sizeof *campaign);
  int start = (MyBackendId > 0 ? MyBackendId : MyProcPid) % kShards;
  LOCKTAG tag;
  // Why try-only, past kShards when needed: waiting here would wait while the caller
  // holds row locks (a claim's lead and slots), and the holder of the shard could be
  // waiting for one of them (a deadlock, seen with 64 workers). Each concurrent writer
  // holds at most one shard per campaign, so a free one exists among the first
  // MaxBackends + kShards; a shard past kShards is just one more counter row to sum.
  for (int i = 0; i < kMaxShards; i++) {
    int shard = i < kShards ? (start + i) % kShards : i;
    SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, campaign_hash, kShardLockSpace | shard, 2);
    if (LockAcquire(&tag, ExclusiveLock, false, true) != LOCKACQUIRE_NOT_AVAIL) return shard;
  }
  ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                  errmsg("pg_dialer: no free statistics shard among %d", kMaxShards)));
}

}  // namespace dialer::stats
