// The demo cluster as a student meets it: librdkafka's mock behind lagwatch's demo broker
// front, with the demo's traffic, watched by lagwatch through the front. What the mock alone
// cannot show must show here: group members and assignments, STALL for a live stuck group,
// under-replicated and under-min-ISR partitions while a broker is slow, an offline partition,
// a lost broker and a moved coordinator while one is down, and a healthy cluster after reset.
// Incidents go through the demo's HTTP API and the `lagwatch demo incident` command.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "app/exporter.hpp"
#include "cli_run.hpp"
#include "demo/demo_cluster.hpp"
#include "demo/incident_routes.hpp"
#include "demo/incidents.hpp"
#include "demo/scenario_runner.hpp"
#include "demo/scenarios.hpp"
#include "demo/traffic.hpp"
#include "http_get.hpp"
#include "test_config.hpp"

namespace lagwatch {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
namespace bhttp = boost::beast::http;

// The sum of a family's samples whose labels include every one of `labels` ("" when none
// match: absent, not 0).
std::optional<double> sum(const std::string& page, const std::string& name,
                          const std::vector<std::string>& labels = {}) {
  std::istringstream in(page);
  std::optional<double> total;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line.compare(0, name.size(), name) != 0 || (line[name.size()] != '{' && line[name.size()] != ' ')) continue;
    bool all = true;
    for (const auto& l : labels) all = all && line.find(l) != std::string::npos;
    if (!all) continue;
    total = total.value_or(0) + std::stod(line.substr(line.rfind(' ') + 1));
  }
  return total;
}

// Polls `ok` on /metrics until it holds or `limit` passes; returns the last page.
std::string metrics_until(uint16_t port, const std::function<bool(const std::string&)>& ok,
                          std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::string page;
  while (std::chrono::steady_clock::now() < deadline) {
    page = testing::http_get(port, "/metrics").body;
    if (ok(page)) return page;
    std::this_thread::sleep_for(500ms);
  }
  return page;
}

struct DemoUnderTest {
  demo::DemoCluster cluster;
  demo::Traffic traffic;
  demo::Incidents incidents{cluster, traffic};
  app::Exporter exporter;

  explicit DemoUnderTest(std::chrono::seconds stops_after)
      : traffic({cluster.bootstrap_servers(), stops_after, stops_after, {}, true}),
        exporter(config(cluster.bootstrap_servers()), {},
                 [this](const http::Request& r) { return demo::incident_routes(incidents, r); }) {
    traffic.start();
    exporter.start();
  }
  ~DemoUnderTest() {
    exporter.stop();
    traffic.stop();
  }

  static config::Config config(const std::string& bootstrap) {
    auto cfg = testing::test_config("demo", bootstrap, {});  // groups discovered: ListGroups
    cfg.poll.interval = 2s;
    cfg.poll.request_timeout = 2s;
    cfg.evaluation.window = 5;
    cfg.evaluation.allowed_lag = 10;
    return cfg;
  }

  uint16_t port() const { return exporter.port(); }
  testing::HttpReply post(const std::string& path) { return testing::http_request(port(), bhttp::verb::post, path); }
};

std::string partition_statuses(uint16_t port, const std::string& group) {
  // The lag endpoint lists every partition (the status endpoint only those that are not OK).
  const auto r = testing::http_get(port, "/v3/kafka/demo/consumer/" + group + "/lag");
  if (r.status != 200) return "HTTP " + std::to_string(r.status);
  std::string out;
  const auto status = json::parse(r.body);  // named: the loop below must not outlive it
  for (const auto& p : status["status"]["partitions"]) out += p["status"].get<std::string>() + " ";
  return out;
}

