// SQL entry points of the talk-time histogram core (src/stats/talk_time.hpp).
#include <optional>

#include "pg/guard.hpp"
#include "stats/talk_time.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
#include "utils/array.h"
}

DIALER_FUNCTION(dialer_talk_time_bucket)
DIALER_FUNCTION(dialer_talk_time_bucket_lower)
DIALER_FUNCTION(dialer_talk_time_quantile)

// dialer.talk_time_bucket(seconds bigint) returns integer: the bucket (0..56) a call
// of that many seconds is counted in.
Datum dialer_talk_time_bucket(PG_FUNCTION_ARGS) {
  int64 seconds = PG_GETARG_INT64(0);
  int32 bucket = dialer::pg::Guard([&] { return dialer::stats::TalkBucket(seconds); });
  PG_RETURN_INT32(bucket);
}

// dialer.talk_time_bucket_lower(bucket integer) returns bigint: the bucket's smallest
// number of seconds.
Datum dialer_talk_time_bucket_lower(PG_FUNCTION_ARGS) {
  int32 bucket = PG_GETARG_INT32(0);
  int64 lower = dialer::pg::Guard([&] { return dialer::stats::TalkBucketLower(bucket); });
  PG_RETURN_INT64(lower);
}

// dialer.talk_time_quantile(histogram bigint[], q double precision) returns double
// precision: the interpolated q-quantile in seconds, NULL for an empty histogram.
Datum dialer_talk_time_quantile(PG_FUNCTION_ARGS) {
  ArrayType* histogram = PG_GETARG_ARRAYTYPE_P(0);  // detoast before any C++ object exists
  float8 q = PG_GETARG_FLOAT8(1);
  if (ARR_ELEMTYPE(histogram) != INT8OID || ARR_NDIM(histogram) > 1 ||
      (ARR_NDIM(histogram) == 1 && ARR_LBOUND(histogram)[0] != 1) ||
      (ARR_HASNULL(histogram) && array_contains_nulls(histogram))) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("not a talk-time histogram"),
                    errdetail("A histogram is a one-dimensional bigint array starting at index "
                              "1, without NULL elements."),
                    errhint("Pass the talk_time histogram kept by pg_dialer's statistics.")));
  }
  const int64* counts = reinterpret_cast<const int64*>(ARR_DATA_PTR(histogram));
  size_t n = ARR_NDIM(histogram) == 0 ? 0 : static_cast<size_t>(ARR_DIMS(histogram)[0]);
  bool found = false;
  float8 value = dialer::pg::Guard([&] {
    std::optional<double> quantile = dialer::stats::TalkQuantile(counts, n, q);
    found = quantile.has_value();
    return quantile.value_or(0.0);
  });
  if (!found) PG_RETURN_NULL();
  PG_RETURN_FLOAT8(value);
}
