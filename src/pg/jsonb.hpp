// jsonb in and out of the cores' JSON tree (common/json.hpp), without a text round
// trip: a jsonb argument is walked into the tree the readers validate, and a tree
// the cores build (explanations, phone facts) becomes a jsonb result.
//
// Why two steps on the way in: walking a jsonb calls Postgres (iterators, numeric_out)
// that may ereport, and building the tree allocates C++ objects that may throw. The
// two must not be interleaved: a longjmp would skip the tree's destructors, and an
// exception would leave a PG_TRY block without restoring Postgres' error stack. So
// FlattenJsonb first copies the document into plain palloc'd tokens (Postgres code,
// no C++ objects), and TreeOfTokens then builds the tree from them (C++ code, no
// Postgres calls).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json.hpp"
#include "pg/postgres_includes.hpp"

extern "C" {
#include "utils/jsonb.h"
}

namespace dialer::pg {

// One token of a flattened jsonb document. Plain data: text points into the jsonb
// (strings, keys) or into palloc'd memory (a number's numeric_out text).
struct JsonbToken {
  enum Kind : uint8_t {
    kBeginArray,
    kBeginObject,
    kEndArray,
    kEndObject,
    kKey,
    kNull,
    kFalse,
    kTrue,
    kNumber,
    kString
  };
  const char* text;
  uint32_t len;  // text's length; for kBeginArray/kBeginObject, the items or members in it
  Kind kind;
};

// A flattened document: tokens[0..count), palloc'd in the caller's memory context.
struct JsonbTokens {
  JsonbToken* tokens;
  size_t count;
};

// Flattens jb into *out (a raw scalar becomes its one token). Postgres code: may
// ereport (out of memory), holds no C++ objects; inside Guard call it through
// PgCall. Returns false when a cancel or terminate request arrived meanwhile.
bool FlattenJsonb(Jsonb* jb, JsonbTokens* out);

// The tree of a flattened document (the tokens must outlive the call); checks for
// interrupts. A document nested deeper than json::kMaxDepth throws the error
// json::Parse gives for its text, at the same byte offset; what names the document.
json::Value TreeOfTokens(const JsonbTokens& tokens, std::string_view what);

// The tree of a jsonb document (FlattenJsonb through PgCall, then TreeOfTokens);
// throws dialer::Interrupted on a cancel. Call inside Guard.
json::Value ReadJsonb(Jsonb* jb, std::string_view what);

// A palloc'd jsonb of the tree (members in jsonb's key order, duplicates resolved as
// jsonb_in does); a Postgres error becomes PgError, a cancel dialer::Interrupted.
// Call inside Guard.
Datum ToJsonb(const json::Value& v);

}  // namespace dialer::pg
