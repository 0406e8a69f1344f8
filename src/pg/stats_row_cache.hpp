// Where this connection last wrote each statistics counter row: the tuple id of the
// version its last in-place addition created, keyed by table and a hash of the row's
// key. A hint only: whoever uses a remembered tuple id must check that the version
// there is live and holds the key (stats_in_place.cpp, FetchRemembered), and ask the
// primary key when it is not.
#pragma once

#include "pg/postgres_includes.hpp"

extern "C" {
#include "storage/itemptr.h"
}

namespace dialer::stats {

// The tuple id remembered for (relid, key_hash) into *tid; false when there is none.
bool RecallRow(Oid relid, uint64 key_hash, ItemPointer tid);

// Remembers tid as the latest version of the row (relid, key_hash) written here.
void RememberRow(Oid relid, uint64 key_hash, ItemPointer tid);

// Drops what is remembered of (relid, key_hash).
void ForgetRow(Oid relid, uint64 key_hash);

// Drops everything remembered (at the next use; safe inside a cache callback).
void ForgetAllRows();

}  // namespace dialer::stats
