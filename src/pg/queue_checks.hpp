// What the queue's C functions (claim_calls.cpp, complete_call.cpp) share: the SQL helpers they
// call for their argument checks, so each rule and its message keep one definition
// (sql_src/26_guards.sql, 41_queue_state.sql), the campaign gate, and a uuid argument's text for
// messages. Postgres code: SPI connected, no C++ object with a destructor alive.
#pragma once

#include "pg/postgres_includes.hpp"

namespace dialer::pg {

// dialer._invalid_arg(name, value, rule): raises 22023 naming the parameter and its value
// (value nullptr: NULL). Never returns.
[[noreturn]] void InvalidArg(const char* name, const char* value, const char* rule);

// dialer._check_caller_instant(name, value): raises 22023 unless the instant is finite and, for
// a signed-in caller, within dialer.max_clock_skew of now(). Over a kept plan: a worker that
// passes its own clock as p_now makes this check on every call.
void CheckCallerInstant(const char* name, Datum value, bool null);

// Takes the campaign gate shared (dialer._campaign_gate_key, sql_src/41_queue_state.sql), in a
// statement of its own, so the next statement's snapshot shows a lifecycle move that committed
// meanwhile. A NULL campaign (a call written by hand) takes no lock, as in SQL.
void TakeCampaignGateShared(Datum campaign_id, bool null);

// The text of uuid argument arg for a message ("<NULL>", as RAISE prints a NULL).
const char* UuidArgText(FunctionCallInfo fcinfo, int arg);

}  // namespace dialer::pg
