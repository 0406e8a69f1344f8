// The inputs of one lead's scheduling decision read from the tables (lead_inputs.cpp), and
// the queue's decision on them (schedule.cpp): what dialer._plan_lead (plan_lead.cpp) joins.
#pragma once

#include "pg/postgres_includes.hpp"

extern "C" {
#include "datatype/timestamp.h"
}

namespace dialer::pg {

// The fields of a dialer.schedule_inputs row (sql_src/30_schedule.sql), in their order;
// also the scheduler's arguments before p_now (schedule.cpp asserts both).
constexpr int kScheduleInputCount = 18;
// The field holding the number's candidate time zones (text[], never NULL).
constexpr int kScheduleInputZones = 2;

// The OID of label of the extension's enum type typid; 55000 naming both when it is missing
// (a library newer or older than the installed SQL). Postgres code.
Oid EnumLabelOid(Oid typid, const char* label);

// Argument arg of fcinfo, the instant a decision is made at (p_now); 22004 when NULL.
TimestampTz DecisionInstantArg(FunctionCallInfo fcinfo, int arg);

// Reads every input of the decision for lead lead_id of tenant tenant_id at now into
// values/nulls (kScheduleInputCount each, in dialer.schedule_inputs order), and the zone a
// call is counted under when the number has several (fallback_zone). last_outcome, when
// not null, stands for the lead's last outcome (a text Datum). False, and nothing written,
// when no such lead is visible. Postgres code: may raise; no C++ object may be alive.
bool ReadScheduleInputs(Datum tenant_id, Datum lead_id, TimestampTz now, const Datum* last_outcome,
                        Datum* values, bool* nulls, Datum* fallback_zone, bool* fallback_null);

// What the queue needs of a decision: never (with the binding rule's name), or the next
// legal attempt; and when the lead is callable at now, until when (has_legal_until).
struct QueueDecision {
  bool never;
  TimestampTz at;
  bool has_legal_until;
  TimestampTz legal_until;
  const char* reason;  // a static rule name
};

// The lead status a "never" decision leaves a lead in, by the binding rule (reason): held
// after an unknown result (a person decides), do_not_call when suppressed, else failed.
const char* NeverStatusLabel(const char* reason);

// The scheduler's decision on inputs in dialer.schedule_inputs order at now (what
// dialer._decide answers for that row). Postgres code at the boundary: raises on bad
// inputs; its C++ runs inside a guard.
QueueDecision DecideScheduleInputs(const Datum* values, const bool* nulls, TimestampTz now);

}  // namespace dialer::pg