TEST(DemoFront, GroupsShowTheirMembersAndALiveStuckGroupIsStall) {
  DemoUnderTest demo(10s);
  const auto members = [](const std::string& page, const std::string& group) {
    return sum(page, "kafka_consumergroup_members", {"consumergroup=\"" + group + "\""});
  };
  const auto page = metrics_until(
      demo.port(),
      [&](const std::string& p) {
        return members(p, "billing") == 1 && members(p, "analytics") == 1 && members(p, "shipping") == 1 &&
               members(p, "audit") == 0;
      },
      60s);
  EXPECT_EQ(members(page, "billing"), 1);
  EXPECT_EQ(members(page, "analytics"), 1);
  EXPECT_EQ(members(page, "shipping"), 1);  // paused, but heartbeating
  EXPECT_EQ(members(page, "audit"), 0);     // left after 10 s
  EXPECT_EQ(sum(page, "lagwatch_kafka_api_unsupported", {"api=\"ListGroups\""}).value_or(0), 0);

  // The owner of each partition comes from DescribeGroups' assignments, with the client id.
  const auto billing = json::parse(testing::http_get(demo.port(), "/v3/kafka/demo/consumer/billing/lag").body);
  size_t owned = 0;
  for (const auto& p : billing["status"]["partitions"]) {
    if (p.value("client_id", "") == "demo-billing") ++owned;
  }
  EXPECT_EQ(owned, 6u) << billing.dump();

  // shipping stays a member without committing: STALL, which needs its membership.
  std::string shipping;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    shipping = partition_statuses(demo.port(), "shipping");
    if (shipping == "STALL STALL STALL ") break;
    std::this_thread::sleep_for(1s);
  }
  EXPECT_EQ(shipping, "STALL STALL STALL ");
  EXPECT_EQ(partition_statuses(demo.port(), "audit"), "STOP STOP STOP ");
}

TEST(DemoFront, BrokerDownLosesABrokerAnRf1PartitionAndMovesLeadersAndCoordinators) {
  DemoUnderTest demo(1h);
  // Healthy first, with every group seen and described.
  auto page = metrics_until(
      demo.port(),
      [](const std::string& p) {
        return sum(p, "kafka_brokers") == 3 && sum(p, "kafka_consumergroup_members").value_or(0) >= 4 &&
               sum(p, "kafka_controller_kafkacontroller_activecontrollercount", {"broker=\"1\""}) == 1 &&
               sum(p, "lagwatch_topic_checklist_violation").has_value();
      },
      60s);
  ASSERT_EQ(sum(page, "kafka_brokers"), 3) << page.substr(0, 2000);
  EXPECT_EQ(sum(page, "lagwatch_cluster_under_replicated_partitions"), 0);
  EXPECT_EQ(sum(page, "lagwatch_cluster_offline_partitions"), 0);
  // The production checklist needs DescribeConfigs, which the front answers.
  EXPECT_EQ(
      sum(page, "lagwatch_topic_checklist_violation", {"topic=\"clickstream\"", "rule=\"replication_factor_below_3\""}),
      1);
  EXPECT_EQ(sum(page, "lagwatch_topic_checklist_violation", {"topic=\"payments\"", "rule=\"min_insync_not_below_rf\""}),
            1);
  EXPECT_EQ(sum(page, "lagwatch_topic_checklist_violation", {"topic=\"orders\""}), 0);
  // Log directories, from what the fronts saw produced.
  EXPECT_EQ(sum(page, "lagwatch_kafka_api_unsupported", {"api=\"DescribeLogDirs\""}).value_or(0), 0);
  EXPECT_TRUE(sum(page, "lagwatch_topic_log_size_bytes", {"topic=\"orders\""}).has_value()) << page.substr(0, 3000);

  // Broker 1 is the controller; take it down so the controller must move too.
  const auto answer = demo.post("/demo/incidents/broker-down/1");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_NE(answer.body.find("broker 1 is down"), std::string::npos) << answer.body;
  for (const auto& [group, coordinator] : demo.cluster.groups().coordinators()) EXPECT_NE(coordinator, 1) << group;

  page = metrics_until(
      demo.port(),
      [](const std::string& p) {
        return sum(p, "kafka_brokers") == 2 && sum(p, "lagwatch_cluster_offline_partitions").value_or(0) >= 1 &&
               sum(p, "lagwatch_cluster_under_replicated_partitions").value_or(0) > 0;
      },
      60s);
  EXPECT_EQ(sum(page, "kafka_brokers"), 2);
  EXPECT_EQ(sum(page, "lagwatch_broker_up", {"broker=\"1\""}), 0);
  EXPECT_EQ(sum(page, "lagwatch_cluster_offline_partitions"), 1);  // clickstream's partition on broker 1
  EXPECT_EQ(sum(page, "lagwatch_topic_partition_offline", {"topic=\"clickstream\""}), 1);
  EXPECT_GT(sum(page, "lagwatch_cluster_under_replicated_partitions").value_or(0), 0);
  EXPECT_EQ(sum(page, "kafka_controller_kafkacontroller_activecontrollercount", {"broker=\"2\""}), 1);
  EXPECT_EQ(sum(page, "kafka_controller_kafkacontroller_activecontrollercount"), 1);

  // The consumers follow the moved leaders and coordinators: billing keeps committing.
  const auto committed = [](const std::string& p) {
    return sum(p, "kafka_consumergroup_current_offset_sum", {"consumergroup=\"billing\""}).value_or(0);
  };
  const double before = committed(page);
  page = metrics_until(
      demo.port(), [&](const std::string& p) { return committed(p) > before + 20; }, 60s);
  EXPECT_GT(committed(page), before + 20);

  ASSERT_EQ(demo.post("/demo/incidents/reset").status, 200);
  page = metrics_until(
      demo.port(),
      [](const std::string& p) {
        return sum(p, "kafka_brokers") == 3 && sum(p, "lagwatch_cluster_offline_partitions") == 0 &&
               sum(p, "lagwatch_cluster_under_replicated_partitions") == 0;
      },
      60s);
  EXPECT_EQ(sum(page, "kafka_brokers"), 3);
  EXPECT_EQ(sum(page, "lagwatch_cluster_offline_partitions"), 0);
  EXPECT_EQ(sum(page, "lagwatch_cluster_under_replicated_partitions"), 0);
  EXPECT_EQ(sum(page, "kafka_controller_kafkacontroller_activecontrollercount", {"broker=\"1\""}), 1);
}

