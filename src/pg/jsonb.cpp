// jsonb <-> the cores' JSON tree (see jsonb.hpp for the two-step shape and why).
#include "pg/jsonb.hpp"

#include <cstring>
#include <string>
#include <utility>

#include "common/error.hpp"
#include "common/interrupts.hpp"
#include "pg/guard.hpp"
#include "pg/interrupts.hpp"

extern "C" {
#include "utils/numeric.h"
}

namespace dialer::pg {
namespace {

using json::Value;

// ---- jsonb -> tokens (Postgres code: plain data only, may ereport) ----------

// Appends one token, growing the palloc'd array by doubling.
void AppendToken(JsonbTokens* out, size_t* capacity, JsonbToken token) {
  if (out->count == *capacity) {
    *capacity *= 2;
    // Why huge: a 256 MB jsonb may hold more tokens than 1 GB of them.
    out->tokens =
        static_cast<JsonbToken*>(repalloc_huge(out->tokens, *capacity * sizeof(JsonbToken)));
  }
  out->tokens[out->count++] = token;
}

// The token of a scalar (an array element or an object member's value).
JsonbToken ScalarToken(const JsonbValue& v) {
  switch (v.type) {
    case jbvNull:
      return {nullptr, 0, JsonbToken::kNull};
    case jbvBool:
      return {nullptr, 0, v.val.boolean ? JsonbToken::kTrue : JsonbToken::kFalse};
    case jbvString:
      return {v.val.string.val, static_cast<uint32_t>(v.val.string.len), JsonbToken::kString};
    case jbvNumeric: {
      // numeric_out: the text JsonbToCString prints, so number validation is unchanged.
      char* digits =
          DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v.val.numeric)));
      return {digits, static_cast<uint32_t>(strlen(digits)), JsonbToken::kNumber};
    }
    default:
      elog(ERROR, "pg_dialer: unexpected jsonb value type %d", static_cast<int>(v.type));
  }
  pg_unreachable();
}

// Where FlattenJsonb stands: the tokens so far and the containers open.
struct FlattenState {
  JsonbTokens* out;
  size_t capacity;
  bool raw_scalar;  // the document is one scalar (a pseudo-array of one)
  int depth;
};

// Appends the token(s) of one iterator step.
void FlattenOne(JsonbIteratorToken token, const JsonbValue& v, FlattenState* s) {
  switch (token) {
    case WJB_BEGIN_ARRAY:
      if (s->depth++ == 0 && v.val.array.rawScalar) {
        s->raw_scalar = true;
        return;
      }
      AppendToken(s->out, &s->capacity,
                  {nullptr, static_cast<uint32_t>(v.val.array.nElems), JsonbToken::kBeginArray});
      return;
    case WJB_BEGIN_OBJECT:
      s->depth++;
      AppendToken(s->out, &s->capacity,
                  {nullptr, static_cast<uint32_t>(v.val.object.nPairs), JsonbToken::kBeginObject});
      return;
    case WJB_KEY:
      AppendToken(s->out, &s->capacity,
                  {v.val.string.val, static_cast<uint32_t>(v.val.string.len), JsonbToken::kKey});
      return;
    case WJB_VALUE:
    case WJB_ELEM:
      AppendToken(s->out, &s->capacity, ScalarToken(v));
      return;
    case WJB_END_ARRAY:
      if (--s->depth == 0 && s->raw_scalar) return;
      AppendToken(s->out, &s->capacity, {nullptr, 0, JsonbToken::kEndArray});
      return;
    case WJB_END_OBJECT:
      s->depth--;
      AppendToken(s->out, &s->capacity, {nullptr, 0, JsonbToken::kEndObject});
      return;
    default:
      elog(ERROR, "pg_dialer: unexpected jsonb token %d", static_cast<int>(token));
  }
}

// ---- tokens -> tree (C++ code: no Postgres calls) ---------------------------

// The bytes escape_json() writes for s (what the text reader used to see).
size_t EscapedLength(const char* s, uint32_t len) {
  size_t n = 2;  // the quotes
  for (uint32_t i = 0; i < len; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
      n += 2;
    } else {
      n += c < 0x20 ? 6 : 1;
    }
  }
  return n;
}

