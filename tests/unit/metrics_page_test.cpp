// The metrics model: snapshots in, Prometheus text out. No Kafka involved.
#include "publish/metrics_page.hpp"

#include <gtest/gtest.h>

#include "metrics_text.hpp"

namespace lagwatch::publish {
namespace {

using lagwatch::testing::MetricsText;

std::shared_ptr<core::ClusterView> view_of(const std::string& cluster, bool up = true) {
  auto snap = std::make_shared<model::ClusterSnapshot>();
  snap->cluster = cluster;
  snap->metadata_ok = up;
  snap->finished = model::Clock::now();
  if (up) {
    snap->brokers = {{1, "b1", 9092}, {2, "b2", 9092}, {3, "b3", 9092}};
    model::Topic t;
    t.name = "orders";
    model::Partition healthy{0, 1, {1, 2, 3}, {1, 2, 3}, 5, 100, ""};
    model::Partition shrunk{1, 3, {2, 3, 1}, {3}, 0, 40, ""};  // ISR shrank; leader not preferred
    model::Partition offline{2, -1, {2, 3, 1}, {2}, std::nullopt, std::nullopt, "Broker: Leader not available"};
    t.partitions = {healthy, shrunk, offline};
    snap->topics.push_back(t);
    model::Group g;
    g.name = "billing";
    g.state = "Stable";
    g.described = true;
    g.members.push_back({"m", "client", "/1.2.3.4", {{"orders", 0}}});
    g.offsets = {{"orders", 0, 90}, {"orders", 1, 40}, {"orders", 2, 7}};
    snap->groups.push_back(g);
  } else {
    snap->errors.push_back({model::ErrorKind::metadata, "Metadata: timed out"});
  }
  auto view = std::make_shared<core::ClusterView>();
  view->lag = model::compute_lag(*snap, nullptr);
  view->stats.up = up;
  view->stats.polls = 3;
  view->stats.errors_by_kind["metadata"] = up ? 0 : 2;
  view->snapshot = snap;
  return view;
}

TEST(MetricsPage, TopicFamiliesFollowKafkaExporter) {
  MetricsPage page;
  page.update(view_of("prod"));
  MetricsText m(page.scrape(false).data());
  auto p = [](const char* id) {
    return std::vector<std::pair<std::string, std::string>>{
        {"cluster", "prod"}, {"topic", "orders"}, {"partition", id}};
  };
  EXPECT_EQ(m.get("kafka_brokers", {{"cluster", "prod"}}), 3);
  EXPECT_EQ(m.get("kafka_broker_info", {{"cluster", "prod"}, {"id", "2"}, {"address", "b2:9092"}, {"rack", ""}}), 1);
  EXPECT_EQ(m.get("kafka_topic_partition_under_replicated_partition", p("0")), 0);
  EXPECT_EQ(m.get("kafka_topic_partition_under_replicated_partition", p("1")), 1);
  EXPECT_EQ(m.get("kafka_topic_partition_leader_is_preferred", p("0")), 1);
  EXPECT_EQ(m.get("kafka_topic_partition_leader_is_preferred", p("1")), 0);
  EXPECT_EQ(m.get("kafka_topic_partition_leader_is_preferred", p("2")), 0);  // no leader at all
  EXPECT_EQ(m.get("kafka_topic_partition_leader", p("2")), -1);
  EXPECT_EQ(m.get("kafka_topic_partition_in_sync_replica", p("1")), 1);
  EXPECT_EQ(m.get("kafka_topic_partition_oldest_offset", p("0")), 5);
  // Offline partition: offsets unknown, so absent rather than 0 or -1.
  EXPECT_FALSE(m.get("kafka_topic_partition_current_offset", p("2")).has_value());
}

TEST(MetricsPage, GroupFamiliesNeverCarryNegativeOrUnknownLag) {
  MetricsPage page;
  page.update(view_of("prod"));
  MetricsText m(page.scrape(false).data());
  auto g = [](const char* id) {
    return std::vector<std::pair<std::string, std::string>>{
        {"cluster", "prod"}, {"consumergroup", "billing"}, {"topic", "orders"}, {"partition", id}};
  };
  EXPECT_EQ(m.get("kafka_consumergroup_lag", g("0")), 10);
  EXPECT_EQ(m.get("kafka_consumergroup_lag", g("1")), 0);
  EXPECT_FALSE(m.get("kafka_consumergroup_lag", g("2")).has_value());  // end offset unknown
  EXPECT_EQ(m.get("kafka_consumergroup_current_offset", g("2")), 7);   // the commit itself is known
  EXPECT_EQ(m.get("kafka_consumergroup_members", {{"cluster", "prod"}, {"consumergroup", "billing"}}), 1);
  EXPECT_EQ(m.get("lagwatch_consumergroup_info",
                  {{"cluster", "prod"}, {"consumergroup", "billing"}, {"state", "Stable"}, {"protocol", "classic"}}),
            1);
  std::vector<std::pair<std::string, std::string>> t{
      {"cluster", "prod"}, {"consumergroup", "billing"}, {"topic", "orders"}};
  EXPECT_EQ(m.get("kafka_consumergroup_lag_sum", t), 10);
  EXPECT_EQ(m.get("kafka_consumergroup_current_offset_sum", t), 137);
}

TEST(MetricsPage, UnreachableClusterKeepsOnlyHealthSeries) {
  MetricsPage page;
  page.update(view_of("prod"));
  page.update(view_of("staging", /*up=*/false));
  std::string text = page.scrape(false).data();
  MetricsText m(text);
  EXPECT_EQ(m.get("lagwatch_cluster_up", {{"cluster", "prod"}}), 1);
  EXPECT_EQ(m.get("lagwatch_cluster_up", {{"cluster", "staging"}}), 0);
  EXPECT_EQ(m.get("lagwatch_poll_errors_total", {{"cluster", "staging"}, {"kind", "metadata"}}), 2);
  EXPECT_FALSE(m.get("kafka_brokers", {{"cluster", "staging"}}).has_value());
  // Two clusters, one family: the text format allows one TYPE line per name.
  size_t type_lines = 0;
  for (size_t pos = 0; (pos = text.find("# TYPE kafka_brokers ", pos)) != std::string::npos; ++pos) ++type_lines;
  EXPECT_EQ(type_lines, 1u);
}

TEST(MetricsPage, ReplacingAClusterViewReplacesItsSeries) {
  MetricsPage page;
  page.update(view_of("prod"));
  auto empty = view_of("prod");
  std::const_pointer_cast<model::ClusterSnapshot>(empty->snapshot)->groups.clear();
  empty->lag.clear();
  page.update(empty);
  MetricsText m(page.scrape(false).data());
  EXPECT_EQ(m.count("kafka_consumergroup_lag"), 0u);  // a deleted group disappears at once
}

TEST(MetricsPage, BeforeTheFirstPollOnlyTheAgeHeaderAndProcessAreServed) {
  MetricsPage page;
  auto body = page.scrape(true);
  EXPECT_FALSE(body.gzip);
  MetricsText m(body.data());
  // No cluster series; only the process's own (process_*), which need no poll.
  EXPECT_EQ(m.size(), m.count("process_cpu_seconds_total") + m.count("process_resident_memory_bytes") +
                          m.count("process_virtual_memory_bytes") + m.count("process_start_time_seconds") +
                          m.count("process_threads") + m.count("process_open_fds") + m.count("process_max_fds"));
  EXPECT_EQ(m.count("lagwatch_data_age_seconds"), 0u);
}

TEST(MetricsPage, HealthAndChecklistFamilies) {
  MetricsPage page;
  auto v = view_of("prod");
  auto snap = std::const_pointer_cast<model::ClusterSnapshot>(v->snapshot);
  model::TopicConfig cfg;
  cfg.min_insync_replicas = 3;  // equal to RF: cannot lose a broker
  cfg.retention_ms = 604'800'000;
  cfg.cleanup_policy = "delete";
  snap->topic_configs["orders"] = cfg;
  snap->controller_id = 2;
  page.update(v);
  MetricsText m(page.scrape(false).data());
  // Partition 1: ISR [3] of 3 replicas, led by 3. Partition 2: no leader (offline).
  EXPECT_EQ(m.get("kafka_controller_kafkacontroller_offlinepartitionscount", {{"cluster", "prod"}}), 1);
  EXPECT_EQ(m.get("lagwatch_cluster_under_replicated_partitions", {{"cluster", "prod"}}), 2);
  EXPECT_EQ(m.get("kafka_server_replicamanager_underreplicatedpartitions", {{"cluster", "prod"}, {"broker", "3"}}), 1);
  EXPECT_EQ(m.get("kafka_server_replicamanager_underreplicatedpartitions", {{"cluster", "prod"}, {"broker", "1"}}), 0);
  EXPECT_EQ(m.get("kafka_server_replicamanager_leadercount", {{"cluster", "prod"}, {"broker", "1"}}), 1);
  EXPECT_EQ(m.get("kafka_server_replicamanager_partitioncount", {{"cluster", "prod"}, {"broker", "2"}}), 3);
  // Online partitions: 0 has ISR 3 (not under, not at... equal to 3: at min), 1 has ISR 1 (under).
  EXPECT_EQ(m.get("kafka_server_replicamanager_underminisrpartitioncount", {{"cluster", "prod"}}), 1);
  EXPECT_EQ(m.get("kafka_server_replicamanager_atminisrpartitioncount", {{"cluster", "prod"}}), 1);
  EXPECT_EQ(m.get("lagwatch_topic_partition_offline", {{"cluster", "prod"}, {"topic", "orders"}, {"partition", "2"}}),
            1);
  EXPECT_EQ(m.get("lagwatch_cluster_controller_id", {{"cluster", "prod"}}), 2);
  auto p = [](const char* id) {
    return std::vector<std::pair<std::string, std::string>>{
        {"cluster", "prod"}, {"topic", "orders"}, {"partition", id}};
  };
  EXPECT_EQ(m.get("lagwatch_topic_partition_at_min_isr", p("0")), 1);
  EXPECT_FALSE(m.get("lagwatch_topic_partition_under_min_isr", p("0")).has_value());  // sparse: absent when not under
  EXPECT_EQ(m.get("lagwatch_topic_partition_under_min_isr", p("1")), 1);
  EXPECT_FALSE(m.get("lagwatch_topic_partition_under_min_isr", p("2")).has_value());  // offline: counted as such
  EXPECT_EQ(m.get("kafka_controller_kafkacontroller_activecontrollercount", {{"cluster", "prod"}, {"broker", "2"}}), 1);
  EXPECT_EQ(m.get("kafka_controller_kafkacontroller_activecontrollercount", {{"cluster", "prod"}, {"broker", "1"}}), 0);
  EXPECT_EQ(m.get("lagwatch_topic_min_insync_replicas", {{"cluster", "prod"}, {"topic", "orders"}}), 3);
  EXPECT_EQ(m.get("lagwatch_topic_retention_seconds", {{"cluster", "prod"}, {"topic", "orders"}}), 604'800);
  EXPECT_EQ(
      m.get("lagwatch_topic_config_info", {{"cluster", "prod"}, {"topic", "orders"}, {"cleanup_policy", "delete"}}), 1);
  EXPECT_EQ(m.get("lagwatch_topic_checklist_violation",
                  {{"cluster", "prod"}, {"topic", "orders"}, {"rule", "min_insync_not_below_rf"}}),
            1);
  EXPECT_EQ(m.get("lagwatch_topic_checklist_violation",
                  {{"cluster", "prod"}, {"topic", "orders"}, {"rule", "replication_factor_below_3"}}),
            0);
}

TEST(MetricsPage, DataAgeIsComputedPerScrape) {
  MetricsPage page;
  auto v = view_of("prod");
  std::const_pointer_cast<model::ClusterSnapshot>(v->snapshot)->finished =
      model::Clock::now() - std::chrono::seconds(42);
  page.update(v);
  MetricsText m(page.scrape(false).data());
  EXPECT_NEAR(*m.get("lagwatch_data_age_seconds", {{"cluster", "prod"}}), 42.0, 2.0);
}

}  // namespace
}  // namespace lagwatch::publish
