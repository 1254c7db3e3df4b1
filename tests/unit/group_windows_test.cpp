#include "store/group_windows.hpp"

#include <gtest/gtest.h>

namespace lagwatch::store {
namespace {

model::GroupLag group(const std::string& name, int64_t offset, int64_t lag, bool described, size_t members) {
  model::GroupLag g;
  g.group = name;
  g.described = described;
  g.members = members;
  model::PartitionLag p;
  p.topic = "orders";
  p.partition = 0;
  p.committed_offset = offset;
  p.log_end_offset = offset + lag;
  p.lag = lag;
  g.partitions.push_back(p);
  return g;
}

TEST(GroupWindows, AMovingOffsetIsAlwaysObserved) {
  GroupWindows w(3);
  w.record({group("g", 10, 5, false, 0)}, 1'000);
  w.record({group("g", 20, 5, false, 0)}, 2'000);
  const auto* win = w.find("g", "orders", 0);
  ASSERT_NE(win, nullptr);
  ASSERT_EQ(win->size(), 2u);
  EXPECT_EQ(win->back().offset, 20);
  EXPECT_EQ(win->back().timestamp_ms, 2'000);
  EXPECT_EQ(win->back().lag, 5);
}

TEST(GroupWindows, AnUnchangedOffsetIsObservedOnlyWhileMembersAreAlive) {
  GroupWindows w(10);
  // Alive but not moving: each poll adds an observation (what STALL looks for).
  w.record({group("alive", 10, 5, true, 2)}, 1'000);
  w.record({group("alive", 10, 9, true, 2)}, 2'000);
  EXPECT_EQ(w.find("alive", "orders", 0)->size(), 2u);
  // No members: the last observation ages instead (what STOP looks for).
  w.record({group("gone", 10, 5, true, 0)}, 1'000);
  w.record({group("gone", 10, 9, true, 0)}, 2'000);
  EXPECT_EQ(w.find("gone", "orders", 0)->size(), 1u);
  // Membership unknown (no DescribeGroups): treated like no members.
  w.record({group("unknown", 10, 5, false, 0)}, 1'000);
  w.record({group("unknown", 10, 9, false, 0)}, 2'000);
  EXPECT_EQ(w.find("unknown", "orders", 0)->size(), 1u);
}

TEST(GroupWindows, KeepsOnlyTheLastNObservations) {
  GroupWindows w(3);
  for (int i = 1; i <= 5; ++i) w.record({group("g", i * 10, 0, false, 0)}, i * 1'000);
  const auto* win = w.find("g", "orders", 0);
  ASSERT_EQ(win->size(), 3u);
  EXPECT_EQ(win->front().offset, 30);
  EXPECT_EQ(win->back().offset, 50);
}

TEST(GroupWindows, ForgetsGoneGroupsButKeepsOnesThatFailedToAnswer) {
  GroupWindows w(3);
  w.record({group("a", 10, 0, false, 0), group("b", 10, 0, false, 0)}, 1'000);
  auto failed = group("b", 0, 0, false, 0);
  failed.partitions.clear();
  failed.error = "OffsetFetch: timed out";
  w.record({failed}, 2'000);
  EXPECT_EQ(w.find("a", "orders", 0), nullptr);
  ASSERT_NE(w.find("b", "orders", 0), nullptr);
  EXPECT_EQ(w.find("b", "orders", 0)->back().timestamp_ms, 1'000);
}

}  // namespace
}  // namespace lagwatch::store
