// lagwatch's Kafka client against a replay of a real Kafka 2.4.0 cluster
// (tests/support/kafka_capture_cluster.hpp): three fronts answer with the bytes brokers 1, 2
// and 3 sent in the captures (tests/data/kafka-2.4.0), so ListGroups, DescribeGroups,
// DescribeConfigs and DescribeLogDirs, which librdkafka's mock lacks, meet real answers. Every
// expected value below is the README's. Kafka 2.4 runs on ZooKeeper: its ApiVersions lists no
// DescribeQuorum (55) or DescribeCluster (60), so lagwatch sends neither and reports kraft false.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "collect/cluster_collector.hpp"
#include "kafka_capture_cluster.hpp"
#include "model/lag.hpp"
#include "snapshot_probe.hpp"
#include "test_config.hpp"

namespace lagwatch {
namespace {

using testing::errors_of;
using testing::find_group;
using testing::requests;
using testing::requests_of;

using testing::KafkaCaptureCluster;
namespace readme = testing::readme;
namespace replay = testing::replay;

constexpr auto kTimeout = std::chrono::milliseconds(2000);

struct PartitionRow {
  std::string topic;
  int32_t partition;
  int32_t leader;
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
};

// README "Topics (healthy phase)", wire order.
const std::vector<PartitionRow>& healthy_topic_table() {
  static const std::vector<PartitionRow> rows{
      {"orders", 0, 2, {2, 3, 1}, {2, 3, 1}},   {"orders", 1, 3, {3, 1, 2}, {3, 1, 2}},
      {"orders", 2, 1, {1, 2, 3}, {1, 2, 3}},   {"orders", 3, 2, {2, 1, 3}, {2, 1, 3}},
      {"orders", 4, 3, {3, 2, 1}, {3, 2, 1}},   {"orders", 5, 1, {1, 3, 2}, {1, 3, 2}},
      {"payments", 0, 1, {1, 3, 2}, {1, 3, 2}}, {"payments", 1, 2, {2, 1, 3}, {2, 1, 3}},
      {"payments", 2, 3, {3, 2, 1}, {3, 2, 1}}, {"audit-rf1", 0, 3, {3}, {3}},
      {"strict", 0, 2, {2, 1, 3}, {2, 1, 3}},   {"strict", 1, 3, {3, 2, 1}, {3, 2, 1}},
      {"strict", 2, 1, {1, 3, 2}, {1, 3, 2}},   {"compacted", 0, 3, {3, 2}, {3, 2}},
  };
  return rows;
}

// README "Fault phase": leaders moved off broker 3, ISR without 3 (wire order).
const std::vector<PartitionRow>& broker3_down_topic_table() {
  static const std::vector<PartitionRow> rows{
      {"orders", 0, 2, {2, 3, 1}, {2, 1}},   {"orders", 1, 1, {3, 1, 2}, {1, 2}},
      {"orders", 2, 1, {1, 2, 3}, {1, 2}},   {"orders", 3, 2, {2, 1, 3}, {2, 1}},
      {"orders", 4, 2, {3, 2, 1}, {2, 1}},   {"orders", 5, 1, {1, 3, 2}, {1, 2}},
      {"payments", 0, 1, {1, 3, 2}, {1, 2}}, {"payments", 1, 2, {2, 1, 3}, {2, 1}},
      {"payments", 2, 2, {3, 2, 1}, {2, 1}}, {"audit-rf1", 0, -1, {3}, {3}},
      {"strict", 0, 2, {2, 1, 3}, {2, 1}},   {"strict", 1, 2, {3, 2, 1}, {2, 1}},
      {"strict", 2, 1, {1, 3, 2}, {1, 2}},   {"compacted", 0, 2, {3, 2}, {2}},
  };
  return rows;
}

struct MemberRow {
  std::string member_id, client_id;
  std::vector<std::pair<std::string, int32_t>> assignment;
};
struct GroupRow {
  std::string state;
  std::vector<MemberRow> members;  // by member id
};

// README "Consumer groups (healthy phase)"; host "/127.0.0.1" for every member.
const std::map<std::string, GroupRow>& group_table() {
  static const std::map<std::string, GroupRow> rows{
      {"billing",
       {"Stable",
        {{"billing-1-02e598ea-f1d3-49fe-9ee5-34afe3458d2e",
          "billing-1",
          {{"orders", 0}, {"orders", 1}, {"orders", 2}, {"orders", 3}, {"orders", 4}, {"orders", 5}}}}}},
      {"analytics",
       {"Stable",
        {{"analytics-1-b3676ce5-a0fa-4a6f-b7db-e4f0980f7750",
          "analytics-1",
          {{"orders", 0}, {"orders", 1}, {"orders", 2}}},
         {"analytics-2-83fc25e9-019b-46f3-969c-8bc2d0bd07eb",
          "analytics-2",
          {{"orders", 3}, {"orders", 4}, {"orders", 5}}}}}},
      {"shipping",
       {"Stable",
        {{"shipping-1-a6a6981a-034b-4eb5-b588-a97d4d820a47",
          "shipping-1",
          {{"payments", 0}, {"payments", 1}, {"payments", 2}}}}}},
      {"audit", {"Empty", {}}},
      {"partial", {"Empty", {}}},
      {"rf1-reader", {"Empty", {}}},
  };
  return rows;
}

// README lag column (kafka-consumer-groups --describe, step h12): (group, topic, partition) -> lag.
const std::map<std::tuple<std::string, std::string, int32_t>, int64_t>& lag_table() {
  static const std::map<std::tuple<std::string, std::string, int32_t>, int64_t> rows{
      {{"analytics", "orders", 0}, 90},     {{"analytics", "orders", 1}, 80}, {{"analytics", "orders", 2}, 70},
      {{"analytics", "orders", 3}, 60},     {{"analytics", "orders", 4}, 50}, {{"analytics", "orders", 5}, 40},
      {{"audit", "payments", 0}, 0},        {{"audit", "payments", 1}, 6},    {{"audit", "payments", 2}, 5},
      {{"billing", "orders", 0}, 0},        {{"billing", "orders", 1}, 0},    {{"billing", "orders", 2}, 0},
      {{"billing", "orders", 3}, 0},        {{"billing", "orders", 4}, 0},    {{"billing", "orders", 5}, 0},
      {{"partial", "orders", 0}, 75},       {{"partial", "orders", 1}, 50},   {{"partial", "orders", 2}, 25},
      {{"rf1-reader", "audit-rf1", 0}, 13},
  };
  return rows;
}

// `log_dirs_interval`: how often DescribeLogDirs is sent (the default, 5 minutes, means once
// in a test: on the first poll); zero sends it every poll.
std::unique_ptr<collect::ClusterCollector> collector_for(
    const KafkaCaptureCluster& cluster, bool discover,
    std::chrono::milliseconds log_dirs_interval = config::LogDirsConfig{}.interval) {
  auto cfg = testing::test_config("kafka-2.4.0", cluster.bootstraps(), readme::groups());
  cfg.poll.request_timeout = kTimeout;
  cfg.clusters[0].groups.discover = discover;
  cfg.log_dirs.interval = log_dirs_interval;
  return std::make_unique<collect::ClusterCollector>(cfg.clusters[0], cfg.poll, cfg.log_dirs);
}

// README "Log directories": exactly one log dir per broker in `brokers`, error 0, no volume
// sizes (DescribeLogDirs v1 predates KIP-827's total/usable bytes), the README's size for every
// user-topic replica and the internal topics' totals; offset lag 0 and no future replicas.
void expect_log_dirs(const model::ClusterSnapshot& snap, const std::vector<int32_t>& brokers) {
  EXPECT_TRUE(snap.log_dirs_known);
  std::vector<int32_t> got_brokers;
  for (const auto& d : snap.log_dirs) got_brokers.push_back(d.broker);
  ASSERT_EQ(got_brokers, brokers);  // one dir each, sorted by broker
  for (const auto& d : snap.log_dirs) {
    SCOPED_TRACE("broker " + std::to_string(d.broker));
    EXPECT_EQ(d.path, readme::log_dir(d.broker));
    EXPECT_EQ(d.error, "");
    EXPECT_FALSE(d.total_bytes);
    EXPECT_FALSE(d.usable_bytes);
    std::map<std::pair<std::string, int32_t>, int64_t> user;
    std::map<std::string, std::pair<size_t, int64_t>> internal;
    for (const auto& r : d.replicas) {
      EXPECT_EQ(r.offset_lag, 0) << r.topic << " " << r.partition;
      EXPECT_FALSE(r.future) << r.topic << " " << r.partition;
      if (r.topic.rfind("__", 0) == 0) {
        auto& [partitions, bytes] = internal[r.topic];
        ++partitions;
        bytes += r.size_bytes;
      } else {
        EXPECT_TRUE(user.emplace(std::pair{r.topic, r.partition}, r.size_bytes).second)
            << r.topic << " " << r.partition;
      }
    }
    EXPECT_EQ(user, readme::log_dir_sizes(d.broker));
    EXPECT_EQ(internal, readme::log_dir_internal_totals());
  }
}

int64_t replica_size(const model::ClusterSnapshot& snap, int32_t broker, const std::string& topic, int32_t partition) {
  for (const auto& d : snap.log_dirs) {
    if (d.broker != broker) continue;
    for (const auto& r : d.replicas) {
      if (r.topic == topic && r.partition == partition) return r.size_bytes;
    }
  }
  return -1;
}

void expect_topics(const model::ClusterSnapshot& snap, const std::vector<PartitionRow>& table) {
  std::vector<std::string> names;
  for (const auto& t : snap.topics) names.push_back(t.name);
  // Internal topics are left out by default.
  EXPECT_EQ(names, (std::vector<std::string>{"audit-rf1", "compacted", "orders", "payments", "strict"}));
  for (const auto& row : table) {
    SCOPED_TRACE(row.topic + " " + std::to_string(row.partition));
    const auto* t = snap.find_topic(row.topic);
    ASSERT_NE(t, nullptr);
    const auto* p = t->find(row.partition);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->leader, row.leader);
    EXPECT_EQ(p->replicas, row.replicas);
    EXPECT_EQ(p->isr, row.isr);
    if (row.leader < 0) {
      EXPECT_FALSE(p->log_end_offset);  // no leader to ask
      continue;
    }
    EXPECT_EQ(p->log_end_offset, readme::end_offsets().at(row.topic)[static_cast<size_t>(row.partition)]);
    EXPECT_EQ(p->log_start_offset, 0);
    EXPECT_EQ(p->error, "");
  }
  size_t partitions = 0;
  for (const auto& t : snap.topics) partitions += t.partitions.size();
  EXPECT_EQ(partitions, table.size());
}

void expect_groups(const model::ClusterSnapshot& snap) {
  std::vector<std::string> names;
  for (const auto& g : snap.groups) names.push_back(g.name);
  EXPECT_EQ(names, readme::groups());
  for (const auto& [name, row] : group_table()) {
    SCOPED_TRACE(name);
    const auto* g = find_group(snap, name);
    ASSERT_NE(g, nullptr);
    EXPECT_TRUE(g->described);
    EXPECT_EQ(g->state, row.state);
    EXPECT_EQ(g->error, "");
    auto members = g->members;
    std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.member_id < b.member_id; });
    ASSERT_EQ(members.size(), row.members.size());
    for (size_t i = 0; i < members.size(); ++i) {
      EXPECT_EQ(members[i].member_id, row.members[i].member_id);
      EXPECT_EQ(members[i].client_id, row.members[i].client_id);
      EXPECT_EQ(members[i].host, "/127.0.0.1");
      auto assignment = members[i].assignment;
      std::sort(assignment.begin(), assignment.end());
      EXPECT_EQ(assignment, row.members[i].assignment);
    }
    std::map<std::pair<std::string, int32_t>, int64_t> offsets;
    for (const auto& o : g->offsets) offsets[{o.topic, o.partition}] = o.offset;
    EXPECT_EQ(offsets, readme::committed().at(name));
  }
}

