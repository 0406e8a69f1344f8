// The single place the boundary includes Postgres headers, wrapped for C++.
// Why: Postgres headers are C; they must be seen with C linkage, and third-party
// C++ headers (libphonenumber, abseil) must never share a translation unit with them
// (postgres.h's Max macro and elog.h's WARNING collide with abseil).
#pragma once

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
}

// Declares a SQL-callable C function with C linkage and exports both it and its
// pg_finfo_ record. Why: before PostgreSQL 16 PG_FUNCTION_INFO_V1 does not mark the
// function itself PGDLLEXPORT, and we build with -fvisibility=hidden.
#define DIALER_FUNCTION(name)               \
  extern "C" {                              \
  PG_FUNCTION_INFO_V1(name);                \
  PGDLLEXPORT Datum name(PG_FUNCTION_ARGS); \
  }
