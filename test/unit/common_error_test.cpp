// Unit tests for the pure error type and the boundary's fault injector.
#include <gtest/gtest.h>

#include <new>
#include <stdexcept>

#include "common/error.hpp"
#include "selftest/raise.hpp"

TEST(Error, CarriesSqlstateMessageDetailAndHint) {
  dialer::Error e("22023", "bad phone \"x\"", "not a number", "pass digits");
  EXPECT_EQ(e.sqlstate(), "22023");
  EXPECT_STREQ(e.what(), "bad phone \"x\"");
  EXPECT_EQ(e.detail(), "not a number");
  EXPECT_EQ(e.hint(), "pass digits");
}

TEST(SelftestRaise, ThrowsEachFamily) {
  EXPECT_NO_THROW(dialer::selftest::Raise("none"));
  EXPECT_THROW(dialer::selftest::Raise("domain"), dialer::Error);
  EXPECT_THROW(dialer::selftest::Raise("bad_alloc"), std::bad_alloc);
  EXPECT_THROW(dialer::selftest::Raise("std"), std::runtime_error);
  EXPECT_THROW(dialer::selftest::Raise("foreign"), int);
}

TEST(SelftestRaise, UnknownKindIsADomainErrorNamingIt) {
  try {
    dialer::selftest::Raise("zap");
    FAIL() << "expected a throw";
  } catch (const dialer::Error& e) {
    EXPECT_EQ(e.sqlstate(), "22023");
    EXPECT_NE(std::string(e.what()).find("\"zap\""), std::string::npos);
  }
}
