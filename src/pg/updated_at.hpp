// The updated_at feature's shared declarations: the trigger (updated_at.cpp), its
// planner/executor fast path (updated_at_fast_path.cpp) and its GUC (gucs.cpp).
#pragma once

#include "pg/postgres_includes.hpp"

extern "C" {
#include "access/tupdesc.h"
}

// dialer.set_updated_at(): the C trigger function (defined in updated_at.cpp).
extern "C" PGDLLEXPORT Datum dialer_set_updated_at(PG_FUNCTION_ARGS);

namespace dialer::pg {

// The 1-based number of the live user column named name, or 0 (the trigger's rule).
int UpdatedAtColumnNumber(TupleDesc desc, const char* name);

// Installs the planner and ExecutorStart hooks of the fast path; called from _PG_init.
void InstallUpdatedAtFastPath();

// Current value of dialer.updated_at_fast_path (defined in gucs.cpp).
bool UpdatedAtFastPathEnabled();

}  // namespace dialer::pg
