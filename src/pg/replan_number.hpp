// Re-planning a number's other waiting leads after a call to it was placed or ended, for the
// queue's C functions (claim_calls.cpp, complete_call.cpp).
#pragma once

#include "pg/postgres_includes.hpp"

extern "C" {
#include "datatype/timestamp.h"
}

namespace dialer::pg {

// dialer._replan_number(tenant_id, phone, except_lead, now), called only when the number has
// another waiting lead (most have none: then one kept-plan probe and no PL/pgSQL call). except_lead
// may be null. Postgres code: SPI connected, no C++ object with a destructor alive.
void ReplanNumber(Datum tenant_id, Datum phone, Datum except_lead, bool except_null,
                  TimestampTz now);

}  // namespace dialer::pg
