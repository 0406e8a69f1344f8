// The module's identity: the PG_MODULE_MAGIC block, _PG_init and dialer.version().
#include "pg/guard.hpp"
#include "pg/interrupts.hpp"
#include "pg/module.hpp"
#include "pg/updated_at.hpp"
#include "tz/zone_cache.hpp"

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);
}
DIALER_FUNCTION(dialer_version)

// Called once per backend when the library loads: registers the GUCs and the hooks.
void _PG_init(void) {
  // Why here: zones must come from where PostgreSQL reads them, before the first load.
  const char* tzdir = dialer::pg::PostgresTimezoneDir();
  dialer::pg::Guard([tzdir] {
    dialer::tz::SetZoneinfoDir(tzdir);
    return 0;
  });
  dialer::pg::DefineGucs();
  dialer::pg::InstallInterruptHook();
  dialer::pg::InstallUpdatedAtFastPath();
}

namespace dialer::pg {

// The directory PostgreSQL reads time zones from, as its src/timezone/pgtz.c decides
// (pg_TZDIR there is static): the --with-system-tzdata directory the server was built
// with (the Makefile passes it from pg_config --configure; Debian's is
// /usr/share/zoneinfo), else the server's own share/timezone.
const char* PostgresTimezoneDir() {
#ifdef PG_SYSTEM_TZDATA
  return PG_SYSTEM_TZDATA;
#else
  static char dir[MAXPGPATH];
  get_share_path(my_exec_path, dir);
  strlcat(dir, "/timezone", MAXPGPATH);
  return dir;
#endif
}

}  // namespace dialer::pg

// dialer.version(): the extension version this library was built as.
Datum dialer_version(PG_FUNCTION_ARGS) { return CStringGetTextDatum(PG_DIALER_VERSION); }
