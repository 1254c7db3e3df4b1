// Lag in seconds against records whose production times are known: interpolated from the
// end-offset history within its documented accuracy (one poll interval), and anchored on the
// record's own timestamp when the consumer is behind further than the history reaches.
#include <gtest/gtest.h>

#include <thread>

#include "app/exporter.hpp"
#include "demo/mock_cluster.hpp"
#include "http_get.hpp"
#include "kafka_fixture.hpp"
#include "metrics_text.hpp"
#include "test_config.hpp"

namespace lagwatch {
namespace {

double unix_now() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

class LagSecondsOnMock : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_.create_topic("events", 1);
    exporter_ = std::make_unique<app::Exporter>(
        testing::test_config("local", cluster_.bootstrap_servers(), {"old", "older", "recent"}));
    exporter_->start(false);
  }

  std::optional<double> metric(const std::string& name, const std::string& group) {
    testing::MetricsText m(testing::http_get(exporter_->port(), "/metrics").body);
    return m.get(name, {{"cluster", "local"}, {"consumergroup", group}, {"topic", "events"}, {"partition", "0"}});
  }

  demo::MockCluster cluster_{3};
  std::unique_ptr<app::Exporter> exporter_;
};

TEST_F(LagSecondsOnMock, OffsetsOlderThanTheHistoryAreAnchoredOnTheRecordTimestamp) {
  const auto now_ms = static_cast<int64_t>(unix_now() * 1000);
  testing::produce(cluster_.bootstrap_servers(), "events", 0, 10, now_ms - 3'600'000);  // offsets 0-9: 1 h ago
  testing::produce(cluster_.bootstrap_servers(), "events", 0, 10, now_ms - 1'800'000);  // 10-19: 30 min ago
  testing::commit(cluster_.bootstrap_servers(), "older", {{"events", 0, 0}});
  testing::commit(cluster_.bootstrap_servers(), "old", {{"events", 0, 10}});
  // First poll: the history is one point old, so without the records' timestamps both groups
  // would read as ~0 s behind.
  exporter_->poll_all();
  auto older = metric("lagwatch_consumergroup_lag_seconds", "older");
  auto old = metric("lagwatch_consumergroup_lag_seconds", "old");
  ASSERT_TRUE(older && old);
  EXPECT_NEAR(*older, 3600.0, 10.0);
  EXPECT_NEAR(*old, 1800.0, 10.0);
  EXPECT_FALSE(metric("lagwatch_consumergroup_lag_seconds_is_lower_bound", "old").has_value());  // anchored: exact
  EXPECT_NEAR(*testing::MetricsText(testing::http_get(exporter_->port(), "/metrics").body)
                   .get("lagwatch_consumergroup_max_lag_seconds", {{"cluster", "local"}, {"consumergroup", "older"}}),
              3600.0, 10.0);
}

TEST_F(LagSecondsOnMock, InterpolationIsWithinOnePollInterval) {
  testing::commit(cluster_.bootstrap_servers(), "recent", {{"events", 0, 0}});
  exporter_->poll_all();  // t0: end offset 0
  const double t0 = unix_now();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  const double produced = unix_now();  // records 0-9, in a burst just before t1
  testing::produce(cluster_.bootstrap_servers(), "events", 0, 10);
  exporter_->poll_all();  // t1: end offset 10
  const double t1 = unix_now();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  testing::produce(cluster_.bootstrap_servers(), "events", 0, 10);
  testing::commit(cluster_.bootstrap_servers(), "recent", {{"events", 0, 5}});
  const double before = unix_now();
  exporter_->poll_all();  // t2: end offset 20, consumer at 5
  const double after = unix_now();

  auto lag = metric("lagwatch_consumergroup_lag_seconds", "recent");
  ASSERT_TRUE(lag);
  const double truth_low = before - produced - 0.5, truth_high = after - produced + 0.5;
  const double interval = t1 - t0;
  // The history only knows record 5 arrived between t0 and t1, and assumes an even pace:
  // the estimate may be off by up to that interval, never more.
  EXPECT_GE(*lag, truth_low - interval);
  EXPECT_LE(*lag, truth_high + interval);
  EXPECT_GT(*lag, 0.5);
  EXPECT_FALSE(metric("lagwatch_consumergroup_lag_seconds_is_lower_bound", "recent").has_value());
  EXPECT_EQ(metric("kafka_consumergroup_lag", "recent"), 15);
}

}  // namespace
}  // namespace lagwatch
