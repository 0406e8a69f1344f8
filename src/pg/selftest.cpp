// Boundary self-test entry point. Not declared by the install script: the
// regression test creates it as a C function so that it exists only in test
// databases. It proves each exception family crosses the guard cleanly.
#include <string>

#include "pg/convert.hpp"
#include "selftest/raise.hpp"

DIALER_FUNCTION(pg_dialer_selftest_raise)

// pg_dialer_selftest_raise(kind text) returns text: throws per kind, "pg" raises
// division_by_zero inside PgCall, "none" returns 'ok'.
Datum pg_dialer_selftest_raise(PG_FUNCTION_ARGS) {
  text* kind_arg = PG_GETARG_TEXT_PP(0);  // detoast before any C++ object exists
  text* result = dialer::pg::Guard([&] {
    std::string kind(dialer::pg::TextView(kind_arg));
    if (kind == "pg") {
      dialer::pg::PgCall(
          [] { return DirectFunctionCall2(int4div, Int32GetDatum(1), Int32GetDatum(0)); });
    }
    dialer::selftest::Raise(kind);
    return dialer::pg::ToText("ok");
  });
  PG_RETURN_TEXT_P(result);
}