// The byte offset at which json::Parse, reading the document as JsonbToCString
// printed it, stopped at the value tokens[at]: just after the '[', ',' or ':' that
// precedes it. Only for the too-deep error, so a replay is cheap enough.
size_t PrintedOffset(const JsonbTokens& t, size_t at) {
  size_t length = 0;
  bool first = true;  // the next item opens its container (no ", " before it)
  bool after_key = false;
  for (size_t i = 0; i < at; ++i) {
    const JsonbToken& k = t.tokens[i];
    const bool closes = k.kind == JsonbToken::kEndArray || k.kind == JsonbToken::kEndObject;
    if (!closes && !first) length += 2;  // ", "
    after_key = k.kind == JsonbToken::kKey;
    switch (k.kind) {
      case JsonbToken::kKey:
        length += EscapedLength(k.text, k.len) + 2;  // "key": (with the space)
        break;
      case JsonbToken::kString:
        length += EscapedLength(k.text, k.len);
        break;
      case JsonbToken::kNull:
      case JsonbToken::kTrue:
        length += 4;
        break;
      case JsonbToken::kFalse:
        length += 5;
        break;
      default:  // brackets and braces; numbers
        length += k.kind == JsonbToken::kNumber ? k.len : 1;
        break;
    }
    first = k.kind == JsonbToken::kBeginArray || k.kind == JsonbToken::kBeginObject || after_key;
  }
  if (after_key) return length - 1;    // the parser stood just after the ':'
  return first ? length : length + 1;  // after the '[' or the ','
}

// Builds trees from tokens, cursor-style.
class TreeBuilder {
 public:
  TreeBuilder(const JsonbTokens& t, std::string_view what) : t_(t), what_(what) {}

  // The value starting at the cursor, nested `depth` containers deep.
  Value Any(int depth) {
    CheckForInterrupts();
    if (depth > json::kMaxDepth) json::ThrowTooDeep(what_, PrintedOffset(t_, pos_));
    const JsonbToken& k = t_.tokens[pos_++];
    switch (k.kind) {
      case JsonbToken::kBeginArray:
        return Array(depth, k.len);
      case JsonbToken::kBeginObject:
        return Object(depth, k.len);
      case JsonbToken::kNull:
        return Value();
      case JsonbToken::kFalse:
      case JsonbToken::kTrue:
        return Value::Bool(k.kind == JsonbToken::kTrue);
      case JsonbToken::kNumber: {
        Value v;
        v.type = Value::Type::kNumber;
        v.text.assign(k.text, k.len);
        return v;
      }
      case JsonbToken::kString:
        return Value::String(std::string(k.text, k.len));
      default:
        throw Error(sqlstate::kInternal, "pg_dialer: malformed jsonb token stream");
    }
  }

 private:
  // The array whose opening token (of `count` items) was just read.
  Value Array(int depth, uint32_t count) {
    Value v = Value::Array();
    // Why reserve: growing a vector of 400,000 values by doubling moves them all at once,
    // tens of milliseconds in which a cancel goes unnoticed (test/scripts/cancellation.sh).
    v.items.reserve(count);
    while (t_.tokens[pos_].kind != JsonbToken::kEndArray) v.Push(Any(depth + 1));
    ++pos_;
    return v;
  }

  // The object whose opening token (of `count` members) was just read.
  Value Object(int depth, uint32_t count) {
    Value v = Value::Object();
    v.members.reserve(count);  // as in Array
    while (t_.tokens[pos_].kind == JsonbToken::kKey) {
      const JsonbToken& key = t_.tokens[pos_++];
      std::string name(key.text, key.len);
      v.Add(std::move(name), Any(depth + 1));
    }
    ++pos_;  // kEndObject
    return v;
  }

  const JsonbTokens& t_;
  std::string_view what_;
  size_t pos_ = 0;
};

// ---- tree -> jsonb (runs under PgCall: trivially destructible locals only) --

// Why no C++ objects and no throwing here: pushJsonbValue may ereport, and the
// longjmp to PgCall's PG_CATCH must not skip a destructor. The tree itself lives in
// the caller, outside PgCall. Returns false when a cancel request arrived.
bool Push(JsonbParseState** state, const Value& v, JsonbIteratorToken as, unsigned* countdown);

// The jsonb scalar of a tree scalar (strings point into the tree, which outlives
// the push: JsonbValueToJsonb copies them).
JsonbValue Scalar(const Value& v) {
  JsonbValue out;
  switch (v.type) {
    case Value::Type::kBool:
      out.type = jbvBool;
      out.val.boolean = v.boolean;
      break;
    case Value::Type::kNumber:
      out.type = jbvNumeric;
      out.val.numeric =
          DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(v.text.c_str()),
                                              ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
      break;
    case Value::Type::kString:
      out.type = jbvString;
      out.val.string.val = const_cast<char*>(v.text.data());
      out.val.string.len = static_cast<int>(v.text.size());
      break;
    default:
      out.type = jbvNull;
      break;
  }
  return out;
}

