// Fault injection for the boundary test: one throw per exception family.
#include "selftest/raise.hpp"

#include <new>
#include <stdexcept>
#include <string>

#include "common/error.hpp"

namespace dialer::selftest {

void Raise(std::string_view kind) {
  if (kind == "none") return;
  if (kind == "domain")
    throw Error(sqlstate::kInvalidParameterValue, "selftest: domain error from a core",
                "A core threw dialer::Error.", "This is what a core's user error looks like.");
  if (kind == "bad_alloc") throw std::bad_alloc();
  if (kind == "std") throw std::runtime_error("selftest: std::runtime_error from a core");
  if (kind == "foreign") throw 42;
  throw Error(sqlstate::kInvalidParameterValue,
              "selftest: unknown fault kind \"" + std::string(kind) + "\"",
              "Known kinds are none, domain, bad_alloc, std, foreign and pg.",
              "Pass one of the known kinds.");
}

}  // namespace dialer::selftest
