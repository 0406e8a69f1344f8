// Statements a C function runs through SPI over plans kept for the backend's life (the
// queue's functions in C: complete_call.cpp). Postgres code: may raise; call with SPI
// connected and no C++ object with a destructor alive.
#pragma once

#include "pg/postgres_includes.hpp"

extern "C" {
#include "executor/spi.h"
}

namespace dialer::pg {

// The kept plan of query in *cache, prepared with nargs parameters of types on first use.
// Why kept per backend and safe: a kept plan is a cached plan, re-planned by PostgreSQL
// when a table, index or function it uses changes (an extension update included).
SPIPlanPtr KeptPlan(SPIPlanPtr* cache, const char* query, int nargs, const Oid* types);

// Runs the kept plan of query (read-write: each statement takes a new snapshot, as
// PL/pgSQL's do) with values and nulls (' ' / 'n'; nullptr: none NULL); the rows processed.
uint64 RunKept(SPIPlanPtr* cache, const char* query, int nargs, const Oid* types, Datum* values,
               const char* nulls);

// Column col (1-based) of row `row` of the last SPI result; *null says whether it is NULL.
Datum ResultColumn(int col, bool* null, uint64 row = 0);

// Column col of the first row of the last SPI result as a palloc'd C string; nullptr for NULL.
char* ResultText(int col);

// Runs query once, parsed and planned for this call (a rare path: an error, a late report);
// read-write, values and nulls as for RunKept.
void RunOnce(const char* query, int nargs, const Oid* types, const Datum* values,
             const char* nulls);

}  // namespace dialer::pg
