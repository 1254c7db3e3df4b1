#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "captured_log.hpp"
#include "util/rate_limited_log.hpp"

namespace lagwatch::util {
namespace {

using namespace std::chrono_literals;

using lagwatch::testing::CapturedLog;

TEST(HttpRateLimitedLog, FirstEventLoggedThenOneLinePerPeriodWithCount) {
  CapturedLog captured{spdlog::level::trace};
  RateLimitedLog log(60s);
  const auto t0 = RateLimitedLog::Clock::time_point{} + 1000s;
  log.note(spdlog::level::warn, "k", "refused", t0);
  ASSERT_EQ(captured.lines().size(), 1u);
  EXPECT_NE(captured.lines()[0].find("refused"), std::string::npos);
  for (int i = 1; i <= 1000; ++i) log.note(spdlog::level::warn, "k", "refused", t0 + std::chrono::milliseconds(i));
  EXPECT_EQ(captured.lines().size(), 1u);
  log.note(spdlog::level::warn, "k", "refused", t0 + 61s);
  ASSERT_EQ(captured.lines().size(), 2u);
  EXPECT_NE(captured.lines()[1].find("1001 times in the last 61 s"), std::string::npos) << captured.lines()[1];
  EXPECT_EQ(log.total("k"), 1002u);
  EXPECT_EQ(log.total("other"), 0u);
}

TEST(HttpRateLimitedLog, KindsAreIndependent) {
  CapturedLog captured{spdlog::level::trace};
  RateLimitedLog log(60s);
  const auto t0 = RateLimitedLog::Clock::time_point{} + 1000s;
  log.note(spdlog::level::warn, "a", "event a", t0);
  log.note(spdlog::level::info, "b", "event b", t0);
  log.note(spdlog::level::warn, "a", "event a", t0 + 1s);
  EXPECT_EQ(captured.lines().size(), 2u);
}

TEST(HttpRateLimitedLog, FlushReportsWhatIsPendingOnce) {
  CapturedLog captured{spdlog::level::trace};
  {
    RateLimitedLog log(60s);
    const auto t0 = RateLimitedLog::Clock::time_point{} + 1000s;
    log.note(spdlog::level::warn, "a", "event a", t0);
    log.note(spdlog::level::warn, "a", "event a", t0 + 1s);
    log.note(spdlog::level::warn, "a", "event a", t0 + 2s);
    log.flush(t0 + 3s);
    ASSERT_EQ(captured.lines().size(), 2u);
    EXPECT_NE(captured.lines()[1].find("2 times in the last 3 s"), std::string::npos) << captured.lines()[1];
    log.flush(t0 + 4s);
  }  // the destructor finds nothing left
  EXPECT_EQ(captured.lines().size(), 2u);
}

}  // namespace
}  // namespace lagwatch::util
