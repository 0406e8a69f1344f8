// Force-included (-include) into every pure-core translation unit by the Makefile.
// Why: cores must never see Postgres. They are compiled without the server include
// directory, so `#include "postgres.h"` fails to resolve; this header adds a second
// wall by poisoning the Postgres error and memory APIs, whose longjmp would skip
// C++ destructors. `make check-purity` proves the wall holds.
#pragma once

#pragma GCC poison ereport elog palloc pfree PG_TRY PG_CATCH PG_FINALLY
