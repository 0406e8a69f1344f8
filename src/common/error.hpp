// dialer::Error — the one exception type pure cores throw for user-facing errors.
// It carries a five-character SQLSTATE plus message, detail and hint so the boundary
// (src/pg/guard.hpp) can turn it into an ereport without the core knowing Postgres.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace dialer {

// SQLSTATEs the cores use; PostgREST maps 22xxx to HTTP 400.
namespace sqlstate {
inline constexpr const char* kInvalidParameterValue = "22023";
inline constexpr const char* kInvalidTextRepresentation = "22P02";
inline constexpr const char* kDataException = "22000";
inline constexpr const char* kCheckViolation = "23514";
inline constexpr const char* kInternal = "XX000";
}  // namespace sqlstate

// A user-facing error raised by a core: SQLSTATE, message, DETAIL and HINT.
class Error : public std::runtime_error {
 public:
  Error(std::string sqlstate, const std::string& message, std::string detail = {},
        std::string hint = {})
      : std::runtime_error(message),
        sqlstate_(std::move(sqlstate)),
        detail_(std::move(detail)),
        hint_(std::move(hint)) {}

  // Five-character SQLSTATE, e.g. "22023".
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // The DETAIL line (may be empty).
  const std::string& detail() const noexcept { return detail_; }
  // The HINT line (may be empty).
  const std::string& hint() const noexcept { return hint_; }

 private:
  std::string sqlstate_;
  std::string detail_;
  std::string hint_;
};

}  // namespace dialer