TEST(DemoFront, BrokerSlowShrinksIsrsAndPutsPaymentsUnderMinIsr) {
  DemoUnderTest demo(1h);
  // Healthy, with the topics' min.insync.replicas known (DescribeConfigs, every 10 polls).
  auto page = metrics_until(
      demo.port(),
      [](const std::string& p) {
        return sum(p, "kafka_brokers") == 3 && sum(p, "lagwatch_topic_min_insync_replicas").has_value();
      },
      60s);
  ASSERT_EQ(sum(page, "kafka_brokers"), 3);
  EXPECT_EQ(sum(page, "lagwatch_topic_min_insync_replicas", {"topic=\"payments\""}), 3);
  EXPECT_EQ(sum(page, "kafka_server_replicamanager_underminisrpartitioncount"), 0);
  EXPECT_EQ(sum(page, "lagwatch_cluster_under_replicated_partitions"), 0);
  // Through the command a student types (it talks to the demo's HTTP port).
  const auto cli = testing::run_lagwatch("demo incident broker-slow 3 --web.listen-address=127.0.0.1:" +
                                         std::to_string(demo.port()));
  ASSERT_EQ(cli.exit_code, 0) << cli.output;
  EXPECT_NE(cli.output.find("broker 3 is slow"), std::string::npos) << cli.output;

  page = metrics_until(
      demo.port(),
      [](const std::string& p) {
        return sum(p, "lagwatch_cluster_under_replicated_partitions").value_or(0) > 0 &&
               sum(p, "kafka_server_replicamanager_underminisrpartitioncount").value_or(0) > 0;
      },
      60s);
  EXPECT_GT(sum(page, "lagwatch_cluster_under_replicated_partitions").value_or(0), 0);
  EXPECT_GT(sum(page, "lagwatch_topic_partition_under_min_isr", {"topic=\"payments\""}).value_or(0), 0);
  EXPECT_EQ(sum(page, "lagwatch_topic_partition_under_min_isr", {"topic=\"orders\""}).value_or(0), 0);
  EXPECT_EQ(sum(page, "kafka_brokers"), 3);  // slow, not gone
  EXPECT_EQ(sum(page, "lagwatch_cluster_offline_partitions"), 0);

  const auto reset =
      testing::run_lagwatch("demo incident reset --web.listen-address=127.0.0.1:" + std::to_string(demo.port()));
  ASSERT_EQ(reset.exit_code, 0) << reset.output;
  page = metrics_until(
      demo.port(),
      [](const std::string& p) {
        return sum(p, "lagwatch_cluster_under_replicated_partitions") == 0 &&
               sum(p, "kafka_server_replicamanager_underminisrpartitioncount").value_or(0) == 0;
      },
      60s);
  EXPECT_EQ(sum(page, "lagwatch_cluster_under_replicated_partitions"), 0);
  EXPECT_EQ(sum(page, "kafka_server_replicamanager_underminisrpartitioncount").value_or(0), 0);
}

double lag_of(const std::string& page, const std::string& group) {
  return sum(page, "kafka_consumergroup_lag_sum", {"consumergroup=\"" + group + "\""}).value_or(-1);
}

std::optional<double> members_of(const std::string& page, const std::string& group) {
  return sum(page, "kafka_consumergroup_members", {"consumergroup=\"" + group + "\""});
}

