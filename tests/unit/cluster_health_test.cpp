// Cluster health on snapshots built by hand: what the mock cluster cannot show (ISR shrink,
// dead leaders, brokers gone from the list), each case as Kafka reports it.
#include "model/cluster_health.hpp"

#include <gtest/gtest.h>

namespace lagwatch::model {
namespace {

Partition part(int32_t id, int32_t leader, std::vector<int32_t> replicas, std::vector<int32_t> isr) {
  Partition p;
  p.id = id;
  p.leader = leader;
  p.replicas = std::move(replicas);
  p.isr = std::move(isr);
  return p;
}

ClusterSnapshot snapshot(std::vector<int32_t> live, std::vector<Partition> partitions) {
  ClusterSnapshot s;
  s.metadata_ok = true;
  for (int32_t id : live) s.brokers.push_back({id, "b" + std::to_string(id), 9092});
  Topic t;
  t.name = "orders";
  t.partitions = std::move(partitions);
  s.topics.push_back(t);
  return s;
}

TEST(PartitionHealth, IsrShrinkIsUnderReplicatedButOnline) {
  auto h = partition_health(part(0, 1, {1, 2, 3}, {1, 3}), {1, 2, 3}, std::nullopt);
  EXPECT_TRUE(h.under_replicated);
  EXPECT_FALSE(h.offline);
  EXPECT_TRUE(h.preferred_leader);
  EXPECT_FALSE(h.under_min_isr.has_value());
}

TEST(PartitionHealth, NoLeaderIsOfflineEvenWithAFullIsr) {
  // Kafka 2.4, only replica stopped: leader -1, ISR kept as [3] == replicas [3].
  auto h = partition_health(part(0, -1, {3}, {3}), {1, 2}, std::nullopt);
  EXPECT_TRUE(h.offline);
  EXPECT_FALSE(h.under_replicated);
  EXPECT_FALSE(h.preferred_leader);
}

TEST(PartitionHealth, LeaderOnADeadBrokerIsOffline) {
  auto h = partition_health(part(0, 3, {3, 1, 2}, {3, 1, 2}), {1, 2}, std::nullopt);
  EXPECT_TRUE(h.offline);
}

TEST(PartitionHealth, LeaderOtherThanTheFirstReplicaIsNotPreferred) {
  EXPECT_FALSE(partition_health(part(0, 2, {1, 2, 3}, {1, 2, 3}), {1, 2, 3}, std::nullopt).preferred_leader);
}

TEST(PartitionHealth, MinIsrArithmetic) {
  // RF 3, min.insync.replicas 2: ISR 3 is fine, 2 is at min (one more loss blocks acks=all
  // producers), 1 is under min (acks=all producers are already failing).
  auto full = partition_health(part(0, 1, {1, 2, 3}, {1, 2, 3}), {1, 2, 3}, 2);
  EXPECT_FALSE(*full.under_min_isr);
  EXPECT_FALSE(*full.at_min_isr);
  auto at = partition_health(part(0, 1, {1, 2, 3}, {1, 2}), {1, 2, 3}, 2);
  EXPECT_FALSE(*at.under_min_isr);
  EXPECT_TRUE(*at.at_min_isr);
  auto under = partition_health(part(0, 1, {1, 2, 3}, {1}), {1, 2, 3}, 2);
  EXPECT_TRUE(*under.under_min_isr);
  EXPECT_FALSE(*under.at_min_isr);
}

TEST(ClusterHealth, CountsPerClusterAndPerBroker) {
  auto s = snapshot({1, 2}, {
                                part(0, 1, {1, 2, 3}, {1, 2}),  // URP (3 gone), led by 1
                                part(1, 2, {2, 3, 1}, {2, 1}),  // URP, led by 2
                                part(2, -1, {3}, {3}),          // offline, only replica on 3
                                part(3, 2, {1, 2, 3}, {1, 2}),  // URP, led by 2, not preferred
                            });
  auto h = cluster_health(s, {{"orders", 2}});
  EXPECT_EQ(h.partitions, 4);
  EXPECT_EQ(h.under_replicated, 3);
  EXPECT_EQ(h.offline, 1);
  EXPECT_EQ(h.not_preferred_leader, 1);
  EXPECT_EQ(h.under_min_isr, 0);
  EXPECT_EQ(h.at_min_isr, 3);
  // Broker 3 is in replica sets but not in the broker list: down.
  EXPECT_EQ(h.brokers_down, 1);
  ASSERT_EQ(h.brokers.size(), 3u);
  const auto& b1 = h.brokers[0];
  const auto& b2 = h.brokers[1];
  const auto& b3 = h.brokers[2];
  EXPECT_TRUE(b1.live);
  EXPECT_FALSE(b3.live);
  EXPECT_EQ(b1.leader_partitions, 1);
  EXPECT_EQ(b2.leader_partitions, 2);
  EXPECT_EQ(b3.leader_partitions, 0);
  EXPECT_EQ(b1.replica_partitions, 3);
  EXPECT_EQ(b3.replica_partitions, 4);
  EXPECT_EQ(b2.under_replicated_led, 2);
  EXPECT_DOUBLE_EQ(b2.leader_share, 2.0 / 3.0);
}

TEST(ClusterHealth, MinIsrCountsAreUnknownWithoutConfigs) {
  auto h = cluster_health(snapshot({1}, {part(0, 1, {1}, {1})}));
  EXPECT_FALSE(h.under_min_isr.has_value());
  EXPECT_FALSE(h.at_min_isr.has_value());
}

}  // namespace
}  // namespace lagwatch::model
