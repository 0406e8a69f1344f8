// Module-wide declarations of the boundary: start-up hooks each feature provides.
#pragma once

#ifndef PG_DIALER_VERSION
#error "PG_DIALER_VERSION must be defined by the build (Makefile: from pg_dialer.control)"
#endif

namespace dialer::pg {

// Defines every dialer.* GUC; called from _PG_init (gucs.cpp).
void DefineGucs();

// The directory PostgreSQL reads time zones from (module.cpp).
const char* PostgresTimezoneDir();

}  // namespace dialer::pg