// Waits until every partition of `group` has `status` in Burrow's API.
std::string statuses_until(uint16_t port, const std::string& group, const std::string& status, size_t partitions,
                           std::chrono::seconds limit) {
  std::string want;
  for (size_t i = 0; i < partitions; ++i) want += status + " ";
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    seen = partition_statuses(port, group);
    if (seen == want) break;
    std::this_thread::sleep_for(1s);
  }
  return seen;
}

TEST(DemoFront, ScalingALaggingGroupFixesItAndStalledOrStoppedGroupsShowAsSuch) {
  DemoUnderTest demo(1h);
  auto page = metrics_until(
      demo.port(), [](const std::string& p) { return members_of(p, "analytics") == 1 && lag_of(p, "analytics") > 100; },
      90s);
  ASSERT_EQ(members_of(page, "analytics"), 1);
  const double behind = lag_of(page, "analytics");
  ASSERT_GT(behind, 100);  // 10 records/s read of 20 produced

  // Module 10: simulate high lag and fix it. Three consumers read 30 records/s of 20.
  auto r = demo.post("/demo/incidents/consumer-scale/analytics/3");
  ASSERT_EQ(r.status, 200) << r.body;
  page = metrics_until(
      demo.port(), [&](const std::string& p) { return members_of(p, "analytics") == 3 && lag_of(p, "analytics") < 50; },
      90s);
  EXPECT_EQ(members_of(page, "analytics"), 3);
  EXPECT_LT(lag_of(page, "analytics"), 50) << "was " << behind;
  EXPECT_EQ(demo.post("/demo/incidents/consumer-scale/analytics/7").status, 400);  // orders has 6 partitions

  // billing stalls: still a member, its partitions STALL.
  ASSERT_EQ(demo.post("/demo/incidents/consumer-stall/billing").status, 200);
  EXPECT_EQ(statuses_until(demo.port(), "billing", "STALL", 6, 60s), "STALL STALL STALL STALL STALL STALL ");
  EXPECT_EQ(members_of(testing::http_get(demo.port(), "/metrics").body, "billing"), 1);

  // ... then stops: no member left.
  ASSERT_EQ(demo.post("/demo/incidents/consumer-stop/billing").status, 200);
  page = metrics_until(
      demo.port(), [](const std::string& p) { return members_of(p, "billing") == 0; }, 60s);
  EXPECT_EQ(members_of(page, "billing"), 0);

  // reset: each group back to its own behaviour (billing keeps up, analytics alone again).
  ASSERT_EQ(demo.post("/demo/incidents/reset").status, 200);
  page = metrics_until(
      demo.port(),
      [](const std::string& p) { return members_of(p, "billing") == 1 && members_of(p, "analytics") == 1; }, 60s);
  EXPECT_EQ(members_of(page, "billing"), 1);
  EXPECT_EQ(members_of(page, "analytics"), 1);
  EXPECT_EQ(statuses_until(demo.port(), "billing", "OK", 6, 60s), "OK OK OK OK OK OK ");
}

TEST(DemoFront, RewindBurstAndRetentionRiskMoveWhatTheyShould) {
  DemoUnderTest demo(1h);
  const auto end_offsets = [](const std::string& p, const std::string& topic) {
    return sum(p, "kafka_topic_partition_current_offset", {"topic=\"" + topic + "\""}).value_or(0);
  };
  auto page = metrics_until(
      demo.port(),
      [](const std::string& p) {
        return members_of(p, "billing") == 1 &&
               sum(p, "lagwatch_topic_retention_seconds", {"topic=\"orders\""}).has_value() &&
               sum(p, "kafka_consumergroup_current_offset_sum", {"consumergroup=\"billing\""}).value_or(0) > 400;
      },
      90s);
  ASSERT_EQ(members_of(page, "billing"), 1);
  EXPECT_EQ(sum(page, "lagwatch_topic_retention_seconds", {"topic=\"orders\""}), 604800);  // the broker's 7 days

  // rewind: billing goes 200 back on each partition, so its committed offsets fall: REWIND.
  ASSERT_EQ(demo.post("/demo/incidents/rewind/billing").status, 200);
  EXPECT_EQ(statuses_until(demo.port(), "billing", "REWIND", 6, 60s), "REWIND REWIND REWIND REWIND REWIND REWIND ");

  // burst: 3000 more records on payments at once.
  const double before = end_offsets(page, "payments");
  ASSERT_EQ(demo.post("/demo/incidents/burst/payments").status, 200);
  page = metrics_until(
      demo.port(), [&](const std::string& p) { return end_offsets(p, "payments") >= before + 3000; }, 60s);
  EXPECT_GE(end_offsets(page, "payments"), before + 3000);
  EXPECT_EQ(demo.post("/demo/incidents/burst/nowhere").status, 400);

  // retention-risk: orders keeps 10 minutes, which lagwatch reads back through DescribeConfigs.
  ASSERT_EQ(demo.post("/demo/incidents/retention-risk/analytics").status, 200);
  page = metrics_until(
      demo.port(),
      [](const std::string& p) { return sum(p, "lagwatch_topic_retention_seconds", {"topic=\"orders\""}) == 600; },
      60s);
  EXPECT_EQ(sum(page, "lagwatch_topic_retention_seconds", {"topic=\"orders\""}), 600);

  ASSERT_EQ(demo.post("/demo/incidents/reset").status, 200);
  page = metrics_until(
      demo.port(),
      [](const std::string& p) { return sum(p, "lagwatch_topic_retention_seconds", {"topic=\"orders\""}) == 604800; },
      60s);
  EXPECT_EQ(sum(page, "lagwatch_topic_retention_seconds", {"topic=\"orders\""}), 604800);
}