class CaptureReplay : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& gap : cluster.gaps()) ADD_FAILURE() << "the replay could not answer: " << gap;
  }
  KafkaCaptureCluster cluster{"healthy"};
};

// The healthy phase, polled once: the snapshot is the README's cluster.
TEST_F(CaptureReplay, HealthySnapshotIsTheReadmeCluster) {
  auto collector = collector_for(cluster, true);
  const auto snap = collector->poll();
  ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  EXPECT_TRUE(snap.unsupported_apis.empty());

  ASSERT_EQ(snap.brokers.size(), 3u);
  for (int32_t id = 1; id <= 3; ++id) {
    EXPECT_EQ(snap.brokers[static_cast<size_t>(id - 1)].id, id);
    EXPECT_EQ(snap.brokers[static_cast<size_t>(id - 1)].host, "127.0.0.1");
    EXPECT_EQ(snap.brokers[static_cast<size_t>(id - 1)].port, cluster.front(id).port());
  }
  // ZooKeeper mode: no DescribeQuorum in Kafka 2.4's ApiVersions, so none is sent (nor
  // DescribeCluster), and the controller stays Metadata's.
  EXPECT_EQ(snap.kraft, false);
  EXPECT_EQ(snap.controller_id, 1);
  EXPECT_FALSE(snap.quorum);
  EXPECT_TRUE(snap.fenced_brokers.empty());
  EXPECT_EQ(snap.cluster_id, "8JHCp0U4RHidtwDAY8oJiQ");
  EXPECT_EQ(requests(snap, "DescribeQuorum"), 0u);
  EXPECT_EQ(requests(snap, "DescribeCluster"), 0u);
  EXPECT_EQ(cluster.front(1).requests(55) + cluster.front(2).requests(55) + cluster.front(3).requests(55), 0u);
  EXPECT_EQ(cluster.front(1).requests(60) + cluster.front(2).requests(60) + cluster.front(3).requests(60), 0u);
  expect_topics(snap, healthy_topic_table());
  expect_groups(snap);

  // Log dirs: one DescribeLogDirs per broker on the first poll, each broker's own answer.
  EXPECT_EQ(requests(snap, "DescribeLogDirs"), 3u);
  for (int32_t id = 1; id <= 3; ++id) EXPECT_EQ(cluster.front(id).requests(replay::kDescribeLogDirs), 1u) << id;
  expect_log_dirs(snap, {1, 2, 3});
  EXPECT_EQ(replica_size(snap, 1, "orders", 0), 4690);
  EXPECT_EQ(replica_size(snap, 3, "audit-rf1", 0), 861);
  EXPECT_EQ(replica_size(snap, 1, "audit-rf1", 0), -1);  // its only replica is on broker 3
  EXPECT_EQ(replica_size(snap, 2, "audit-rf1", 0), -1);
  EXPECT_EQ(replica_size(snap, 1, "compacted", 0), -1);  // replicas 3,2

  // Topic configs: the README's effective values (broker defaults applied).
  const std::map<std::string, int> min_isr{
      {"orders", 2}, {"payments", 2}, {"audit-rf1", 2}, {"strict", 3}, {"compacted", 2}};
  ASSERT_EQ(snap.topic_configs.size(), min_isr.size());
  for (const auto& [topic, n] : min_isr) {
    SCOPED_TRACE(topic);
    const auto& cfg = snap.topic_configs.at(topic);
    EXPECT_EQ(cfg.min_insync_replicas, n);
    EXPECT_EQ(cfg.cleanup_policy, topic == "compacted" ? "compact" : "delete");
    EXPECT_EQ(cfg.retention_ms, topic == "payments" ? 259200000 : 604800000);
    EXPECT_EQ(cfg.retention_bytes, -1);  // the default (source 5) on every topic: unlimited
  }

  // Lag: the README's lag column; shipping has no commit on its three partitions and partial
  // none on orders 3-5.
  const auto lag = model::compute_lag(snap, nullptr);
  std::map<std::tuple<std::string, std::string, int32_t>, int64_t> got;
  for (const auto& g : lag) {
    for (const auto& p : g.partitions) {
      ASSERT_TRUE(p.lag) << g.group << " " << p.topic << " " << p.partition;
      got[{g.group, p.topic, p.partition}] = *p.lag;
    }
    const auto* shipping_or_partial = g.group == "shipping" ? "payments" : g.group == "partial" ? "orders" : nullptr;
    for (const auto& [topic, missing] : g.uncommitted_partitions) {
      EXPECT_EQ(missing, shipping_or_partial && topic == shipping_or_partial ? 3 : 0) << g.group << " " << topic;
    }
  }
  EXPECT_EQ(got, lag_table());
  std::cout << "healthy poll: " << requests_of(snap) << "\n";
}

