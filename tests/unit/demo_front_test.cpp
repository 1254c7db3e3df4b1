// The demo broker front's pure parts: how it rewrites the mock's Metadata (Simulation), what
// its group registry answers from observed group traffic, and its DescribeConfigs answer.
#include <gtest/gtest.h>

#include <algorithm>

#include "demo/front/group_registry.hpp"
#include "demo/front/log_dirs.hpp"
#include "demo/front/simulation.hpp"
#include "demo/front/topic_configs.hpp"

namespace lagwatch::demo::front {
namespace {

namespace protocol = kafka::protocol;
using std::chrono::milliseconds;

protocol::MetadataResponse mock_answer() {
  protocol::MetadataResponse md;
  md.controller_id = 99;  // the mock names a controller that is none of its brokers
  md.cluster_id = "mock-cluster";
  for (int32_t id = 1; id <= 3; ++id) md.brokers.push_back({id, "127.0.0.1", 9000 + id, std::nullopt});
  protocol::MetadataResponseTopic orders;
  orders.name = "orders";
  for (int32_t p = 0; p < 3; ++p) {
    protocol::MetadataResponsePartition part;
    part.partition_index = p;
    part.leader_id = p + 1;
    part.replica_nodes = part.isr_nodes = {1, 2, 3};
    orders.partitions.push_back(part);
  }
  md.topics.push_back(orders);
  protocol::MetadataResponseTopic single;
  single.name = "clickstream";
  protocol::MetadataResponsePartition part;
  part.partition_index = 0;
  part.leader_id = -1;  // offline: its only replica is down
  part.error_code = 5;
  part.replica_nodes = part.isr_nodes = {1, 2, 3};  // the mock puts every partition everywhere
  single.partitions.push_back(part);
  md.topics.push_back(single);
  return md;
}

Simulation simulation() {
  return Simulation(
      {1, 2, 3}, {{"orders", 3, 3, {}}, {"payments", 3, 3, {{"min.insync.replicas", "3"}}}, {"clickstream", 1, 1, {}}});
}

const std::map<int32_t, uint16_t> kFronts{{1, 7001}, {2, 7002}, {3, 7003}};

TEST(DemoSimulation, HealthyClusterGetsTheFrontsPortsAndARealController) {
  auto sim = simulation();
  auto md = mock_answer();
  sim.present(md, kFronts);
  ASSERT_EQ(md.brokers.size(), 3u);
  EXPECT_EQ(md.brokers[0].port, 7001);
  EXPECT_EQ(md.brokers[2].port, 7003);
  EXPECT_EQ(md.controller_id, 1);
  // The demo's round-robin assignment, preferred leader first, instead of the mock's.
  EXPECT_EQ(md.topics[0].partitions[0].replica_nodes, (std::vector<int32_t>{1, 2, 3}));
  EXPECT_EQ(md.topics[0].partitions[1].replica_nodes, (std::vector<int32_t>{2, 3, 1}));
  EXPECT_EQ(md.topics[0].partitions[1].isr_nodes, (std::vector<int32_t>{2, 3, 1}));
  EXPECT_TRUE(md.topics[0].partitions[1].offline_replicas.empty());
  // RF 1 really is one replica, though the mock put it on every broker.
  EXPECT_EQ(md.topics[1].partitions[0].replica_nodes, (std::vector<int32_t>{1}));
  EXPECT_EQ(sim.assignment("clickstream", 2), (std::vector<int32_t>{3}));
  EXPECT_TRUE(sim.assignment("not-a-demo-topic", 0).empty());
}

std::vector<int32_t> sorted(std::vector<int32_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(DemoSimulation, ADownBrokerLeavesMetadataAndEveryIsrButOfflinePartitionsKeepTheirs) {
  auto sim = simulation();
  sim.set_down(1, true);
  sim.set_down(2, true);
  auto md = mock_answer();
  sim.present(md, kFronts);
  ASSERT_EQ(md.brokers.size(), 1u);
  EXPECT_EQ(md.brokers[0].node_id, 3);
  EXPECT_EQ(md.controller_id, 3);  // the controller moved to the only live broker
  for (const auto& p : md.topics[0].partitions) {
    EXPECT_EQ(p.isr_nodes, (std::vector<int32_t>{3})) << p.partition_index;
    EXPECT_EQ(sorted(p.offline_replicas), (std::vector<int32_t>{1, 2}));
    EXPECT_EQ(sorted(p.replica_nodes), (std::vector<int32_t>{1, 2, 3}));  // replicas stay assigned
  }
  // Kafka keeps the last ISR of a partition that has no leader.
  EXPECT_EQ(md.topics[1].partitions[0].isr_nodes, (std::vector<int32_t>{1}));
  EXPECT_EQ(md.topics[1].partitions[0].leader_id, -1);
}

TEST(DemoSimulation, ASlowBrokerLeavesTheIsrsItFollowsButNotTheOnesItLeads) {
  auto sim = simulation();
  sim.set_slow(2, true);
  auto md = mock_answer();
  sim.present(md, kFronts);
  EXPECT_EQ(md.brokers.size(), 3u);
  EXPECT_EQ(md.topics[0].partitions[0].isr_nodes, (std::vector<int32_t>{1, 3}));     // led by 1
  EXPECT_EQ(md.topics[0].partitions[1].isr_nodes, (std::vector<int32_t>{2, 3, 1}));  // led by 2
  sim.set_slow(2, false);
  md = mock_answer();
  sim.present(md, kFronts);
  EXPECT_EQ(md.topics[0].partitions[0].isr_nodes, (std::vector<int32_t>{1, 2, 3}));
}

TEST(DemoSimulation, RemembersTheMocksLayout) {
  auto sim = simulation();
  EXPECT_TRUE(sim.layout().empty());
  sim.observe(mock_answer());
  const auto layout = sim.layout();
  ASSERT_EQ(layout.size(), 4u);
  EXPECT_EQ(layout.at({"orders", 2}).leader, 3);
  EXPECT_EQ(layout.at({"clickstream", 0}).replicas, (std::vector<int32_t>{1}));  // the demo's assignment
  EXPECT_EQ(sim.cluster_id(), "mock-cluster");
}

// --- group registry ---

const SteadyTime t0{};

protocol::JoinGroupRequest join_request(const std::string& member_id) {
  protocol::JoinGroupRequest r;
  r.group_id = "billing";
  r.session_timeout_ms = 10000;
  r.member_id = member_id;
  r.protocol_type = "consumer";
  r.protocols = {{"range", {0, 1, 2}}, {"roundrobin", {9}}};
  return r;
}

protocol::JoinGroupResponse join_answer(const std::string& member_id, int32_t generation,
                                        std::vector<std::string> members = {}) {
  protocol::JoinGroupResponse r;
  r.generation_id = generation;
  r.protocol_name = "range";
  r.member_id = member_id;
  r.leader = members.empty() ? "" : member_id;
  for (const auto& m : members) r.members.push_back({m, std::nullopt, {}});
  return r;
}

void join_and_sync(GroupRegistry& g, const std::string& member, int32_t generation, SteadyTime now,
                   std::vector<std::string> members = {}) {
  g.joined({1, "demo-" + member, "/127.0.0.1"}, join_request(""), join_answer(member, generation, members), now);
  protocol::SyncGroupRequest s;
  s.group_id = "billing";
  s.generation_id = generation;
  s.member_id = member;
  protocol::SyncGroupResponse a;
  a.assignment = {7, 7};
  g.synced(s, a, now);
}

TEST(DemoGroupRegistry, JoinedAndSyncedMembersMakeAStableGroup) {
  GroupRegistry g;
  g.joined({1, "demo-a", "/127.0.0.1"}, join_request(""), join_answer("a-1", 1, {"a-1"}), t0);
  auto d = g.describe(1, {"billing"}, t0);
  ASSERT_EQ(d.groups.size(), 1u);
  EXPECT_EQ(d.groups[0].group_state, "CompletingRebalance");
  EXPECT_TRUE(d.groups[0].members[0].member_assignment.empty());  // only while Stable

  protocol::SyncGroupRequest s;
  s.group_id = "billing";
  s.generation_id = 1;
  s.member_id = "a-1";
  protocol::SyncGroupResponse a;
  a.assignment = {1, 2, 3};
  g.synced(s, a, t0);
  d = g.describe(1, {"billing"}, t0);
  const auto& group = d.groups[0];
  EXPECT_EQ(group.error_code, 0);
  EXPECT_EQ(group.group_state, "Stable");
  EXPECT_EQ(group.protocol_type, "consumer");
  EXPECT_EQ(group.protocol_data, "range");
  ASSERT_EQ(group.members.size(), 1u);
  EXPECT_EQ(group.members[0].member_id, "a-1");
  EXPECT_EQ(group.members[0].client_id, "demo-a");
  EXPECT_EQ(group.members[0].client_host, "/127.0.0.1");
  EXPECT_EQ(group.members[0].member_metadata, (std::vector<uint8_t>{0, 1, 2}));  // the chosen protocol's
  EXPECT_EQ(group.members[0].member_assignment, (std::vector<uint8_t>{1, 2, 3}));
}

TEST(DemoGroupRegistry, OnlyTheCoordinatorListsAndDescribesAGroup) {
  GroupRegistry g;
  join_and_sync(g, "a-1", 1, t0, {"a-1"});
  auto listed = g.list(1, {}, t0);
  ASSERT_EQ(listed.groups.size(), 1u);
  EXPECT_EQ(listed.groups[0].group_id, "billing");
  EXPECT_EQ(listed.groups[0].group_state, "Stable");
  EXPECT_TRUE(g.list(2, {}, t0).groups.empty());
  EXPECT_TRUE(g.list(1, {"Empty"}, t0).groups.empty());
  EXPECT_EQ(g.describe(2, {"billing"}, t0).groups[0].error_code, 16);  // NOT_COORDINATOR
  const auto unknown = g.describe(2, {"nobody"}, t0).groups[0];
  EXPECT_EQ(unknown.error_code, 0);
  EXPECT_EQ(unknown.group_state, "Dead");

  g.move_coordinator("billing", 3);
  EXPECT_EQ(g.describe(3, {"billing"}, t0).groups[0].group_state, "Stable");
  EXPECT_EQ(g.coordinators(), (std::map<std::string, int32_t>{{"billing", 3}}));
}

TEST(DemoGroupRegistry, LeavingEmptiesTheGroupAndSilentMembersExpire) {
  GroupRegistry g;
  join_and_sync(g, "a-1", 1, t0, {"a-1", "b-1"});
  join_and_sync(g, "b-1", 1, t0);
  EXPECT_EQ(g.describe(1, {"billing"}, t0).groups[0].members.size(), 2u);

  protocol::LeaveGroupRequest leave;
  leave.group_id = "billing";
  leave.members = {{"a-1", std::nullopt, std::nullopt}};
  g.left(leave, t0);
  auto d = g.describe(1, {"billing"}, t0).groups[0];
  EXPECT_EQ(d.members.size(), 1u);
  EXPECT_EQ(d.group_state, "PreparingRebalance");  // b-1 must join again

  // b-1 keeps heartbeating: still there after 8 s; silent for longer than 10 s: expired.
  protocol::HeartbeatRequest hb;
  hb.group_id = "billing";
  hb.member_id = "b-1";
  g.heartbeat(hb, {}, t0 + milliseconds(8000));
  EXPECT_EQ(g.describe(1, {"billing"}, t0 + milliseconds(15000)).groups[0].members.size(), 1u);
  d = g.describe(1, {"billing"}, t0 + milliseconds(18001)).groups[0];
  EXPECT_TRUE(d.members.empty());
  EXPECT_EQ(d.group_state, "Empty");
  EXPECT_EQ(d.protocol_type, "consumer");
}

TEST(DemoGroupRegistry, ARebalanceAnswerAndANewGenerationShowInTheState) {
  GroupRegistry g;
  join_and_sync(g, "a-1", 1, t0, {"a-1"});
  protocol::HeartbeatRequest hb;
  hb.group_id = "billing";
  hb.member_id = "a-1";
  protocol::HeartbeatResponse rebalancing;
  rebalancing.error_code = 27;  // REBALANCE_IN_PROGRESS
  g.heartbeat(hb, rebalancing, t0);
  EXPECT_EQ(g.describe(1, {"billing"}, t0).groups[0].group_state, "PreparingRebalance");
  join_and_sync(g, "a-1", 2, t0, {"a-1"});
  EXPECT_EQ(g.describe(1, {"billing"}, t0).groups[0].group_state, "Stable");

  // A failed JoinGroup (MEMBER_ID_REQUIRED) changes nothing.
  auto refused = join_answer("c-1", 3);
  refused.error_code = 79;
  g.joined({1, "demo-c", "/127.0.0.1"}, join_request(""), refused, t0);
  EXPECT_EQ(g.describe(1, {"billing"}, t0).groups[0].members.size(), 1u);
}

TEST(DemoGroupRegistry, ACommitAloneMakesAnEmptyGroup) {
  GroupRegistry g;
  protocol::OffsetCommitRequest c;
  c.group_id = "offsets-only";
  protocol::OffsetCommitRequestTopic topic;
  topic.name = "orders";
  topic.partitions.push_back({0, 42, -1, -1, std::nullopt});
  c.topics.push_back(topic);
  g.committed({2, "tool", "/127.0.0.1"}, c, t0);
  const auto listed = g.list(2, {}, t0);
  ASSERT_EQ(listed.groups.size(), 1u);
  EXPECT_EQ(listed.groups[0].group_state, "Empty");
  EXPECT_EQ(listed.groups[0].protocol_type, "");
}

// --- DescribeConfigs ---

TEST(DemoTopicConfigs, TopicSettingsAreDynamicAndTheRestIsTheBrokers) {
  auto sim = simulation();
  protocol::DescribeConfigsRequest r;
  r.resources.push_back(
      {protocol::kConfigResourceTopic, "payments", std::vector<std::string>{"min.insync.replicas", "retention.ms"}});
  r.resources.push_back({protocol::kConfigResourceTopic, "orders", std::nullopt});
  r.resources.push_back({protocol::kConfigResourceTopic, "no-such-topic", std::nullopt});
  r.resources.push_back({protocol::kConfigResourceBroker, "2", std::vector<std::string>{"min.insync.replicas"}});
  r.resources.push_back({protocol::kConfigResourceBroker, "3", std::nullopt});
  const auto answer = describe_configs(sim, r, 2);
  ASSERT_EQ(answer.results.size(), 5u);

  const auto& payments = answer.results[0];
  EXPECT_EQ(payments.error_code, 0);
  ASSERT_EQ(payments.configs.size(), 2u);
  EXPECT_EQ(payments.configs[0].name, "min.insync.replicas");
  EXPECT_EQ(payments.configs[0].value, "3");
  EXPECT_EQ(payments.configs[0].config_source, protocol::kConfigSourceDynamicTopic);
  EXPECT_EQ(payments.configs[1].name, "retention.ms");
  EXPECT_EQ(payments.configs[1].config_source, protocol::kConfigSourceDefault);
  EXPECT_TRUE(payments.configs[1].is_default);

  const auto& orders = answer.results[1];
  bool saw_min_isr = false;
  for (const auto& c : orders.configs) {
    if (c.name != "min.insync.replicas") continue;
    saw_min_isr = true;
    EXPECT_EQ(c.value, "2");
    EXPECT_EQ(c.config_source, protocol::kConfigSourceStaticBroker);
  }
  EXPECT_TRUE(saw_min_isr);
  EXPECT_EQ(answer.results[2].error_code, 3);  // UNKNOWN_TOPIC_OR_PARTITION
  EXPECT_EQ(answer.results[3].error_code, 0);
  ASSERT_EQ(answer.results[3].configs.size(), 1u);
  EXPECT_NE(answer.results[4].error_code, 0);  // another broker's configs
}

// --- DescribeLogDirs ---

TEST(DemoLogDirs, EachBrokerHoldsItsReplicasAsLargeAsWhatWasProduced) {
  auto sim = simulation();
  sim.observe(mock_answer());
  sim.produced("orders", 0, 1000);
  sim.produced("orders", 0, 500);
  sim.produced("clickstream", 0, 70);
  const auto on1 = describe_log_dirs(sim, {}, 1);
  ASSERT_EQ(on1.results.size(), 1u);
  const auto& dir = on1.results[0];
  EXPECT_EQ(dir.log_dir, kDemoLogDir);
  EXPECT_EQ(dir.total_bytes, kDemoLogDirBytes);
  EXPECT_EQ(dir.usable_bytes, kDemoLogDirBytes - 1570);
  std::map<std::string, int64_t> sizes;
  for (const auto& t : dir.topics) {
    for (const auto& p : t.partitions) sizes[t.name + "/" + std::to_string(p.partition_index)] = p.partition_size;
  }
  EXPECT_EQ(sizes, (std::map<std::string, int64_t>{
                       {"clickstream/0", 70}, {"orders/0", 1500}, {"orders/1", 0}, {"orders/2", 0}}));
  // Broker 2 holds no replica of clickstream/0 (RF 1, on broker 1).
  const auto on2 = describe_log_dirs(sim, {}, 2);
  EXPECT_EQ(on2.results[0].usable_bytes, kDemoLogDirBytes - 1500);

  protocol::DescribeLogDirsRequest only;
  only.topics = std::vector<protocol::DescribableLogDirTopic>{{"orders", {1}}};
  const auto one = describe_log_dirs(sim, only, 1);
  ASSERT_EQ(one.results[0].topics.size(), 1u);
  ASSERT_EQ(one.results[0].topics[0].partitions.size(), 1u);
  EXPECT_EQ(one.results[0].topics[0].partitions[0].partition_index, 1);
  EXPECT_EQ(one.results[0].usable_bytes, kDemoLogDirBytes - 1570);  // the directory, not the answer
}

}  // namespace
}  // namespace lagwatch::demo::front
