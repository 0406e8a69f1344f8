// One lead's scheduling decision for the queue's C functions (complete_call.cpp,
// claim_calls.cpp): what `v := dialer._plan_lead(...)` gave their PL/pgSQL versions.
#pragma once

#include "pg/postgres_includes.hpp"

extern "C" {
#include "datatype/timestamp.h"
}

namespace dialer::pg {

// A lead's plan (dialer.lead_plan's fields).
struct LeadPlan {
  bool found;                   // false: no such lead is visible (the SQL function's NULL)
  bool never;                   // no legal attempt is left
  TimestampTz next_attempt_at;  // when !never
  const char* final_status;     // when never: the lead_status label it ends in
  Datum recipient_zone;         // text, the zone a call is counted under
  bool zone_null;
  bool has_legal_until;  // the lead is callable at now, until legal_until
  TimestampTz legal_until;
};

// The decision for lead_id of tenant_id at now under the active snapshot (last_outcome: a
// text Datum standing for the lead's last outcome, or nullptr). Postgres code.
LeadPlan PlanLead(Datum tenant_id, Datum lead_id, TimestampTz now, const Datum* last_outcome);

// The decision for lead_id of tenant_id at now (last_outcome: a text Datum standing for the
// lead's last outcome, or nullptr). Why it starts a new command and snapshot: the inputs are
// read by index scans under the active snapshot, which must show what the caller's
// statements just wrote (a completed call counts in the caps, a call claimed a moment ago in
// the same claim too), as PL/pgSQL's evaluation in a volatile function showed them. Postgres
// code: may raise; no C++ object may be alive.
LeadPlan PlanLeadNow(Datum tenant_id, Datum lead_id, TimestampTz now, const Datum* last_outcome);

}  // namespace dialer::pg
