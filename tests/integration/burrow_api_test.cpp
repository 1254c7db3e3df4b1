// Burrow-style evaluation end to end on the mock cluster: groups that keep up, fall behind and
// stop, judged over their windows and served through Burrow's API and /metrics.
//
// The mock has no DescribeGroups, so lagwatch cannot know whether a group has live members:
// an unchanged offset adds no observation and a stuck-but-alive consumer shows as STOP, like
// a stopped one. STALL needs membership; it is covered by the rule and window unit tests.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "app/exporter.hpp"
#include "demo/mock_cluster.hpp"
#include "http_get.hpp"
#include "kafka_fixture.hpp"
#include "metrics_text.hpp"
#include "test_config.hpp"

namespace lagwatch {
namespace {

using json = nlohmann::json;

class BurrowOnMock : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_.create_topic("orders", 1);
    auto cfg = testing::test_config("local", cluster_.bootstrap_servers(), {"keeps-up", "falls-behind", "stopped"});
    cfg.evaluation.window = 4;
    cfg.evaluation.min_completeness = 0.5;
    exporter_ = std::make_unique<app::Exporter>(cfg);
    exporter_->start(false);
  }

  json get(const std::string& path, int expected_status = 200) {
    auto r = testing::http_get(exporter_->port(), path);
    EXPECT_EQ(r.status, expected_status) << path << ": " << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/json") << path;
    return json::parse(r.body);
  }

  // Each round: 10 new records; keeps-up commits all of them, falls-behind half, stopped
  // only in the first two rounds. Then one poll.
  void round(int i) {
    testing::produce(cluster_.bootstrap_servers(), "orders", 0, 10);
    const int64_t end = 10 * (i + 1);
    testing::commit(cluster_.bootstrap_servers(), "keeps-up", {{"orders", 0, end}});
    testing::commit(cluster_.bootstrap_servers(), "falls-behind", {{"orders", 0, 5 * (i + 1)}});
    if (i < 2) testing::commit(cluster_.bootstrap_servers(), "stopped", {{"orders", 0, end}});
    exporter_->poll_all();
  }

  demo::MockCluster cluster_{3};
  std::unique_ptr<app::Exporter> exporter_;
};

TEST_F(BurrowOnMock, EachBehaviourGetsItsStatus) {
  for (int i = 0; i < 6; ++i) {
    round(i);
    // Longer pauses once "stopped" has stopped, so its silence outlasts its window's span by
    // a wide margin even when a loaded machine stretches the first rounds.
    std::this_thread::sleep_for(std::chrono::milliseconds(i < 2 ? 150 : 400));
  }
  // "stopped" last moved in round 1: its window spans ~150 ms and has been silent since for
  // four rounds, longer than the span: STOP.
  auto keeps = get("/v3/kafka/local/consumer/keeps-up/status")["status"];
  EXPECT_EQ(keeps["status"], "OK");
  EXPECT_EQ(keeps["partitions"].size(), 0u);  // /status lists only partitions not OK
  EXPECT_EQ(keeps["totallag"], 0);

  auto behind = get("/v3/kafka/local/consumer/falls-behind/lag")["status"];
  EXPECT_EQ(behind["status"], "WARN");
  ASSERT_EQ(behind["partitions"].size(), 1u);
  EXPECT_EQ(behind["partitions"][0]["status"], "WARN");
  EXPECT_EQ(behind["partitions"][0]["current_lag"], 30);
  EXPECT_EQ(behind["partitions"][0]["end"]["offset"], 30);
  EXPECT_EQ(behind["partitions"][0]["complete"], 1.0);
  EXPECT_EQ(behind["totallag"], 30);
  EXPECT_EQ(behind["maxlag"]["partition"], 0);

  auto stopped = get("/v3/kafka/local/consumer/stopped/status")["status"];
  EXPECT_EQ(stopped["status"], "ERR");
  ASSERT_EQ(stopped["partitions"].size(), 1u);
  EXPECT_EQ(stopped["partitions"][0]["status"], "STOP");
  EXPECT_EQ(stopped["partition_count"], 1);

  // The same verdicts on /metrics, lagwatch's and Burrow's families.
  testing::MetricsText m(testing::http_get(exporter_->port(), "/metrics").body);
  EXPECT_EQ(m.get("lagwatch_consumergroup_status",
                  {{"cluster", "local"}, {"consumergroup", "falls-behind"}, {"status", "WARN"}}),
            1);
  EXPECT_EQ(m.get("lagwatch_consumergroup_status",
                  {{"cluster", "local"}, {"consumergroup", "falls-behind"}, {"status", "OK"}}),
            0);
  EXPECT_EQ(m.get("burrow_kafka_consumer_status", {{"cluster", "local"}, {"consumer_group", "stopped"}}), 3);
  EXPECT_EQ(m.get("burrow_kafka_consumer_status", {{"cluster", "local"}, {"consumer_group", "keeps-up"}}), 1);
  EXPECT_EQ(m.get("burrow_kafka_topic_partition_status",
                  {{"cluster", "local"}, {"consumer_group", "stopped"}, {"topic", "orders"}, {"partition", "0"}}),
            4);
  EXPECT_EQ(m.get("lagwatch_consumergroup_partition_status",
                  {{"cluster", "local"}, {"consumergroup", "falls-behind"}, {"topic", "orders"}, {"partition", "0"}}),
            2);
  EXPECT_EQ(m.get("burrow_kafka_consumer_lag_total", {{"cluster", "local"}, {"consumer_group", "falls-behind"}}), 30);
  EXPECT_EQ(m.get("burrow_kafka_consumer_partition_lag",
                  {{"cluster", "local"}, {"consumer_group", "stopped"}, {"topic", "orders"}, {"partition", "0"}}),
            40);
  EXPECT_EQ(
      m.get("burrow_kafka_topic_partition_offset", {{"cluster", "local"}, {"topic", "orders"}, {"partition", "0"}}),
      60);
}

