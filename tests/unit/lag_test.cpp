#include "model/lag.hpp"

#include <gtest/gtest.h>

#include "store/partition_histories.hpp"

namespace lagwatch::model {
namespace {

ClusterSnapshot snapshot_with(std::vector<int64_t> end_offsets, int64_t at_ms = 60'000) {
  ClusterSnapshot s;
  s.cluster = "c";
  s.metadata_ok = true;
  s.offsets_read_at = Clock::time_point(std::chrono::milliseconds(at_ms));
  s.finished = s.offsets_read_at;
  Topic t;
  t.name = "orders";
  for (size_t i = 0; i < end_offsets.size(); ++i) {
    Partition p;
    p.id = static_cast<int32_t>(i);
    p.leader = 1;
    p.replicas = p.isr = {1, 2, 3};
    if (end_offsets[i] >= 0) p.log_end_offset = end_offsets[i];
    t.partitions.push_back(p);
  }
  s.topics.push_back(t);
  return s;
}

TEST(OffsetLag, IsEndMinusCommittedClampedAtZero) {
  EXPECT_EQ(offset_lag(100, 40), 60);
  EXPECT_EQ(offset_lag(100, 100), 0);
  EXPECT_EQ(offset_lag(100, 130), 0);  // commit newer than the end offset we read
}

TEST(ComputeLag, JoinsCommitsWithEndOffsetsAndCountsUncommittedPartitions) {
  auto s = snapshot_with({100, 50, 10});
  Group g;
  g.name = "billing";
  g.offsets = {{"orders", 0, 40}, {"orders", 1, 50}, {"gone-topic", 0, 7}};
  s.groups.push_back(g);

  auto lag = compute_lag(s, nullptr);
  ASSERT_EQ(lag.size(), 1u);
  const auto& gl = lag[0];
  ASSERT_EQ(gl.partitions.size(), 2u);  // the deleted topic's commit is dropped
  EXPECT_EQ(gl.partitions[0].lag, 60);
  EXPECT_EQ(gl.partitions[1].lag, 0);
  EXPECT_EQ(gl.total_lag(), 60);
  EXPECT_EQ(gl.uncommitted_partitions.at("orders"), 1);
}

TEST(ComputeLag, UnknownEndOffsetMeansUnknownLagNotMinusOne) {
  auto s = snapshot_with({-1, 5});
  Group g;
  g.name = "g";
  g.offsets = {{"orders", 0, 3}, {"orders", 1, 2}};
  s.groups.push_back(g);
  auto lag = compute_lag(s, nullptr);
  EXPECT_FALSE(lag[0].partitions[0].lag.has_value());
  EXPECT_EQ(lag[0].partitions[1].lag, 3);
  EXPECT_EQ(lag[0].total_lag(), 3);
}

TEST(ComputeLag, GroupWithoutMembersButWithCommitsStillHasLag) {
  // A stopped consumer (Empty group, or a KIP-848 group that old describe calls see as Dead)
  // is exactly the one whose lag matters.
  auto s = snapshot_with({500});
  Group g;
  g.name = "stopped";
  g.state = "Empty";
  g.described = true;
  g.offsets = {{"orders", 0, 100}};
  s.groups.push_back(g);
  auto lag = compute_lag(s, nullptr);
  EXPECT_EQ(lag[0].members, 0u);
  EXPECT_EQ(lag[0].total_lag(), 400);
}

TEST(ComputeLag, AssignedTopicsWithoutAnyCommitAreCountedAsUncommitted) {
  auto s = snapshot_with({5, 5, 5});
  Group g;
  g.name = "new";
  g.described = true;
  g.members.push_back({"m1", "c1", "/10.0.0.1", {{"orders", 0}, {"orders", 1}, {"orders", 2}}});
  s.groups.push_back(g);
  auto lag = compute_lag(s, nullptr);
  EXPECT_TRUE(lag[0].partitions.empty());
  EXPECT_EQ(lag[0].uncommitted_partitions.at("orders"), 3);
}

TEST(ComputeLag, LagSecondsComesFromTheEndOffsetHistory) {
  store::PartitionHistories histories(64);
  histories.record(snapshot_with({0}, 0));
  histories.record(snapshot_with({1000}, 100'000));  // 10 records/s
  auto s = snapshot_with({1000}, 100'000);
  Group g;
  g.name = "slow";
  g.offsets = {{"orders", 0, 499}};  // record 499 appended at 50 s
  s.groups.push_back(g);
  auto lag = compute_lag(s, &histories);
  EXPECT_DOUBLE_EQ(lag[0].partitions[0].lag_seconds, 50.0);
  EXPECT_FALSE(lag[0].partitions[0].lag_seconds_lower_bound);
  EXPECT_DOUBLE_EQ(lag[0].max_lag_seconds(), 50.0);
}

TEST(PartitionHistories, ForgetsPartitionsThatDisappear) {
  store::PartitionHistories histories(16);
  histories.record(snapshot_with({1, 2, 3}, 0));
  EXPECT_EQ(histories.size(), 3u);
  histories.record(snapshot_with({1}, 1'000));
  EXPECT_EQ(histories.size(), 1u);
  EXPECT_EQ(histories.find("orders", 2), nullptr);
}

TEST(PartitionHistories, AnUnreachableClusterAddsNothing) {
  store::PartitionHistories histories(16);
  histories.record(snapshot_with({1, 2}, 0));
  auto down = snapshot_with({}, 1'000);
  down.metadata_ok = false;
  down.topics.clear();
  histories.record(down);
  EXPECT_EQ(histories.size(), 2u);
}

}  // namespace
}  // namespace lagwatch::model
