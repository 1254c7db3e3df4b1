// Issue 14's model and publishing pieces without Kafka: the data-loss estimate, append rates,
// assignments, rebalances, state codes, the partition-size checklist rule, byte sizes, static
// labels, the KRaft controller and quorum series, log dir series and process_* parsing.
#include <gtest/gtest.h>

#include <cmath>

#include "config/config.hpp"
#include "metrics_text.hpp"
#include "model/group_state.hpp"
#include "model/lag.hpp"
#include "model/rebalances.hpp"
#include "model/retention_risk.hpp"
#include "model/topic_checklist.hpp"
#include "publish/metrics_page.hpp"
#include "store/offset_history.hpp"
#include "util/process_stats.hpp"

namespace lagwatch {
namespace {

using testing::MetricsText;

// ---- retention_risk ------------------------------------------------------------------------

model::RetentionInput behind(double lag_seconds) {
  model::RetentionInput in;
  in.committed_offset = 400;
  in.log_start_offset = 100;
  in.log_end_offset = 1100;
  in.lag_seconds = lag_seconds;
  in.retention_ms = 3'600'000;  // 1 h
  return in;
}

TEST(RetentionRisk, ByTimeIsRetentionMinusTheUnreadRecordsAge) {
  const auto r = model::retention_risk(behind(600));
  ASSERT_TRUE(r.seconds_left);
  EXPECT_DOUBLE_EQ(*r.seconds_left, 3000);
  EXPECT_STREQ(r.limit, "time");
  EXPECT_FALSE(r.data_lost);
}

TEST(RetentionRisk, PastRetentionIsZeroNotNegative) {
  const auto r = model::retention_risk(behind(7200));
  ASSERT_TRUE(r.seconds_left);
  EXPECT_EQ(*r.seconds_left, 0);
}

TEST(RetentionRisk, CaughtUpUnlimitedOrCompactedHasNoEstimate) {
  auto caught_up = behind(0);
  caught_up.committed_offset = 1100;
  EXPECT_FALSE(model::retention_risk(caught_up).seconds_left);
  auto unlimited = behind(600);
  unlimited.retention_ms = -1;
  EXPECT_FALSE(model::retention_risk(unlimited).seconds_left);
  auto compacted = behind(600);
  compacted.deletes = false;
  EXPECT_FALSE(model::retention_risk(compacted).seconds_left);
}

TEST(RetentionRisk, BySizeFromBytesPerOffsetAndTheAppendRate) {
  auto in = behind(10);
  in.retention_ms = -1;
  in.partition_bytes = 100'000;  // 1000 offsets: 100 bytes each
  in.retention_bytes = 150'000;  // room for 1500 offsets
  in.offsets_per_second = 10;    // 700 unread now: 800 more offsets = 80 s
  const auto r = model::retention_risk(in);
  ASSERT_TRUE(r.seconds_left);
  EXPECT_DOUBLE_EQ(*r.seconds_left, 80);
  EXPECT_STREQ(r.limit, "size");
  // No traffic: the size limit is never reached.
  in.offsets_per_second = 0;
  EXPECT_FALSE(model::retention_risk(in).seconds_left);
  // Already more unread than the limit keeps: at risk now, traffic or not.
  in.retention_bytes = 50'000;
  ASSERT_TRUE(model::retention_risk(in).seconds_left);
  EXPECT_EQ(*model::retention_risk(in).seconds_left, 0);
}

TEST(RetentionRisk, TheNearerLimitWins) {
  auto in = behind(3500);  // 100 s left by time
  in.partition_bytes = 100'000;
  in.retention_bytes = 150'000;
  in.offsets_per_second = 10;  // 80 s left by size
  const auto r = model::retention_risk(in);
  EXPECT_DOUBLE_EQ(*r.seconds_left, 80);
  EXPECT_STREQ(r.limit, "size");
}

TEST(RetentionRisk, NoTimeEstimateFromALowerBoundAndNoSizeEstimateWithTieredStorage) {
  auto lower = behind(600);
  lower.lag_seconds_lower_bound = true;  // the record is older than 600 s: 3000 s left would be too late
  EXPECT_FALSE(model::retention_risk(lower).seconds_left);
  auto tiered = behind(10);
  tiered.retention_ms = -1;
  tiered.partition_bytes = 100'000;
  tiered.retention_bytes = 50'000;  // would be "at risk now" from local bytes alone
  tiered.offsets_per_second = 10;
  tiered.tiered = true;
  EXPECT_FALSE(model::retention_risk(tiered).seconds_left);
}

TEST(RetentionRisk, CommittedBelowLogStartIsDataLost) {
  auto in = behind(600);
  in.committed_offset = 50;
  const auto r = model::retention_risk(in);
  EXPECT_TRUE(r.data_lost);
  EXPECT_EQ(*r.seconds_left, 0);
}

model::ClusterSnapshot retention_snapshot() {
  model::ClusterSnapshot s;
  s.cluster = "c";
  s.metadata_ok = true;
  s.brokers = {{1, "b1", 9092, ""}, {2, "b2", 9092, "r2"}};
  model::Topic t;
  t.name = "orders";
  t.partitions = {{0, 1, {1, 2}, {1, 2}, 100, 1100, ""}, {1, 2, {2, 1}, {2, 1}, 500, 900, ""}};
  s.topics = {t};
  s.topic_configs["orders"] = {2, 3'600'000, 150'000, "delete"};
  model::LogDir d1{1, "/data", "", std::nullopt, std::nullopt, {{"orders", 0, 100'000, 0, false}}};
  model::LogDir d2{2, "/data", "", std::nullopt, std::nullopt, {{"orders", 1, 40'000, 0, false}}};
  s.log_dirs = {d1, d2};
  s.log_dirs_known = true;
  model::Group g;
  g.name = "billing";
  g.described = true;
  g.state = "Stable";
  g.members.push_back({"m1", "c1", "/h1", {{"orders", 0}}, -1});
  g.offsets = {{"orders", 0, 400}, {"orders", 1, 300}};  // partition 1: below log start 500
  s.groups = {g};
  return s;
}

class FixedRate : public model::AppendRateSource {
 public:
  std::optional<double> offsets_per_second(const std::string&, int32_t) const override { return 10; }
};

TEST(RetentionRisk, AnnotatesGroupsFromTheSnapshot) {
  const auto snap = retention_snapshot();
  auto lag = model::compute_lag(snap, nullptr);
  lag[0].partitions[0].lag_seconds = 10;
  FixedRate rate;
  model::annotate_retention_risk(lag, snap, &rate);
  const auto& p0 = lag[0].partitions[0];
  ASSERT_TRUE(p0.seconds_until_deleted);
  EXPECT_DOUBLE_EQ(*p0.seconds_until_deleted, 80);  // the leader's (broker 1) size decides
  EXPECT_TRUE(lag[0].partitions[1].data_lost);
  EXPECT_EQ(lag[0].data_lost_partitions(), 1);
  // The lost partition does not count towards "imminent": it is past that.
  EXPECT_DOUBLE_EQ(*lag[0].min_seconds_until_deleted(), 80);
}

// ---- append rate -----------------------------------------------------------------------------

TEST(AppendRate, OverTheNewestWindow) {
  store::OffsetHistory h(100);
  EXPECT_FALSE(store::append_rate(h));
  h.add(0, 0);
  EXPECT_FALSE(store::append_rate(h));
  h.add(60'000, 600);     // 10/s
  h.add(120'000, 3'600);  // 50/s
  EXPECT_DOUBLE_EQ(*store::append_rate(h), 30);
  EXPECT_DOUBLE_EQ(*store::append_rate(h, 60'000), 50);
}

// ---- assignments, rebalances, state codes -----------------------------------------------------

TEST(Assignment, UnassignedPartitionsAreThoseWithLagNoMemberOwns) {
  auto snap = retention_snapshot();
  snap.groups[0].offsets = {{"orders", 0, 400}, {"orders", 1, 600}};
  const auto lag = model::compute_lag(snap, nullptr);
  const auto& a = lag[0].assignment.at("orders");
  EXPECT_EQ(a.members, 1);
  EXPECT_EQ(a.assigned, 1);
  EXPECT_EQ(a.unassigned_with_lag, 1);  // partition 1: lag 300, owned by nobody
}

model::Group described_group(std::vector<model::GroupMember> members) {
  model::Group g;
  g.name = "g";
  g.described = true;
  g.state = "Stable";
  g.members = std::move(members);
  return g;
}

TEST(Rebalances, EpochChangeForConsumerProtocolGroups) {
  auto a = described_group({{"m1", "c", "h", {{"t", 0}}, 5}});
  a.epoch = 7;
  auto b = a;
  EXPECT_FALSE(model::rebalanced(a, b));
  b.epoch = 8;
  EXPECT_TRUE(model::rebalanced(a, b));
}

TEST(Rebalances, ClassicGroupsByGenerationOrMembership) {
  const auto a = described_group({{"m1", "c", "h", {{"t", 0}, {"t", 1}}, -1}});
  auto same = described_group({{"m1", "c", "h", {{"t", 1}, {"t", 0}}, -1}});  // order is not a change
  EXPECT_FALSE(model::rebalanced(a, same));
  auto joined = described_group({{"m1", "c", "h", {{"t", 0}}, -1}, {"m2", "c", "h", {{"t", 1}}, -1}});
  EXPECT_TRUE(model::rebalanced(a, joined));
  auto g3 = described_group({{"m1", "c", "h", {{"t", 0}}, 3}});
  auto g4 = described_group({{"m1", "c", "h", {{"t", 0}}, 4}});
  EXPECT_TRUE(model::rebalanced(g3, g4));
  auto not_described = g4;
  not_described.described = false;
  EXPECT_FALSE(model::rebalanced(g3, not_described));
  // Mid-rebalance a classic group's members carry no assignment: not a baseline.
  auto preparing = described_group({{"m1", "c", "h", {}, -1}});
  preparing.state = "PreparingRebalance";
  EXPECT_FALSE(model::comparable(preparing));
  EXPECT_FALSE(model::rebalanced(a, preparing));
  // A KIP-848 group described once through DescribeGroups only (no epoch): not compared.
  auto with_epoch = a;
  with_epoch.epoch = 3;
  EXPECT_FALSE(model::rebalanced(with_epoch, a));
}

TEST(GroupState, CodesForBothProtocols) {
  EXPECT_EQ(model::group_state_code("Stable"), 1);
  EXPECT_EQ(model::group_state_code("CompletingRebalance"), 3);
  EXPECT_EQ(model::group_state_code("Reconciling"), 7);
  EXPECT_EQ(model::group_state_code("SomethingNew"), 0);
}

// ---- checklist: partition size ------------------------------------------------------------------

TEST(TopicChecklist, PartitionSizeAboveLimit) {
  const auto snap = retention_snapshot();
  const auto largest = model::largest_replicas(snap);
  EXPECT_EQ(largest.at("orders"), 100'000);
  auto rule = [&](int64_t limit) {
    for (const auto& r : model::topic_checklist(snap.topics[0], std::nullopt, largest.at("orders"), limit)) {
      if (r.rule == "partition_size_above_limit") return std::optional<bool>(r.violated);
    }
    return std::optional<bool>();
  };
  EXPECT_EQ(rule(99'999), true);
  EXPECT_EQ(rule(100'000), false);
  // Without log dirs the rule is not judged.
  for (const auto& r : model::topic_checklist(snap.topics[0], std::nullopt))
    EXPECT_NE(r.rule, "partition_size_above_limit");
}

// ---- config: byte sizes and static labels -----------------------------------------------------

TEST(ByteSize, DecimalAndBinaryUnits) {
  EXPECT_EQ(config::parse_byte_size("25GB"), 25'000'000'000);
  EXPECT_EQ(config::parse_byte_size("1.5GiB"), 1'610'612'736);
  EXPECT_EQ(config::parse_byte_size("512"), 512);
  EXPECT_EQ(config::parse_byte_size("0.267GB"), 267'000'000);  // exact, no floating point
  EXPECT_EQ(config::parse_byte_size("4.02KB"), 4'020);
  EXPECT_EQ(config::parse_byte_size("9007199254740993"), 9'007'199'254'740'993);  // 2^53 + 1
  EXPECT_THROW(config::parse_byte_size("1."), config::ConfigError);
  EXPECT_THROW(config::parse_byte_size(std::string(40, '9')), config::ConfigError);
  EXPECT_EQ(config::format_byte_size(25'000'000'000), "25GB");
  EXPECT_EQ(config::format_byte_size(1'073'741'824), "1GiB");
  EXPECT_THROW(config::parse_byte_size("25 gigs"), config::ConfigError);
  EXPECT_THROW(config::parse_byte_size("GB"), config::ConfigError);
  EXPECT_THROW(config::parse_byte_size("0.5B"), config::ConfigError);
  EXPECT_THROW(config::parse_byte_size("99999999999TB"), config::ConfigError);
}

std::string config_error(const std::string& yaml) {
  try {
    config::parse_yaml(yaml, "t.yml");
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(StaticLabels, ParsedAndValidated) {
  const auto c = config::parse_yaml(R"(
clusters:
  - name: prod
    bootstrap_servers: ["k:9092"]
    labels: {env: staging, region: eu-1}
log_dirs:
  partition_size_limit: 10GiB
  interval: 10m
)",
                                    "t.yml");
  EXPECT_EQ(c.clusters[0].labels.at("env"), "staging");
  EXPECT_EQ(c.log_dirs.partition_size_limit_bytes, int64_t{10} << 30);
  EXPECT_EQ(c.log_dirs.interval, std::chrono::minutes(10));
  const std::string reserved = config_error(R"(
clusters:
  - name: prod
    bootstrap_servers: ["k:9092"]
    labels: {topic: x}
)");
  EXPECT_NE(reserved.find("clusters[0].labels.topic"), std::string::npos) << reserved;
  EXPECT_NE(reserved.find("lagwatch's own series"), std::string::npos) << reserved;
  EXPECT_NE(
      config_error("clusters: [{name: p, bootstrap_servers: [\"k:1\"], labels: {\"9x\": y}}]").find("not a label name"),
      std::string::npos);
  EXPECT_NE(config_error("clusters: [{name: p, bootstrap_servers: [\"k:1\"]}]\nlog_dirs: {partition_size_limit: lots}")
                .find("log_dirs.partition_size_limit"),
            std::string::npos);
}

// ---- publishing ---------------------------------------------------------------------------------

std::shared_ptr<core::ClusterView> view_of(model::ClusterSnapshot snap) {
  auto view = std::make_shared<core::ClusterView>();
  snap.finished = model::Clock::now();
  view->lag = model::compute_lag(snap, nullptr);
  view->stats.up = snap.metadata_ok;
  view->snapshot = std::make_shared<model::ClusterSnapshot>(std::move(snap));
  return view;
}

TEST(StaticLabels, OnEverySeriesOfTheirCluster) {
  auto view = view_of(retention_snapshot());
  view->publish.labels = {{"env", "staging"}, {"region", "eu-1"}};
  publish::MetricsPage page;
  page.update(view);
  const std::string text = page.scrape(false).data();
  size_t with_cluster = 0, with_labels = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line.find("cluster=\"c\"") == std::string::npos) continue;
    ++with_cluster;
    if (line.find("cluster=\"c\",env=\"staging\",region=\"eu-1\"") != std::string::npos) {
      ++with_labels;
    } else {
      ADD_FAILURE() << "without the static labels: " << line;
    }
  }
  EXPECT_GT(with_cluster, 20u);
  EXPECT_EQ(with_labels, with_cluster);
}

TEST(StaticLabels, NeverDuplicateASeriesOwnLabel) {
  publish::Families f;
  f.set_cluster_labels({{"c", {{"env", "x"}, {"topic", "static"}}}});
  f.add(f.gauge("t", "h"), {{"cluster", "c"}, {"topic", "orders"}}, 1);
  EXPECT_NE(f.text().find("t{cluster=\"c\",env=\"x\",topic=\"orders\"} 1"), std::string::npos) << f.text();
  EXPECT_NE(config_error("clusters: [{name: p, bootstrap_servers: [\"k:1\"], labels: {consumer_group: y}}]")
                .find("lagwatch's own series"),
            std::string::npos);
  EXPECT_NE(config_error("clusters: [{name: p, bootstrap_servers: [\"k:1\"], labels: {id: y}}]")
                .find("lagwatch's own series"),
            std::string::npos);
}

model::ClusterSnapshot kraft_snapshot(int32_t leader) {
  auto s = retention_snapshot();
  s.kraft = true;
  s.cluster_id = "MkU3OEVBNTcwNTJENDM2Qk";
  s.controller_id = 2;  // what Metadata said: a random broker on KRaft, not the controller
  model::Quorum q;
  q.leader_id = leader;
  q.leader_epoch = 4;
  q.high_watermark = 1000;
  const int64_t now = 1'700'000'000'000;
  q.voters = {{101, 1000, now, now}, {102, 990, now - 500, now - 1000}, {103, 400, now - 60'000, now - 90'000}};
  q.observers = {{1, 1000, now - 200, now - 200}};
  s.quorum = q;
  s.fenced_brokers = {3};
  return s;
}

TEST(KRaft, ControllerIsTheQuorumLeaderNotMetadatas) {
  publish::MetricsPage page;
  page.update(view_of(kraft_snapshot(101)));
  MetricsText m(page.scrape(false).data());
  auto active = [&](const char* b) {
    return m.get("kafka_controller_kafkacontroller_activecontrollercount", {{"cluster", "c"}, {"broker", b}});
  };
  EXPECT_EQ(active("101"), 1);
  EXPECT_EQ(active("102"), 0);
  EXPECT_EQ(active("103"), 0);
  EXPECT_FALSE(active("2"));  // Metadata's "controller" broker is not one
  EXPECT_EQ(m.count("kafka_controller_kafkacontroller_activecontrollercount"), 3u);
  EXPECT_EQ(
      m.get("lagwatch_cluster_info", {{"cluster", "c"}, {"cluster_id", "MkU3OEVBNTcwNTJENDM2Qk"}, {"kraft", "true"}}),
      1);
  EXPECT_EQ(m.get("lagwatch_kraft_quorum_leader_id", {{"cluster", "c"}}), 101);
  EXPECT_EQ(m.get("lagwatch_kraft_quorum_voters", {{"cluster", "c"}}), 3);
  EXPECT_EQ(m.get("lagwatch_kraft_quorum_voters_live", {{"cluster", "c"}}), 2);  // 103 is 60 s behind
  EXPECT_EQ(m.get("lagwatch_kraft_quorum_replica_lag", {{"cluster", "c"}, {"node", "103"}, {"role", "voter"}}), 600);
  EXPECT_EQ(m.get("lagwatch_kraft_quorum_replica_last_fetch_age_seconds",
                  {{"cluster", "c"}, {"node", "103"}, {"role", "voter"}}),
            60);
  EXPECT_EQ(
      m.get("lagwatch_kraft_quorum_replica_log_end_offset", {{"cluster", "c"}, {"node", "1"}, {"role", "observer"}}),
      1000);
  EXPECT_EQ(m.get("lagwatch_broker_fenced", {{"cluster", "c"}, {"broker", "3"}}), 1);
}

TEST(KRaft, NoLeaderMeansNoActiveController) {
  publish::MetricsPage page;
  page.update(view_of(kraft_snapshot(-1)));
  MetricsText m(page.scrape(false).data());
  for (const char* b : {"101", "102", "103"}) {
    EXPECT_EQ(m.get("kafka_controller_kafkacontroller_activecontrollercount", {{"cluster", "c"}, {"broker", b}}), 0);
  }
  EXPECT_EQ(m.get("lagwatch_kraft_quorum_leader_id", {{"cluster", "c"}}), -1);
}

TEST(ZooKeeperMode, ControllerFromMetadataAsBefore) {
  auto s = retention_snapshot();
  s.kraft = false;
  s.controller_id = 2;
  publish::MetricsPage page;
  page.update(view_of(s));
  MetricsText m(page.scrape(false).data());
  EXPECT_EQ(m.get("kafka_controller_kafkacontroller_activecontrollercount", {{"cluster", "c"}, {"broker", "2"}}), 1);
  EXPECT_EQ(m.get("kafka_controller_kafkacontroller_activecontrollercount", {{"cluster", "c"}, {"broker", "1"}}), 0);
  EXPECT_EQ(m.count("lagwatch_kraft_quorum_leader_id"), 0u);
  EXPECT_EQ(m.get("kafka_broker_info", {{"cluster", "c"}, {"id", "2"}, {"address", "b2:9092"}, {"rack", "r2"}}), 1);
}

TEST(LogDirs, SizesPerBrokerDirTopicAndOptInReplicas) {
  auto view = view_of(retention_snapshot());
  publish::MetricsPage page;
  page.update(view);
  MetricsText m(page.scrape(false).data());
  EXPECT_EQ(m.get("lagwatch_log_dir_size_bytes", {{"cluster", "c"}, {"broker", "1"}, {"log_dir", "/data"}}), 100'000);
  EXPECT_EQ(m.get("lagwatch_broker_log_size_bytes", {{"cluster", "c"}, {"broker", "2"}}), 40'000);
  EXPECT_EQ(m.get("lagwatch_topic_log_size_bytes", {{"cluster", "c"}, {"topic", "orders"}}), 140'000);
  EXPECT_EQ(m.get("lagwatch_topic_partition_max_size_bytes", {{"cluster", "c"}, {"topic", "orders"}}), 100'000);
  EXPECT_EQ(m.count("lagwatch_log_dir_partition_size_bytes"), 0u);
  auto opted = view_of(retention_snapshot());
  opted->publish.partition_size_series = true;
  opted->publish.partition_size_limit_bytes = 50'000;
  page.update(opted);
  MetricsText m2(page.scrape(false).data());
  EXPECT_EQ(m2.count("lagwatch_log_dir_partition_size_bytes"), 2u);
  EXPECT_EQ(m2.get("lagwatch_topic_checklist_violation",
                   {{"cluster", "c"}, {"topic", "orders"}, {"rule", "partition_size_above_limit"}}),
            1);
}

TEST(GroupFamilies, StateAssignmentRebalancesAndDataLoss) {
  auto snap = retention_snapshot();
  snap.groups[0].rebalances = 3;
  publish::MetricsPage page;
  page.update(view_of(snap));
  MetricsText m(page.scrape(false).data());
  const std::vector<std::pair<std::string, std::string>> g{{"cluster", "c"}, {"consumergroup", "billing"}};
  EXPECT_EQ(m.get("lagwatch_consumergroup_state", g), 1);
  EXPECT_EQ(m.get("lagwatch_consumergroup_rebalances_total", g), 3);
  EXPECT_EQ(m.get("lagwatch_consumergroup_info",
                  {{"cluster", "c"}, {"consumergroup", "billing"}, {"state", "Stable"}, {"protocol", "classic"}}),
            1);
  EXPECT_EQ(m.get("lagwatch_consumergroup_assigned_partitions",
                  {{"cluster", "c"}, {"consumergroup", "billing"}, {"topic", "orders"}}),
            1);
  EXPECT_EQ(m.get("lagwatch_consumergroup_data_lost_partitions", g), 0);  // annotate did not run: no estimate
}

// ---- process_* ------------------------------------------------------------------------------

TEST(ProcessStats, ParsesProcSelfStatWithAnAwkwardName) {
  // Fields from proc(5); the command name holds spaces and a ')'.
  const std::string line =
      "4242 (lag watch) x) S 1 4242 4242 0 -1 4194560 500 0 0 0 250 150 0 0 20 0 7 0 12345 104857600 2560 "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
  util::ProcessStats s;
  ASSERT_TRUE(util::parse_proc_stat(line, 100, 4096, 1'700'000'000, s));
  EXPECT_DOUBLE_EQ(*s.cpu_seconds, 4.0);  // (250 + 150) / 100
  EXPECT_EQ(*s.threads, 7);
  EXPECT_DOUBLE_EQ(*s.start_time_seconds, 1'700'000'000 + 123.45);
  EXPECT_EQ(*s.virtual_bytes, 104857600);
  EXPECT_EQ(*s.resident_bytes, 2560.0 * 4096);
  util::ProcessStats none;
  EXPECT_FALSE(util::parse_proc_stat("12 (short) S 1 2", 100, 4096, 0, none));
}

TEST(ProcessStats, ThisProcessOnThePage) {
  publish::MetricsPage page;
  MetricsText m(page.scrape(false).data());
  EXPECT_GT(*m.get("process_resident_memory_bytes", {}), 0);
  EXPECT_GE(*m.get("process_threads", {}), 1);
  EXPECT_GT(*m.get("process_open_fds", {}), 0);
  EXPECT_GT(*m.get("process_start_time_seconds", {}), 1.6e9);
}

}  // namespace
}  // namespace lagwatch
