// Counter vectors for the campaign statistics: element-wise addition of bigint[]
// vectors and an aggregate that builds a vector from (slot, value) pairs.
//
// Why C-style (no C++ objects, no Guard): these run inside every statistics trigger
// and on every read; nothing here owns a destructor, so an ereport cannot skip one.
// Inside an aggregate the state vector is owned by the aggregate's memory context and
// is updated in place, so summing N vectors costs O(N * length), not N allocations.
#include "pg/guard.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
#include "common/int.h"
#include "utils/array.h"
}

DIALER_FUNCTION(dialer_stats_vector_add)
DIALER_FUNCTION(dialer_stats_vector_put)
DIALER_FUNCTION(dialer_stats_vector_trim)

namespace {

// Longest vector the statistics use is 57 buckets; this bound only stops runaway slots.
constexpr int kMaxSlots = 10000;

// Raises 22023 for an argument that is not a usable counter vector.
void RejectVector(const char* why) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("not a counter vector: %s", why),
                  errdetail("Counter vectors are one-dimensional bigint arrays starting at "
                            "index 1, without NULL elements."),
                  errhint("Pass vectors kept by pg_dialer's statistics.")));
}

// The number of elements of a counter vector, after checking its shape.
int VectorLength(ArrayType* a) {
  if (ARR_ELEMTYPE(a) != INT8OID) RejectVector("the element type is not bigint");
  if (ARR_NDIM(a) == 0) return 0;
  if (ARR_NDIM(a) != 1) RejectVector("it has more than one dimension");
  if (ARR_LBOUND(a)[0] != 1) RejectVector("it does not start at index 1");
  if (ARR_HASNULL(a) && array_contains_nulls(a)) RejectVector("it contains NULL");
  return ARR_DIMS(a)[0];
}

// A new zero-filled vector of n elements in the current memory context.
ArrayType* NewVector(int n) {
  Size bytes = ARR_OVERHEAD_NONULLS(1) + sizeof(int64) * n;
  ArrayType* a = static_cast<ArrayType*>(palloc0(bytes));
  SET_VARSIZE(a, bytes);
  a->ndim = 1;
  a->dataoffset = 0;
  a->elemtype = INT8OID;
  ARR_DIMS(a)[0] = n;
  ARR_LBOUND(a)[0] = 1;
  return a;
}

// target[i] += source[i] for i < n, raising 22003 on overflow.
void AddInto(int64* target, const int64* source, int n) {
  for (int i = 0; i < n; ++i) {
    if (pg_add_s64_overflow(target[i], source[i], &target[i])) {
      ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                      errmsg("counter vector element %d is out of range for bigint", i + 1)));
    }
  }
}

// Whether this call is an aggregate transition that may modify its state in place.
bool InAggregate(FunctionCallInfo fcinfo) { return AggCheckCallContext(fcinfo, nullptr) != 0; }

}  // namespace

// dialer._stats_vector_add(a bigint[], b bigint[]) returns bigint[]: the element-wise
// sum, as long as the longer argument (also the transition of dialer._stats_vector_sum).
Datum dialer_stats_vector_add(PG_FUNCTION_ARGS) {
  bool in_aggregate = InAggregate(fcinfo);
  // Why the copy outside aggregates: a plain call must never modify its argument.
  ArrayType* a = in_aggregate ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
  ArrayType* b = PG_GETARG_ARRAYTYPE_P(1);
  int na = VectorLength(a);
  int nb = VectorLength(b);
  if (na >= nb && na > 0) {
    AddInto(reinterpret_cast<int64*>(ARR_DATA_PTR(a)),
            reinterpret_cast<const int64*>(ARR_DATA_PTR(b)), nb);
    PG_RETURN_ARRAYTYPE_P(a);
  }
  ArrayType* sum = NewVector(nb);
  int64* data = reinterpret_cast<int64*>(ARR_DATA_PTR(sum));
  memcpy(data, ARR_DATA_PTR(b), sizeof(int64) * nb);
  AddInto(data, reinterpret_cast<const int64*>(ARR_DATA_PTR(a)), na);
  PG_RETURN_ARRAYTYPE_P(sum);
}

// dialer._stats_vector_put(state bigint[], slot integer, value bigint) returns bigint[]:
// state with value added at 1-based slot, grown with zeros as needed (the transition
// of dialer._stats_vector). A NULL slot or value leaves the state unchanged.
Datum dialer_stats_vector_put(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(1) || PG_ARGISNULL(2)) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    PG_RETURN_DATUM(PG_GETARG_DATUM(0));
  }
  int32 slot = PG_GETARG_INT32(1);
  int64 value = PG_GETARG_INT64(2);
  if (slot < 1 || slot > kMaxSlots) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("counter slot %d is out of range", slot),
                    errdetail("Slots are numbered from 1 to %d.", kMaxSlots)));
  }
  ArrayType* state = nullptr;
  int n = 0;
  if (!PG_ARGISNULL(0)) {
    state = InAggregate(fcinfo) ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
    n = VectorLength(state);
  }
  if (state == nullptr || slot > n) {
    ArrayType* grown = NewVector(slot);
    if (n > 0) memcpy(ARR_DATA_PTR(grown), ARR_DATA_PTR(state), sizeof(int64) * n);
    state = grown;
  }
  int64 one[1] = {value};
  AddInto(reinterpret_cast<int64*>(ARR_DATA_PTR(state)) + (slot - 1), one, 1);
  PG_RETURN_ARRAYTYPE_P(state);
}

// dialer._stats_vector_trim(v bigint[]) returns bigint[]: v without its trailing zeros.
Datum dialer_stats_vector_trim(PG_FUNCTION_ARGS) {
  ArrayType* v = PG_GETARG_ARRAYTYPE_P(0);
  int n = VectorLength(v);
  const int64* data = reinterpret_cast<const int64*>(ARR_DATA_PTR(v));
  int kept = n;
  while (kept > 0 && data[kept - 1] == 0) --kept;
  if (kept == n) PG_RETURN_ARRAYTYPE_P(v);
  // The empty array has no dimensions.
  if (kept == 0) PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT8OID));
  ArrayType* trimmed = NewVector(kept);
  memcpy(ARR_DATA_PTR(trimmed), data, sizeof(int64) * kept);
  PG_RETURN_ARRAYTYPE_P(trimmed);
}
