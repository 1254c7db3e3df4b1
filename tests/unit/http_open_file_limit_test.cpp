#include <gtest/gtest.h>
#include <sys/resource.h>

#include "util/open_file_limit.hpp"

namespace {

TEST(HttpOpenFileLimit, RaisesTheSoftLimitToTheHardOne) {
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &before), 0);
  const auto raised = lagwatch::util::raise_open_file_limit();
  rlimit after{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &after), 0);
  EXPECT_EQ(raised, static_cast<std::uint64_t>(after.rlim_cur));
  EXPECT_GE(after.rlim_cur, before.rlim_cur);  // never lowered
  if (before.rlim_max != RLIM_INFINITY) {
    EXPECT_EQ(after.rlim_cur, before.rlim_max);
  }
  EXPECT_EQ(lagwatch::util::raise_open_file_limit(), raised);  // idempotent
}

}  // namespace