TEST(DemoFront, IncidentRequestsThatCannotApplyAreRefusedWithTheReason) {
  DemoUnderTest demo(1h);
  const auto listed = testing::http_get(demo.port(), "/demo/incidents");
  EXPECT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find("broker-down N"), std::string::npos) << listed.body;
  EXPECT_NE(listed.body.find("in effect: none"), std::string::npos) << listed.body;

  auto r = demo.post("/demo/incidents/meteor-strike");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("unknown incident \"meteor-strike\""), std::string::npos) << r.body;
  r = demo.post("/demo/incidents/broker-down/7");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("\"7\" is not a broker of the demo cluster (1 to 3)"), std::string::npos) << r.body;
  r = demo.post("/demo/incidents/broker-down");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("takes one argument"), std::string::npos) << r.body;
  r = demo.post("/demo/incidents/broker-up/2");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("broker 2 is not down"), std::string::npos) << r.body;
  r = demo.post("/demo/incidents/reset/now");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(testing::http_get(demo.port(), "/demo/incidents/reset").status, 405);
  EXPECT_EQ(testing::http_get(demo.port(), "/demo/other").status, 404);
  // Other POSTs still get the exporter's answer.
  EXPECT_EQ(demo.post("/metrics").status, 405);

  const auto cli = testing::run_lagwatch("demo incident broker-down 9 --web.listen-address=127.0.0.1:" +
                                         std::to_string(demo.port()));
  EXPECT_EQ(cli.exit_code, 1) << cli.output;
  EXPECT_NE(cli.output.find("\"9\" is not a broker"), std::string::npos) << cli.output;
}

TEST(DemoFront, PartitionOfflineTakesTheLeaderAwayWithItsBrokersUp) {
  DemoUnderTest demo(1h);
  const auto leader = [](const std::string& p) {
    return sum(p, "kafka_topic_partition_leader", {"topic=\"inventory\"", "partition=\"2\""});
  };
  auto page = metrics_until(
      demo.port(), [&](const std::string& p) { return leader(p).value_or(-1) >= 0 && sum(p, "kafka_brokers") == 3; },
      60s);
  ASSERT_GE(leader(page).value_or(-1), 0) << page.substr(0, 2000);
  EXPECT_EQ(sum(page, "lagwatch_cluster_offline_partitions"), 0);

  auto r = demo.post("/demo/incidents/partition-offline/inventory/2");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("inventory/2 has no leader"), std::string::npos) << r.body;
  page = metrics_until(
      demo.port(), [](const std::string& p) { return sum(p, "lagwatch_cluster_offline_partitions") == 1; }, 30s);
  EXPECT_EQ(sum(page, "lagwatch_cluster_offline_partitions"), 1);
  EXPECT_EQ(sum(page, "lagwatch_topic_partition_offline", {"topic=\"inventory\""}), 1);
  EXPECT_EQ(leader(page), -1);
  EXPECT_EQ(sum(page, "kafka_brokers"), 3);  // every broker is still up
  EXPECT_EQ(demo.incidents.active(), std::vector<std::string>{"partition inventory/2 offline"});

  // Refusals name the problem and change nothing.
  r = demo.post("/demo/incidents/partition-offline/inventory/2");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("inventory/2 is offline already"), std::string::npos) << r.body;
  r = demo.post("/demo/incidents/partition-online/orders/0");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("orders/0 has a leader"), std::string::npos) << r.body;
  r = demo.post("/demo/incidents/partition-offline/inventory/9");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("no partition inventory/9"), std::string::npos) << r.body;
  r = demo.post("/demo/incidents/partition-offline/inventory");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("takes a topic and a partition"), std::string::npos) << r.body;

  r = demo.post("/demo/incidents/partition-online/inventory/2");
  ASSERT_EQ(r.status, 200) << r.body;
  page = metrics_until(
      demo.port(), [](const std::string& p) { return sum(p, "lagwatch_cluster_offline_partitions") == 0; }, 30s);
  EXPECT_EQ(sum(page, "lagwatch_cluster_offline_partitions"), 0);
  EXPECT_GE(leader(page).value_or(-1), 0);
  EXPECT_TRUE(demo.incidents.active().empty());
}

