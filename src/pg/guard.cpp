// The error boundary's non-template half: capturing a C++ exception into static
// storage and raising it as a Postgres ERROR (see guard.hpp for the why).
#include "pg/guard.hpp"

#include <new>
#include <stdexcept>

#include "common/error.hpp"
#include "common/interrupts.hpp"
#include "pg/interrupts.hpp"

namespace dialer::pg {
namespace {

// What CaptureCurrentException saw; static so that capturing never allocates.
struct CapturedError {
  char sqlstate[6];
  char message[1024];
  char detail[1024];
  char hint[512];
  ErrorData* pg_error;  // set when a PgError is being re-raised
  bool interrupted;     // a core stopped for a cancel or terminate request
};

CapturedError g_captured;

// Copies src into a fixed buffer, truncating; never allocates.
void CopyText(char* dst, size_t size, const char* src) noexcept {
  strlcpy(dst, src != nullptr ? src : "", size);
}

// Fills g_captured from the fields of one error.
void Capture(const char* sqlstate, const char* message, const char* detail,
             const char* hint) noexcept {
  CopyText(g_captured.sqlstate, sizeof g_captured.sqlstate, sqlstate);
  CopyText(g_captured.message, sizeof g_captured.message, message);
  CopyText(g_captured.detail, sizeof g_captured.detail, detail);
  CopyText(g_captured.hint, sizeof g_captured.hint, hint);
  g_captured.pg_error = nullptr;
  g_captured.interrupted = false;
}

// True when s is five characters of [0-9A-Z], a well-formed SQLSTATE.
bool IsSqlstate(const char* s) noexcept {
  for (int i = 0; i < 5; ++i) {
    bool ok = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z');
    if (!ok) return false;
  }
  return s[5] == '\0';
}

}  // namespace

const char* PgError::what() const noexcept {
  return data_ != nullptr && data_->message != nullptr ? data_->message : "postgres error";
}

void CaptureCurrentException() noexcept {
  try {
    throw;
  } catch (const dialer::Interrupted&) {
    Capture("57014", "interrupted", nullptr, nullptr);
    g_captured.interrupted = true;
  } catch (const PgError& e) {
    Capture("XX000", e.what(), nullptr, nullptr);
    g_captured.pg_error = e.data();
  } catch (const dialer::Error& e) {
    Capture(e.sqlstate().c_str(), e.what(), e.detail().c_str(), e.hint().c_str());
  } catch (const std::bad_alloc&) {
    Capture("53200", "out of memory", "A C++ allocation failed inside pg_dialer.", nullptr);
  } catch (const std::exception& e) {
    Capture("XX000", e.what(), "An unexpected C++ exception reached the pg_dialer boundary.",
            "This is a bug in pg_dialer; please report it with the statement that caused it.");
  } catch (...) {
    Capture("XX000", "unknown C++ exception in pg_dialer",
            "An exception of a non-standard type reached the pg_dialer boundary.",
            "This is a bug in pg_dialer; please report it with the statement that caused it.");
  }
}

void RaiseCapturedError() {
  if (g_captured.interrupted) {
    g_captured.interrupted = false;
    RaiseInterrupt();
  }
  if (g_captured.pg_error != nullptr) {
    ErrorData* data = g_captured.pg_error;
    g_captured.pg_error = nullptr;
    ReThrowError(data);
  }
  const char* s = IsSqlstate(g_captured.sqlstate) ? g_captured.sqlstate : "XX000";
  ereport(ERROR, (errcode(MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4])),
                  errmsg_internal("%s", g_captured.message),
                  g_captured.detail[0] != '\0' ? errdetail_internal("%s", g_captured.detail) : 0,
                  g_captured.hint[0] != '\0' ? errhint("%s", g_captured.hint) : 0));
  pg_unreachable();
}

}  // namespace dialer::pg