// A warm poll (the second): one Metadata, ListOffsets per leader (latest and earliest), one
// ListGroups per broker, one DescribeGroups per coordinator, no FindCoordinator (cached from the
// listing), one OffsetFetch per group (Kafka 2.4 has no multi-group OffsetFetch), no ApiVersions
// (connections kept). DescribeLogDirs (one per broker) goes out on the first poll only: it runs
// on its own interval (log_dirs.interval, 5 minutes by default), and the warm poll reports the
// first poll's answers. No DescribeQuorum on either poll: ZooKeeper mode is known from the
// ApiVersions answers, so nothing is sent to learn it.
TEST_F(CaptureReplay, WarmPollRequestCounts) {
  auto collector = collector_for(cluster, true);
  const auto first = collector->poll();
  ASSERT_TRUE(first.errors.empty()) << errors_of(first);
  const auto snap = collector->poll();
  ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  std::cout << "first poll: " << requests_of(first) << "\nwarm poll:  " << requests_of(snap) << "\n";
  EXPECT_EQ(requests(snap, "Metadata"), 1u);
  EXPECT_LE(requests(snap, "ListOffsets"), 6u);
  EXPECT_EQ(requests(snap, "ListGroups"), 3u);
  EXPECT_LE(requests(snap, "DescribeGroups"), 3u);
  EXPECT_EQ(requests(snap, "FindCoordinator"), 0u);
  EXPECT_EQ(requests(snap, "OffsetFetch"), readme::groups().size());
  EXPECT_EQ(requests(snap, "ApiVersions"), 0u);
  EXPECT_EQ(requests(snap, "DescribeConfigs"), 0u);  // every 10 polls
  EXPECT_EQ(requests(first, "DescribeLogDirs"), 3u);
  EXPECT_EQ(requests(snap, "DescribeLogDirs"), 0u);
  EXPECT_EQ(cluster.requests(replay::kDescribeLogDirs), 3u);
  for (const auto* s : {&first, &snap}) {
    EXPECT_EQ(requests(*s, "DescribeQuorum"), 0u);
    EXPECT_EQ(requests(*s, "DescribeCluster"), 0u);
    EXPECT_EQ(s->kraft, false);
  }
  // 19 requests in a warm poll: 1 Metadata + 6 ListOffsets + 3 ListGroups + 3 DescribeGroups +
  // 6 OffsetFetch. The first poll adds its 3 DescribeLogDirs, the DescribeConfigs (every 10
  // polls) and the ApiVersions of its 4 connections (the bootstrap one and one per broker).
  const auto total = [](const model::ClusterSnapshot& s) {
    uint64_t n = 0;
    for (const auto& [api, k] : s.requests) n += k;
    return n;
  };
  EXPECT_EQ(total(snap), 19u);
  EXPECT_EQ(total(first), 19u + 3 + 1 + 4);
  // Nothing but these APIs went on the wire in the warm poll.
  for (const auto& [api, n] : snap.requests) {
    static const std::set<std::string> expected{"Metadata", "ListOffsets", "ListGroups", "DescribeGroups",
                                                "OffsetFetch"};
    EXPECT_TRUE(expected.count(api)) << api << " " << n;
  }
  expect_groups(snap);
  expect_log_dirs(snap, {1, 2, 3});  // the first poll's answers, kept
}

