// Datum <-> C++ conversions used inside Guard bodies. Inputs are read as views of
// already-detoasted Postgres memory; outputs are copied into palloc'd memory
// through PgCall, so an out-of-memory error becomes a C++ exception.
#pragma once

#include <string>
#include <string_view>

#include "pg/guard.hpp"

namespace dialer::pg {

// A view of a text argument's bytes (the argument must outlive the view).
inline std::string_view TextView(const text* t) {
  return std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

// A palloc'd text copy of s, raising PgError on out-of-memory.
inline text* ToText(std::string_view s) {
  return PgCall([&] { return cstring_to_text_with_len(s.data(), static_cast<int>(s.size())); });
}

}  // namespace dialer::pg