// Pushes a container's items or members; returns the finished container (what its
// closing push returns), nullptr on a cancel request.
JsonbValue* PushContainer(JsonbParseState** state, const Value& v, unsigned* countdown) {
  const bool object = v.type == Value::Type::kObject;
  pushJsonbValue(state, object ? WJB_BEGIN_OBJECT : WJB_BEGIN_ARRAY, nullptr);
  for (const Value& item : v.items) {
    if (!Push(state, item, WJB_ELEM, countdown)) return nullptr;
  }
  for (const auto& member : v.members) {
    JsonbValue key;
    key.type = jbvString;
    key.val.string.val = const_cast<char*>(member.first.data());
    key.val.string.len = static_cast<int>(member.first.size());
    pushJsonbValue(state, WJB_KEY, &key);
    if (!Push(state, member.second, WJB_VALUE, countdown)) return nullptr;
  }
  return pushJsonbValue(state, object ? WJB_END_OBJECT : WJB_END_ARRAY, nullptr);
}

bool Push(JsonbParseState** state, const Value& v, JsonbIteratorToken as, unsigned* countdown) {
  if (--*countdown == 0) {
    *countdown = dialer::kInterruptStride;
    if (unlikely(InterruptPending) && InterruptWouldRaise()) return false;
  }
  if (v.type == Value::Type::kArray || v.type == Value::Type::kObject) {
    return PushContainer(state, v, countdown) != nullptr;
  }
  JsonbValue scalar = Scalar(v);
  pushJsonbValue(state, as, &scalar);
  return true;
}

// The jsonb of a tree, or nullptr on a cancel request. A scalar document becomes
// jsonb's raw-scalar pseudo-array, as jsonb_in makes it.
Jsonb* BuildJsonb(const Value& v) {
  JsonbParseState* state = nullptr;
  unsigned countdown = dialer::kInterruptStride;
  JsonbValue* root = nullptr;
  if (v.type == Value::Type::kArray || v.type == Value::Type::kObject) {
    root = PushContainer(&state, v, &countdown);
    if (root == nullptr) return nullptr;
  } else {
    JsonbValue array;
    array.type = jbvArray;
    array.val.array.rawScalar = true;
    array.val.array.nElems = 1;
    pushJsonbValue(&state, WJB_BEGIN_ARRAY, &array);
    JsonbValue scalar = Scalar(v);
    pushJsonbValue(&state, WJB_ELEM, &scalar);
    root = pushJsonbValue(&state, WJB_END_ARRAY, nullptr);
  }
  return JsonbValueToJsonb(root);
}

}  // namespace

bool FlattenJsonb(Jsonb* jb, JsonbTokens* out) {
  FlattenState state{out, 64, false, 0};
  out->tokens = static_cast<JsonbToken*>(palloc(state.capacity * sizeof(JsonbToken)));
  out->count = 0;
  JsonbIterator* it = JsonbIteratorInit(&jb->root);
  JsonbValue v;
  JsonbIteratorToken token;
  unsigned countdown = dialer::kInterruptStride;
  while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
    if (--countdown == 0) {
      countdown = dialer::kInterruptStride;
      if (unlikely(InterruptPending) && InterruptWouldRaise()) return false;
    }
    FlattenOne(token, v, &state);
  }
  return true;
}

Value TreeOfTokens(const JsonbTokens& tokens, std::string_view what) {
  if (tokens.count == 0) throw Error(sqlstate::kInternal, "pg_dialer: empty jsonb token stream");
  return TreeBuilder(tokens, what).Any(0);
}

Value ReadJsonb(Jsonb* jb, std::string_view what) {
  JsonbTokens tokens{nullptr, 0};
  if (!PgCall([&] { return FlattenJsonb(jb, &tokens); })) throw Interrupted();
  return TreeOfTokens(tokens, what);
}

Datum ToJsonb(const Value& v) {
  Jsonb* jb = PgCall([&] { return BuildJsonb(v); });
  if (jb == nullptr) throw Interrupted();
  return JsonbPGetDatum(jb);
}

}  // namespace dialer::pg