// Broker 3 stops: its front refuses connections and the others answer as in the broker3-down
// phase. The poll completes; audit-rf1 0 is offline; the groups broker 3 coordinated are found
// on their new coordinators (through ListGroups when discovering; through FindCoordinator when
// the groups are only named); only broker 3 is named in errors.
TEST_F(CaptureReplay, BrokerThreeDown) {
  auto discovering = collector_for(cluster, true);
  auto named = collector_for(cluster, false);
  for (auto* c : {discovering.get(), named.get()}) {
    const auto healthy = c->poll();
    ASSERT_TRUE(healthy.errors.empty()) << errors_of(healthy);
    expect_groups(healthy);
  }

  cluster.front(3).down();
  cluster.set_phase("broker3-down");
  for (auto* c : {discovering.get(), named.get()}) {
    SCOPED_TRACE(c == discovering.get() ? "discovering" : "named groups");
    const size_t find_coordinator_before = cluster.requests(replay::kFindCoordinator);
    const auto start = std::chrono::steady_clock::now();
    const auto snap = c->poll();
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(snap.metadata_ok) << errors_of(snap);
    std::cout << (c == discovering.get() ? "discovering" : "named groups")
              << ", broker 3 down: " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms, "
              << requests_of(snap) << "\n"
              << errors_of(snap);
    EXPECT_LT(took, 3 * kTimeout);
    ASSERT_EQ(snap.brokers.size(), 2u);
    EXPECT_EQ(snap.brokers[0].id, 1);
    EXPECT_EQ(snap.brokers[1].id, 2);
    EXPECT_EQ(snap.controller_id, 1);
    expect_topics(snap, broker3_down_topic_table());
    const auto* audit_rf1 = snap.find_topic("audit-rf1")->find(0);
    EXPECT_EQ(audit_rf1->leader, -1);
    EXPECT_NE(audit_rf1->error, "");  // LISTENER_NOT_FOUND (72) in Metadata v9
    expect_groups(snap);
    // Log dirs are not due again (5 minutes): brokers 1 and 2 keep their healthy answers; broker
    // 3 left Metadata, so its answer is forgotten (its replicas are not on a live broker's disk,
    // and a stale size would outlive the broker's series).
    EXPECT_EQ(requests(snap, "DescribeLogDirs"), 0u);
    expect_log_dirs(snap, {1, 2});
    EXPECT_EQ(replica_size(snap, 3, "audit-rf1", 0), -1);
    for (const auto& e : snap.errors) {
      EXPECT_NE(e.message.find("broker 3"), std::string::npos) << e.message;
      EXPECT_EQ(e.message.find("broker 1"), std::string::npos) << e.message;
      EXPECT_EQ(e.message.find("broker 2"), std::string::npos) << e.message;
    }
    const size_t lookups = cluster.requests(replay::kFindCoordinator) - find_coordinator_before;
    if (c == named.get()) {
      // billing, audit, partial and rf1-reader were on broker 3.
      EXPECT_EQ(lookups, 4u);  // FindCoordinator v3 takes one key
    } else {
      EXPECT_EQ(lookups, 0u);  // the listing told where each group is
    }
  }
}

