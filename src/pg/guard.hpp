// The C++/Postgres error boundary. Every SQL-callable C++ function runs its body in
// Guard(); C++ code that must call a Postgres function that can ereport wraps that
// single call in PgCall().
//
// Why this shape: ereport(ERROR) is a longjmp. If it crosses a C++ frame that owns
// objects their destructors never run (leaks, held locks, corrupted state), and a
// C++ exception unwinding through Postgres C frames is undefined behaviour. So:
//  * Guard catches every C++ exception, copies what it needs into static storage
//    (no allocation inside catch, so nothing there can longjmp), lets the catch
//    block end and every C++ object die, and only then raises the Postgres error;
//  * PgCall runs one Postgres call under PG_TRY, turns a Postgres error into a
//    C++ PgError exception, and the Guard later re-raises it with all its fields;
//  * a core loop that sees a cancel or terminate request throws dialer::Interrupted
//    (common/interrupts.hpp, hook in pg/interrupts.cpp); the Guard then lets
//    CHECK_FOR_INTERRUPTS() raise Postgres' own error once every C++ object is gone.
#pragma once

#include <exception>
#include <type_traits>

#include "pg/postgres_includes.hpp"

namespace dialer::pg {

// A Postgres error caught by PgCall, carried through C++ as an exception.
class PgError : public std::exception {
 public:
  explicit PgError(ErrorData* data) noexcept : data_(data) {}
  // The copied error (palloc'd in the caller's memory context).
  ErrorData* data() const noexcept { return data_; }
  const char* what() const noexcept override;

 private:
  ErrorData* data_;
};

// Records the exception being handled; call only inside a catch block. Never throws,
// never allocates.
void CaptureCurrentException() noexcept;

// Raises the error recorded by CaptureCurrentException as a Postgres ERROR.
[[noreturn]] void RaiseCapturedError();

// Runs body() and returns its result; any C++ exception becomes a Postgres ERROR
// raised after the catch block has ended. body must return a trivially
// destructible value (Datum, a pointer, a number) so nothing outlives the guard.
template <typename Body>
auto Guard(Body&& body) -> decltype(body()) {
  static_assert(std::is_trivially_destructible_v<decltype(body())>,
                "Guard bodies must return trivially destructible values");
  try {
    return body();
  } catch (...) {
    CaptureCurrentException();
  }
  RaiseCapturedError();
}

// Runs one Postgres call that may ereport; a Postgres error becomes a PgError.
// Why: the callee must not hold resources that need a subtransaction to release
// (buffer pins, locks, SPI); use this for pure functions such as type input/output.
template <typename Call>
auto PgCall(Call&& call) -> decltype(call()) {
  using Result = decltype(call());
  if constexpr (std::is_void_v<Result>) {
    // A void call runs as one that returns a value nobody reads.
    PgCall([&] {
      call();
      return true;
    });
  } else {
    MemoryContext caller_context = CurrentMemoryContext;
    // volatile: both are written between sigsetjmp and a possible siglongjmp.
    ErrorData* volatile error = nullptr;
    Result volatile result{};
    PG_TRY();
    { result = call(); }
    PG_CATCH();
    {
      MemoryContextSwitchTo(caller_context);
      error = CopyErrorData();
      FlushErrorState();
    }
    PG_END_TRY();
    if (error != nullptr) throw PgError(error);
    return static_cast<Result>(result);
  }
}

}  // namespace dialer::pg
