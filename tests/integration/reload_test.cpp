// Exporter::apply, the heart of SIGHUP and POST /-/reload, against mock clusters: what a
// reload keeps, replaces and drops, and that a refused one changes nothing.
#include <gtest/gtest.h>

#include "app/exporter.hpp"
#include "demo/mock_cluster.hpp"
#include "http_get.hpp"
#include "kafka_fixture.hpp"
#include "metrics_text.hpp"
#include "test_config.hpp"

namespace lagwatch {
namespace {

using testing::MetricsText;

config::ClusterConfig cluster(const std::string& name, const std::string& bootstrap) {
  return testing::test_config(name, bootstrap, {}).clusters[0];
}

MetricsText scrape(app::Exporter& e) { return MetricsText(testing::http_get(e.port(), "/metrics").body); }

class ReloadOnMock : public ::testing::Test {
 protected:
  void SetUp() override {
    a_.create_topic("alpha", 2, 1);
    b_.create_topic("beta", 3, 1);
    testing::produce(a_.bootstrap_servers(), "alpha", 0, 5);
  }
  config::Config only_a() const { return testing::test_config("a", a_.bootstrap_servers(), {}); }

  demo::MockCluster a_{1};
  demo::MockCluster b_{1};
};

TEST_F(ReloadOnMock, AddsChangesAndRemovesClustersAndKeepsTheUnchangedOne) {
  app::Exporter exporter(only_a());
  exporter.start(/*background=*/false);
  exporter.poll_all();
  exporter.poll_all();
  EXPECT_EQ(scrape(exporter).get("kafka_topic_partitions", {{"cluster", "a"}, {"topic", "alpha"}}), 2);
  const double polls_before = scrape(exporter).get("lagwatch_polls_total", {{"cluster", "a"}}).value_or(-1);
  ASSERT_EQ(polls_before, 2);

  auto with_b = only_a();
  with_b.clusters.push_back(cluster("b", b_.bootstrap_servers()));
  auto r = exporter.apply(with_b);
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.message,
            "configuration reloaded: clusters added [b], changed [], removed [], unchanged 1; notifiers unchanged");
  exporter.poll_all();
  auto m = scrape(exporter);
  EXPECT_EQ(m.get("kafka_topic_partitions", {{"cluster", "b"}, {"topic", "beta"}}), 3);
  // The unchanged cluster kept its poller: its poll count goes on from where it was.
  EXPECT_EQ(m.get("lagwatch_polls_total", {{"cluster", "a"}}), 3);

  // A changed topic filter on "a" gives it a fresh poller (count restarts) that applies it.
  auto filtered = with_b;
  filtered.clusters[0].topics.deny = {"alpha"};
  r = exporter.apply(filtered);
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_NE(r.message.find("changed [a]"), std::string::npos) << r.message;
  exporter.poll_all();
  m = scrape(exporter);
  EXPECT_FALSE(m.get("kafka_topic_partitions", {{"cluster", "a"}, {"topic", "alpha"}}).has_value());
  EXPECT_EQ(m.get("lagwatch_polls_total", {{"cluster", "a"}}), 1);

  // Removing "b" takes its series off at once, before any poll.
  auto without_b = filtered;
  without_b.clusters.pop_back();
  r = exporter.apply(without_b);
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_NE(r.message.find("removed [b]"), std::string::npos) << r.message;
  EXPECT_FALSE(scrape(exporter).get("kafka_topic_partitions", {{"cluster", "b"}, {"topic", "beta"}}).has_value());
  EXPECT_EQ(scrape(exporter).get("lagwatch_config_reloads_total", {{"result", "success"}}), 3);
}

TEST_F(ReloadOnMock, ARefusedConfigurationChangesNothing) {
  int calls = 0;
  app::Exporter exporter(only_a(), [&]() -> config::Config {
    ++calls;
    throw config::ConfigError("lagwatch.yml:3:5: clusters[0].name: required");
  });
  exporter.start(false);
  exporter.poll_all();
  auto r = exporter.reload();
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("the running one is kept: lagwatch.yml:3:5: clusters[0].name: required"), std::string::npos)
      << r.message;
  auto m = scrape(exporter);
  EXPECT_EQ(m.get("lagwatch_config_last_reload_successful", {}), 0);
  EXPECT_EQ(m.get("lagwatch_config_reloads_total", {{"result", "failure"}}), 1);
  EXPECT_EQ(m.get("kafka_topic_partitions", {{"cluster", "a"}, {"topic", "alpha"}}), 2);
  EXPECT_EQ(exporter.config()->clusters.size(), 1u);
}

TEST_F(ReloadOnMock, WebSettingsNeedARestartAndAreKept) {
  app::Exporter exporter(only_a());
  exporter.start(false);
  auto next = only_a();
  next.web.telemetry_path = "/other";
  auto r = exporter.apply(next);
  ASSERT_TRUE(r.ok);
  EXPECT_NE(r.message.find("web.* settings need a restart"), std::string::npos) << r.message;
  EXPECT_EQ(exporter.config()->web.telemetry_path, "/metrics");
}

TEST_F(ReloadOnMock, StopWithinReturnsAtOnceWhenNothingPolls) {
  app::Exporter exporter(only_a());
  exporter.start(false);
  EXPECT_TRUE(exporter.stop_within(std::chrono::milliseconds(100)));
  // After a stop, a reload is refused rather than starting pollers again.
  EXPECT_FALSE(exporter.apply(only_a()).ok);
}

}  // namespace
}  // namespace lagwatch
