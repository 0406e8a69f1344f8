// The connection's memory of where it last wrote each statistics counter row (see
// stats_row_cache.hpp). Why: a queue cycle adds to about eight counter rows, and finding
// each through its primary key (opening the index, descending the B-tree, sharing its
// hot leaf page with every other writer) was a sixth of what the statistics cost
// (docs/stats.md, Measured). A connection mostly writes the same rows again (its own
// shard), and a HOT update leaves the row on its page, so the tuple id of the version
// it wrote last is usually still the row's latest version.
#include "pg/stats_row_cache.hpp"

extern "C" {
#include "utils/hsearch.h"
#include "utils/memutils.h"
}

namespace dialer::stats {
namespace {

// Why a bound: hourly buckets make new counter rows every hour; a long-lived connection
// would otherwise remember every hour it ever wrote.
constexpr long kMaxRows = 4096;

struct RowKey {
  Oid relid;
  uint32 padding;  // zeroed: the key is hashed and compared as bytes
  uint64 key_hash;
};

struct RowEntry {
  RowKey key;
  ItemPointerData tid;
};

HTAB* rows = nullptr;
bool stale = false;

// The key of (relid, key_hash), padding zeroed.
RowKey MakeKey(Oid relid, uint64 key_hash) {
  RowKey key;
  memset(&key, 0, sizeof key);
  key.relid = relid;
  key.key_hash = key_hash;
  return key;
}

// The table, created on first use and emptied when marked stale or full.
// Why emptied here and not in ForgetAllRows: that runs inside relcache callbacks, which
// may come while a caller is between two calls of this file.
HTAB* Rows() {
  if (rows != nullptr && (stale || hash_get_num_entries(rows) >= kMaxRows)) {
    hash_destroy(rows);
    rows = nullptr;
  }
  stale = false;
  if (rows == nullptr) {
    HASHCTL ctl;
    memset(&ctl, 0, sizeof ctl);
    ctl.keysize = sizeof(RowKey);
    ctl.entrysize = sizeof(RowEntry);
    ctl.hcxt = TopMemoryContext;
    rows = hash_create("dialer statistics rows", 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
  }
  return rows;
}

}  // namespace

bool RecallRow(Oid relid, uint64 key_hash, ItemPointer tid) {
  RowKey key = MakeKey(relid, key_hash);
  RowEntry* entry = static_cast<RowEntry*>(hash_search(Rows(), &key, HASH_FIND, nullptr));
  if (entry == nullptr) return false;
  *tid = entry->tid;
  return true;
}

void RememberRow(Oid relid, uint64 key_hash, ItemPointer tid) {
  RowKey key = MakeKey(relid, key_hash);
  RowEntry* entry = static_cast<RowEntry*>(hash_search(Rows(), &key, HASH_ENTER, nullptr));
  entry->tid = *tid;
}

void ForgetRow(Oid relid, uint64 key_hash) {
  RowKey key = MakeKey(relid, key_hash);
  hash_search(Rows(), &key, HASH_REMOVE, nullptr);
}

void ForgetAllRows() { stale = true; }

}  // namespace dialer::stats