// Log dirs asked every poll (interval 0): in broker3-down, DescribeLogDirs goes to brokers 1 and 2
// only (Metadata's brokers), which answer with their captured broker3-down answers (step f12,
// the same sizes); broker 3's healthy answer is dropped. After the recovery broker 3 answers
// again and audit-rf1 0 is back, on broker 3 only.
TEST_F(CaptureReplay, LogDirsFollowTheBrokersInMetadata) {
  auto collector = collector_for(cluster, true, std::chrono::milliseconds(0));
  const auto healthy = collector->poll();
  ASSERT_TRUE(healthy.errors.empty()) << errors_of(healthy);
  EXPECT_EQ(requests(healthy, "DescribeLogDirs"), 3u);
  expect_log_dirs(healthy, {1, 2, 3});

  cluster.front(3).down();
  cluster.set_phase("broker3-down");
  const auto down = collector->poll();
  ASSERT_TRUE(down.metadata_ok) << errors_of(down);
  EXPECT_EQ(requests(down, "DescribeLogDirs"), 2u);
  for (const auto& e : down.errors) EXPECT_NE(e.kind, model::ErrorKind::log_dirs) << e.message;
  expect_log_dirs(down, {1, 2});
  EXPECT_EQ(replica_size(down, 3, "audit-rf1", 0), -1);

  cluster.front(3).up();
  cluster.set_phase("recovery");
  const auto recovered = collector->poll();
  ASSERT_TRUE(recovered.metadata_ok) << errors_of(recovered);
  for (const auto& e : recovered.errors) EXPECT_NE(e.kind, model::ErrorKind::log_dirs) << e.message;
  EXPECT_EQ(requests(recovered, "DescribeLogDirs"), 3u);
  expect_log_dirs(recovered, {1, 2, 3});
  EXPECT_EQ(replica_size(recovered, 3, "audit-rf1", 0), 861);
}

