// The module's identity: the PG_MODULE_MAGIC block, _PG_init and dialer.version().
#include "pg/guard.hpp"
#include "pg/interrupts.hpp"
#include "pg/module.hpp"
#include "pg/updated_at.hpp"

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);
}
DIALER_FUNCTION(dialer_version)

// Called once per backend when the library loads: registers the GUCs and the hooks.
void _PG_init(void) {
  dialer::pg::DefineGucs();
  dialer::pg::InstallInterruptHook();
  dialer::pg::InstallUpdatedAtFastPath();
}

// dialer.version(): the extension version this library was built as.
Datum dialer_version(PG_FUNCTION_ARGS) { return CStringGetTextDatum(PG_DIALER_VERSION); }
