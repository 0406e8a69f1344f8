// The cores' interrupt hook (common/interrupts.hpp): how often it runs, that a hook that
// throws stops the loops over caller-controlled input, and that no hook means no check.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/interrupts.hpp"
#include "common/json.hpp"
#include "schedule/policy.hpp"
#include "schedule/windows.hpp"

namespace {

int g_calls = 0;
bool g_interrupt = false;

void CountingHook() {
  ++g_calls;
  if (g_interrupt) throw dialer::Interrupted();
}

// Installs CountingHook for one test and removes it afterwards.
class InterruptHookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_calls = 0;
    g_interrupt = false;
    dialer::SetInterruptHook(&CountingHook);
  }
  void TearDown() override { dialer::SetInterruptHook(nullptr); }
};

// A JSON array of n copies of item.
std::string Array(const std::string& key, const std::string& item, int n) {
  std::string s = "{\"" + key + "\": [";
  for (int i = 0; i < n; ++i) s += (i ? ", " : "") + item;
  return s + "]}";
}

TEST_F(InterruptHookTest, RunsOncePerStride) {
  EXPECT_EQ(dialer::CurrentInterruptHook(), &CountingHook);
  for (unsigned i = 0; i < 10 * dialer::kInterruptStride; ++i) dialer::CheckForInterrupts();
  EXPECT_EQ(g_calls, 10);
  dialer::CheckForInterruptsNow();
  EXPECT_EQ(g_calls, 11);
}

TEST_F(InterruptHookTest, ThrowingHookStopsJsonParsing) {
  const std::string doc = Array("terminal", "\"no_answer\"", 100000);
  EXPECT_NO_THROW(dialer::json::Parse(doc, "retry policy"));
  EXPECT_GE(g_calls, 100000 / static_cast<int>(dialer::kInterruptStride));
  g_interrupt = true;
  g_calls = 0;
  EXPECT_THROW(dialer::json::Parse(doc, "retry policy"), dialer::Interrupted);
  EXPECT_EQ(g_calls, 1);  // stopped at the first check
}

TEST_F(InterruptHookTest, ThrowingHookStopsPolicyAndWindowReaders) {
  const dialer::json::Value policy =
      dialer::json::Parse(Array("terminal", "\"busy\"", 5000), "retry policy");
  g_interrupt = true;
  EXPECT_THROW(dialer::schedule::RetryPolicy::FromJson(policy), dialer::Interrupted);
  EXPECT_THROW(dialer::schedule::CallingWindows::Parse(
                   Array("blackout_dates", "\"2030-01-01\"", 5000), "calling windows"),
               dialer::Interrupted);
}

TEST_F(InterruptHookTest, ThrowingHookStopsASort) {
  std::vector<int> v(100000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int>((i * 7919) % v.size());
  g_interrupt = true;
  EXPECT_THROW(dialer::SortCheckingInterrupts(&v, std::less<int>()), dialer::Interrupted);
  g_interrupt = false;
  dialer::SortCheckingInterrupts(&v, std::less<int>());
  EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
}

TEST(InterruptHookAbsent, ChecksDoNothingWithoutAHook) {
  dialer::SetInterruptHook(nullptr);
  EXPECT_EQ(dialer::CurrentInterruptHook(), nullptr);
  for (int i = 0; i < 100000; ++i) dialer::CheckForInterrupts();
  dialer::CheckForInterruptsNow();
  EXPECT_NO_THROW(dialer::json::Parse(Array("terminal", "\"busy\"", 10000), "retry policy"));
}

}  // namespace