// Recovery: billing's coordinator answers OffsetFetch with NOT_COORDINATOR (the captured
// answer of the old coordinator, error 16) once; the client finds the coordinator again and
// reports billing's offsets in the same poll, without an error.
TEST_F(CaptureReplay, RecoveryNotCoordinatorIsRetriedInThePoll) {
  cluster.set_phase("recovery");
  auto collector = collector_for(cluster, true);
  const auto first = collector->poll();
  ASSERT_TRUE(first.errors.empty()) << errors_of(first);
  expect_groups(first);

  cluster.not_coordinator_once("billing");
  const size_t find_coordinator_before = cluster.requests(replay::kFindCoordinator);
  const auto snap = collector->poll();
  std::cout << "recovery poll with NOT_COORDINATOR: " << requests_of(snap) << "\n";
  EXPECT_TRUE(snap.errors.empty()) << errors_of(snap);
  expect_groups(snap);
  EXPECT_EQ(cluster.requests(replay::kFindCoordinator) - find_coordinator_before, 1u);
  EXPECT_EQ(requests(snap, "FindCoordinator"), 1u);
  EXPECT_EQ(requests(snap, "OffsetFetch"), readme::groups().size() + 1);
}

// Record timestamps through Fetch v11: captured partition answers where kcat fetched the same
// offset (orders 0 at 42, audit-rf1 at 5, payments 0 at 10, payments 1 at 0), an empty record
// set elsewhere (no timestamp then).
TEST_F(CaptureReplay, RecordTimestampsFromCapturedFetches) {
  auto collector = collector_for(cluster, true);
  const auto snap = collector->poll();
  ASSERT_TRUE(snap.errors.empty()) << errors_of(snap);
  const auto times = collector->record_timestamps(
      {{"orders", 0, 42}, {"audit-rf1", 0, 5}, {"payments", 0, 10}, {"payments", 1, 0}, {"orders", 1, 20}});
  const model::RecordTimes expected{
      {{"orders", 0, 42}, 1796083242000},    // 1796083200000 + 42 s
      {{"audit-rf1", 0, 5}, 1796103605000},  // 05:40:00Z + 5 s
      {{"payments", 0, 10}, 1796103010000},  // the committed transaction's first record
      {{"payments", 1, 0}, 1796103000000},   // 05:30:00Z
  };
  EXPECT_EQ(times, expected);
  EXPECT_GE(cluster.requests(replay::kFetch), 3u);  // one per leader: brokers 1, 2, 3
}

}  // namespace
}  // namespace lagwatch
