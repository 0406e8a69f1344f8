// Interrupts at the boundary (see interrupts.hpp and common/interrupts.hpp).
//
// Why not CHECK_FOR_INTERRUPTS() in the hook: it raises the cancel error with a longjmp,
// which would skip the destructors of every C++ object between the loop and the Guard.
// The hook only looks at the flags and throws dialer::Interrupted; Guard catches it, the
// objects die, and RaiseInterrupt() lets Postgres do its own cancel or terminate handling.
#include "pg/interrupts.hpp"

#include "common/interrupts.hpp"

extern "C" {
#include "miscadmin.h"
#include "utils/numeric.h"
}

namespace dialer::pg {
namespace {

// The cores' hook: throws when Postgres would raise at CHECK_FOR_INTERRUPTS().
void ThrowIfInterrupted() {
  if (unlikely(InterruptPending) && InterruptWouldRaise()) throw dialer::Interrupted();
}

// Appends s[0..len) as a JSON string, escaped as escape_json() does.
void AppendJsonString(StringInfo out, const char* s, int len) {
  appendStringInfoCharMacro(out, '"');
  int plain = 0;  // start of the run of characters copied as they are
  for (int i = 0; i < len; i++) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= ' ' && c != '"' && c != '\\') continue;
    appendBinaryStringInfo(out, s + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '\b': appendStringInfoString(out, "\\b"); break;
      case '\f': appendStringInfoString(out, "\\f"); break;
      case '\n': appendStringInfoString(out, "\\n"); break;
      case '\r': appendStringInfoString(out, "\\r"); break;
      case '\t': appendStringInfoString(out, "\\t"); break;
      case '"': appendStringInfoString(out, "\\\""); break;
      case '\\': appendStringInfoString(out, "\\\\"); break;
      default: appendStringInfo(out, "\\u%04x", static_cast<int>(c)); break;
    }
  }
  appendBinaryStringInfo(out, s + plain, len - plain);
  appendStringInfoCharMacro(out, '"');
}

// Appends one scalar as JsonbToCString prints it.
void AppendScalar(StringInfo out, const JsonbValue* v) {
  switch (v->type) {
    case jbvNull:
      appendBinaryStringInfo(out, "null", 4);
      break;
    case jbvString:
      AppendJsonString(out, v->val.string.val, v->val.string.len);
      break;
    case jbvNumeric: {
      char* digits = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
      appendStringInfoString(out, digits);
      pfree(digits);
      break;
    }
    case jbvBool:
      appendStringInfoString(out, v->val.boolean ? "true" : "false");
      break;
    default:
      elog(ERROR, "pg_dialer: unexpected jsonb value type %d", static_cast<int>(v->type));
  }
}

}  // namespace

bool InterruptWouldRaise() {
  if (!InterruptPending || InterruptHoldoffCount != 0 || CritSectionCount != 0) return false;
  return ProcDiePending || (QueryCancelPending && QueryCancelHoldoffCount == 0);
}

void InstallInterruptHook() { dialer::SetInterruptHook(&ThrowIfInterrupted); }

void RaiseInterrupt() {
  CHECK_FOR_INTERRUPTS();
  // Only if the request was withdrawn in between (it never is for a cancel or a
  // terminate): the work was abandoned all the same, so the statement must fail.
  ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED),
                  errmsg("canceling statement due to an interrupt inside pg_dialer")));
  pg_unreachable();
}

char* JsonbToTextChecked(Jsonb* jb) {
  StringInfoData out;
  initStringInfo(&out);
  JsonbIterator* it = JsonbIteratorInit(&jb->root);
  JsonbValue v;
  JsonbIteratorToken token;
  bool first = true;       // the next item is the first of its container (no comma)
  bool raw_scalar = false;  // the document is one scalar (a pseudo-array of one)
  int depth = 0;
  unsigned countdown = dialer::kInterruptStride;
  while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
    if (--countdown == 0) {
      countdown = dialer::kInterruptStride;
      if (unlikely(InterruptPending) && InterruptWouldRaise()) {
        pfree(out.data);
        return nullptr;
      }
    }
    switch (token) {
      case WJB_BEGIN_ARRAY:
        if (depth++ == 0 && v.val.array.rawScalar) {
          raw_scalar = true;
          break;
        }
        if (!first) appendBinaryStringInfo(&out, ", ", 2);
        appendStringInfoCharMacro(&out, '[');
        first = true;
        break;
      case WJB_BEGIN_OBJECT:
        depth++;
        if (!first) appendBinaryStringInfo(&out, ", ", 2);
        appendStringInfoCharMacro(&out, '{');
        first = true;
        break;
      case WJB_KEY:
        if (!first) appendBinaryStringInfo(&out, ", ", 2);
        AppendJsonString(&out, v.val.string.val, v.val.string.len);
        appendBinaryStringInfo(&out, ": ", 2);
        first = true;  // the value follows without a comma
        break;
      case WJB_VALUE:
      case WJB_ELEM:
        if (!first) appendBinaryStringInfo(&out, ", ", 2);
        AppendScalar(&out, &v);
        first = false;
        break;
      case WJB_END_ARRAY:
        if (--depth == 0 && raw_scalar) break;
        appendStringInfoCharMacro(&out, ']');
        first = false;
        break;
      case WJB_END_OBJECT:
        depth--;
        appendStringInfoCharMacro(&out, '}');
        first = false;
        break;
      default:
        elog(ERROR, "pg_dialer: unexpected jsonb token %d", static_cast<int>(token));
    }
  }
  return out.data;
}

}  // namespace dialer::pg
