// The demo's own workload (real producer, real consumer groups on the mock cluster), with
// its timings shortened, watched by lagwatch in the background: each group must end up with
// the status its behaviour deserves, read over HTTP from Burrow's API and /metrics.
#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/exporter.hpp"
#include "demo/mock_cluster.hpp"
#include "demo/traffic.hpp"
#include "http_get.hpp"
#include "metrics_text.hpp"
#include "test_config.hpp"

namespace lagwatch {
namespace {

using json = nlohmann::json;

std::string status_of(uint16_t port, const std::string& group) {
  auto r = testing::http_get(port, "/v3/kafka/demo/consumer/" + group + "/status");
  if (r.status != 200) return "HTTP " + std::to_string(r.status);
  return json::parse(r.body)["status"]["status"];
}

TEST(DemoScenario, EveryDemoGroupGetsTheStatusOfItsBehaviour) {
  demo::MockCluster cluster(3);
  std::vector<std::future<void>> creating;
  for (const auto& t : demo::demo_topics()) {
    creating.push_back(std::async(std::launch::async, [&cluster, t] { cluster.create_topic(t.name, t.partitions); }));
  }
  for (auto& f : creating) f.get();

  demo::Traffic traffic({cluster.bootstrap_servers(), std::chrono::seconds(10), std::chrono::seconds(10)});
  traffic.start();

  auto cfg = testing::test_config("demo", cluster.bootstrap_servers(), demo::demo_groups());
  cfg.poll.interval = std::chrono::seconds(2);
  cfg.poll.request_timeout = std::chrono::seconds(2);
  cfg.evaluation.window = 5;
  cfg.evaluation.allowed_lag = 10;  // as the demo's config: auto-commit every second
  app::Exporter exporter(cfg);
  exporter.start();

  const std::map<std::string, std::string> expected{
      {"billing", "OK"}, {"analytics", "WARN"}, {"audit", "ERR"}, {"shipping", "ERR"}};
  std::map<std::string, std::string> seen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(75);
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& [g, _] : expected) seen[g] = status_of(exporter.port(), g);
    if (seen == expected) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  EXPECT_EQ(seen, expected);

  // audit left the group: its partitions are STOP. shipping is still a member but, without
  // DescribeGroups on the mock, lagwatch cannot know it: STOP too (STALL on a real cluster).
  auto audit = json::parse(testing::http_get(exporter.port(), "/v3/kafka/demo/consumer/audit/status").body);
  for (const auto& p : audit["status"]["partitions"]) EXPECT_EQ(p["status"], "STOP") << p.dump();
  testing::MetricsText m(testing::http_get(exporter.port(), "/metrics").body);
  EXPECT_EQ(m.get("burrow_kafka_consumer_status", {{"cluster", "demo"}, {"consumer_group", "analytics"}}), 2);
  EXPECT_EQ(
      m.get("lagwatch_consumergroup_status", {{"cluster", "demo"}, {"consumergroup", "billing"}, {"status", "OK"}}), 1);
  EXPECT_GT(*m.get("lagwatch_consumergroup_max_lag_seconds", {{"cluster", "demo"}, {"consumergroup", "analytics"}}), 0);

  exporter.stop();
  traffic.stop();
}

}  // namespace
}  // namespace lagwatch