// Every step of module 10's scenario is an incident the running demo accepts, in order, and
// the scenario leaves the cluster as it found it. Its times are divided by 20 here (the real
// one takes 9 minutes); what each incident shows on /metrics is the other tests' business.
TEST(DemoFront, Module10ScenarioRunsEveryStepOnTheDemo) {
  DemoUnderTest demo(1h);
  const auto page = metrics_until(
      demo.port(),
      [](const std::string& p) {
        return sum(p, "kafka_brokers") == 3 && sum(p, "kafka_topic_partition_leader").has_value();
      },
      60s);
  ASSERT_EQ(sum(page, "kafka_brokers"), 3);
  const demo::Scenario* module10 = demo::find_scenario("module10");
  ASSERT_NE(module10, nullptr);
  demo::Scenario fast = *module10;
  for (auto& step : fast.steps) step.at /= 20;

  std::ostringstream out;
  std::vector<std::vector<std::string>> active_after;  // what was in effect after each step
  {
    demo::ScenarioRunner runner(
        fast,
        [&](const std::string& name, const std::vector<std::string>& args) {
          std::string text = demo.incidents.trigger(name, args);
          active_after.push_back(demo.incidents.active());
          return text;
        },
        out);
    ASSERT_TRUE(runner.wait_finished(std::chrono::milliseconds(fast.steps.back().at) + 60s)) << out.str();
  }
  const std::string text = out.str();
  EXPECT_EQ(text.find("skipped"), std::string::npos) << text;
  ASSERT_EQ(active_after.size(), 5u) << text;
  EXPECT_NE(text.find("step 1 of 5: simulate high lag"), std::string::npos) << text;
  EXPECT_NE(text.find("3000 more records on orders"), std::string::npos) << text;
  EXPECT_EQ(active_after[1], std::vector<std::string>{"group analytics changed"});
  EXPECT_NE(text.find("analytics runs 3 consumers on orders"), std::string::npos) << text;
  EXPECT_EQ(active_after[2], (std::vector<std::string>{"broker-down 2", "group analytics changed"}));
  EXPECT_NE(text.find("broker 2 is down"), std::string::npos) << text;
  EXPECT_EQ(active_after[3], std::vector<std::string>{"group analytics changed"});
  EXPECT_TRUE(active_after[4].empty());
  EXPECT_NE(text.find("scenario module10 is over"), std::string::npos) << text;
  EXPECT_EQ(demo.traffic.behaviour("analytics").consumers, 1);  // reset: back to its baseline
}

TEST(DemoIncidentCommand, SaysSoWhenNoDemoIsRunning) {
  // A port nothing listens on: bind one, note it, close it.
  uint16_t port = 0;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }
  const auto cli = testing::run_lagwatch("demo incident reset --web.listen-address=127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(cli.exit_code, 2) << cli.output;
  EXPECT_NE(cli.output.find("no demo answered"), std::string::npos) << cli.output;
  const auto stray = testing::run_lagwatch("demo nonsense");
  EXPECT_EQ(stray.exit_code, 2) << stray.output;
  EXPECT_NE(stray.output.find("unexpected argument \"nonsense\""), std::string::npos) << stray.output;
  // An unknown scenario is refused before any cluster starts.
  const auto scenario = testing::run_lagwatch("demo --scenario module99");
  EXPECT_EQ(scenario.exit_code, 2) << scenario.output;
  EXPECT_NE(scenario.output.find("unknown scenario \"module99\" for --scenario (LAGWATCH_DEMO_SCENARIO); expected "
                                 "default, module7, module10 or none"),
            std::string::npos)
      << scenario.output;
}

}  // namespace
}  // namespace lagwatch
