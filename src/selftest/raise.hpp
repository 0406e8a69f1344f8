// A pure-core fault injector used only by the boundary's own regression test
// (sql/boundary.sql): it throws each kind of C++ exception the guard must handle.
#pragma once

#include <string_view>

namespace dialer::selftest {

// Throws the exception named by kind ("domain", "bad_alloc", "std", "foreign");
// returns normally for "none".
void Raise(std::string_view kind);

}  // namespace dialer::selftest
