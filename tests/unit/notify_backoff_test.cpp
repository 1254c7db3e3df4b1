// The retry schedule of a notifier (notify/backoff.hpp).
#include <gtest/gtest.h>

#include "notify/backoff.hpp"

namespace lagwatch::notify {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesFromInitialUpToMax) {
  std::vector<long> got;
  for (int retry = 1; retry <= 9; ++retry)
    got.push_back(backoff_delay(retry, milliseconds(1'000), milliseconds(60'000)).count());
  EXPECT_EQ(got, (std::vector<long>{1'000, 2'000, 4'000, 8'000, 16'000, 32'000, 60'000, 60'000, 60'000}));
}

TEST(Backoff, MaxNotAPowerOfTwoOfInitial) {
  std::vector<long> got;
  for (int retry = 1; retry <= 5; ++retry)
    got.push_back(backoff_delay(retry, milliseconds(300), milliseconds(1'000)).count());
  EXPECT_EQ(got, (std::vector<long>{300, 600, 1'000, 1'000, 1'000}));
}

TEST(Backoff, EdgeCases) {
  EXPECT_EQ(backoff_delay(0, milliseconds(500), milliseconds(1'000)), milliseconds(0));
  EXPECT_EQ(backoff_delay(-3, milliseconds(500), milliseconds(1'000)), milliseconds(0));
  EXPECT_EQ(backoff_delay(1, milliseconds(500), milliseconds(500)), milliseconds(500));
  EXPECT_EQ(backoff_delay(7, milliseconds(500), milliseconds(500)), milliseconds(500));
  // Many retries never overflow.
  EXPECT_EQ(backoff_delay(1'000'000, milliseconds(10), milliseconds(86'400'000)), milliseconds(86'400'000));
}

}  // namespace
}  // namespace lagwatch::notify