TEST_F(BurrowOnMock, ResponsesHaveBurrowsShapes) {
  round(0);
  round(1);
  auto clusters = get("/v3/kafka");
  EXPECT_EQ(clusters["error"], false);
  EXPECT_EQ(clusters["message"], "cluster list returned");
  EXPECT_EQ(clusters["clusters"], json::array({"local"}));
  EXPECT_EQ(clusters["request"]["url"], "/v3/kafka");
  EXPECT_TRUE(clusters["request"]["host"].is_string());

  auto detail = get("/v3/kafka/local");
  EXPECT_EQ(detail["module"]["class-name"], "kafka");
  EXPECT_EQ(get("/v3/kafka/local/topic")["topics"], json::array({"orders"}));
  EXPECT_EQ(get("/v3/kafka/local/topic/orders")["offsets"], json::array({20}));
  EXPECT_EQ(get("/v3/kafka/local/consumer")["consumers"], json::array({"falls-behind", "keeps-up", "stopped"}));

  auto consumer = get("/v3/kafka/local/consumer/falls-behind");
  EXPECT_EQ(consumer["message"], "consumer detail returned");
  const auto& p0 = consumer["topics"]["orders"][0];
  ASSERT_EQ(p0["offsets"].size(), 4u);  // the window's slots, oldest first, null until filled
  EXPECT_TRUE(p0["offsets"][0].is_null());
  EXPECT_TRUE(p0["offsets"][1].is_null());
  EXPECT_EQ(p0["offsets"][2]["offset"], 5);
  EXPECT_EQ(p0["offsets"][3]["offset"], 10);
  EXPECT_EQ(p0["offsets"][3]["lag"], 10);
  EXPECT_TRUE(p0["offsets"][3]["timestamp"].is_number_integer());
  EXPECT_TRUE(p0["offsets"][3]["observedAt"].is_number_integer());
  EXPECT_EQ(p0["current-lag"], 10);
  EXPECT_TRUE(p0.contains("owner"));
  EXPECT_TRUE(p0.contains("client_id"));

  auto status = get("/v3/kafka/local/consumer/keeps-up/lag")["status"];
  for (const char* key :
       {"cluster", "group", "status", "complete", "partitions", "partition_count", "maxlag", "totallag"}) {
    EXPECT_TRUE(status.contains(key)) << key;
  }
  const auto& part = status["partitions"][0];
  for (const char* key :
       {"topic", "partition", "owner", "client_id", "status", "start", "end", "current_lag", "complete"}) {
    EXPECT_TRUE(part.contains(key)) << key;
  }
  EXPECT_EQ(status["complete"], 0.0);  // 2 of 4 observations: no partition has a full window
}

TEST_F(BurrowOnMock, UnknownNamesAre404WithBurrowsErrorBody) {
  round(0);
  auto nocluster = get("/v3/kafka/nope/consumer", 404);
  EXPECT_EQ(nocluster["error"], true);
  EXPECT_EQ(nocluster["message"], "cluster not found");
  EXPECT_EQ(nocluster["request"]["url"], "/v3/kafka/nope/consumer");
  EXPECT_EQ(get("/v3/kafka/local/consumer/nope/status", 404)["message"], "consumer group not found");
  EXPECT_EQ(get("/v3/kafka/local/topic/nope", 404)["message"], "topic not found");
  EXPECT_EQ(testing::http_get(exporter_->port(), "/burrow/admin").body, "GOOD");
  EXPECT_EQ(testing::http_get(exporter_->port(), "/burrow/admin/ready").body, "READY");
}

}  // namespace
}  // namespace lagwatch
