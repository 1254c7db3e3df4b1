// Notifiers delivering to a real HTTP receiver started by the test: exactly one notification
// per transition with the right body, retries with backoff and their counters, a dead or
// hanging receiver that never delays observe(), a full queue, and the whole path from a
// mock Kafka cluster through the Exporter.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/exporter.hpp"
#include "demo/mock_cluster.hpp"
#include "http_get.hpp"
#include "kafka_fixture.hpp"
#include "metrics_text.hpp"
#include "notification/body_template.hpp"
#include "notify/notifier.hpp"
#include "notify_steps.hpp"
#include "synthetic_view.hpp"
#include "test_config.hpp"
#include "webhook_receiver.hpp"

namespace lagwatch::notify {
namespace {

using evaluate::Status;
using json = nlohmann::json;
using std::chrono::milliseconds;
using testing::one_partition;
using testing::synthetic_view;
using Clock = std::chrono::steady_clock;

constexpr int64_t kT0 = 1'800'000'000'000;

config::NotifierConfig notifier_config(const std::string& url) {
  config::NotifierConfig c;
  c.name = "test-hook";
  c.url = url;
  c.timeout = milliseconds(2'000);
  c.backoff_initial = milliseconds(20);
  c.backoff_max = milliseconds(100);
  return c;
}

// Polls `done` until it holds or `timeout` passes; returns whether it held.
using testing::eventually;

// Feeds views with increasing poll times, as a poller would.
struct Polls {
  Notifier& notifier;
  int64_t now = kT0;
  void operator()(const testing::SyntheticGroups& groups) {
    now += 5'000;
    notifier.observe(*synthetic_view("prod", now, groups));
  }
};

uint16_t closed_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();  // closed when `a` goes
}

TEST(NotifyWebhook, TransitionSendsExactlyOneNotificationWithTheRightBody) {
  testing::WebhookReceiver receiver;
  auto cfg = notifier_config(receiver.url("/hook?source=lagwatch"));
  cfg.headers = {{"Authorization", "Bearer t0ken"}, {"X-Team", "payments"}};
  Notifier notifier(cfg);
  Polls poll{notifier};

  using P = testing::SyntheticPartition;
  poll({{"billing", {P{"orders", 0, Status::OK, 3, 0.5}, P{"orders", 1, Status::OK, 2, 0.25}}}});
  poll({{"billing", {P{"orders", 0, Status::WARN, 400, 42.5}, P{"orders", 1, Status::OK, 2, 0.25}}}});
  poll({{"billing", {P{"orders", 0, Status::WARN, 450, 47.5}, P{"orders", 1, Status::OK, 2, 0.25}}}});  // same status
  poll({{"billing", {P{"orders", 0, Status::WARN, 500, 52.5}, P{"orders", 1, Status::OK, 2, 0.25}}}});
  // A later, different event: delivery is in order, so any duplicate of the WARN firing
  // would arrive before it.
  poll({{"billing", {P{"orders", 0, Status::STALL, 550, 57.5}, P{"orders", 1, Status::OK, 2, 0.25}}}});

  const auto got = receiver.wait_for(2);
  ASSERT_EQ(got.size(), 2u);
  const auto& r = got[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hook?source=lagwatch");
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  EXPECT_EQ(r.headers.at("authorization"), "Bearer t0ken");
  EXPECT_EQ(r.headers.at("x-team"), "payments");
  EXPECT_EQ(r.headers.at("host"), "127.0.0.1:" + std::to_string(receiver.port()));
  EXPECT_EQ(r.headers.at("user-agent").rfind("lagwatch/", 0), 0u);
  const json body = json::parse(r.body);
  EXPECT_EQ(body["notifier"], "test-hook");
  EXPECT_EQ(body["event"], "firing");
  EXPECT_EQ(body["repeat"], false);
  EXPECT_EQ(body["cluster"], "prod");
  EXPECT_EQ(body["group"], "billing");
  EXPECT_EQ(body["status"], "WARN");
  EXPECT_EQ(body["previous_status"], "OK");
  EXPECT_EQ(body["total_lag"], 402);
  EXPECT_EQ(body["max_lag_seconds"], 42.5);
  EXPECT_EQ(body["partition_count"], 2);
  EXPECT_EQ(body["worst_partition"],
            json::parse(R"({"topic":"orders","partition":0,"status":"WARN","lag":400,"lag_seconds":42.5})"));
  EXPECT_EQ(body["partitions_not_ok"],
            json::parse(R"([{"topic":"orders","partition":0,"status":"WARN","lag":400,"lag_seconds":42.5}])"));
  EXPECT_EQ(body["timestamp"], format_timestamp(kT0 + 10'000));

  const json second = json::parse(got[1].body);
  EXPECT_EQ(second["status"], "ERR");
  EXPECT_EQ(second["previous_status"], "WARN");
  EXPECT_EQ(second["worst_partition"]["status"], "STALL");

  ASSERT_TRUE(eventually([&] { return notifier.counters().sent == 2; }));
  const auto c = notifier.counters();
  EXPECT_EQ(c.notifier, "test-hook");
  EXPECT_EQ(c.failed, 0u);
  EXPECT_EQ(c.retries, 0u);
  EXPECT_EQ(c.dropped, 0u);
}

TEST(NotifyWebhook, ResolutionSendsExactlyOne) {
  testing::WebhookReceiver receiver;
  Notifier notifier(notifier_config(receiver.url()));
  Polls poll{notifier};
  poll({{"audit", one_partition(Status::OK)}});
  poll({{"audit", one_partition(Status::ERR, 250, 80)}});
  poll({{"audit", one_partition(Status::OK, 0, 0)}});
  poll({{"audit", one_partition(Status::OK, 0, 0)}});
  poll({{"audit", one_partition(Status::OK, 0, 0)}, {"sentinel", one_partition(Status::WARN)}});

  const auto got = receiver.wait_for(3);
  ASSERT_EQ(got.size(), 3u);
  const json firing = json::parse(got[0].body);
  const json resolved = json::parse(got[1].body);
  const json sentinel = json::parse(got[2].body);
  EXPECT_EQ(firing["event"], "firing");
  EXPECT_EQ(firing["status"], "ERR");
  EXPECT_EQ(firing["worst_partition"]["status"], "STOP");
  EXPECT_EQ(resolved["event"], "resolved");
  EXPECT_EQ(resolved["group"], "audit");
  EXPECT_EQ(resolved["status"], "OK");
  EXPECT_EQ(resolved["previous_status"], "ERR");
  EXPECT_EQ(resolved["total_lag"], 0);
  EXPECT_EQ(resolved["partitions_not_ok"], json::array());
  EXPECT_EQ(sentinel["group"], "sentinel");
  EXPECT_TRUE(eventually([&] { return notifier.counters().sent == 3; }));
}

TEST(NotifyWebhook, ServerErrorsAreRetriedWithBackoffAndCounted) {
  testing::WebhookReceiver receiver({500, 503});
  Notifier notifier(notifier_config(receiver.url()));
  Polls poll{notifier};
  const auto start = Clock::now();
  poll({{"billing", one_partition(Status::ERR)}});
  ASSERT_TRUE(eventually([&] { return notifier.counters().sent == 1; }));
  const auto elapsed = Clock::now() - start;
  const auto c = notifier.counters();
  EXPECT_EQ(c.sent, 1u);
  EXPECT_EQ(c.retries, 2u);
  EXPECT_EQ(c.failed, 0u);
  const auto got = receiver.requests();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].body, got[1].body);  // the same notification each time
  EXPECT_EQ(got[1].body, got[2].body);
  EXPECT_GE(elapsed, milliseconds(20 + 40));  // waited backoff 20ms, then 40ms
}

TEST(NotifyWebhook, ClientErrorsAreNotRetried) {
  testing::WebhookReceiver receiver({400});
  Notifier notifier(notifier_config(receiver.url()));
  Polls poll{notifier};
  poll({{"billing", one_partition(Status::ERR)}});
  ASSERT_TRUE(eventually([&] { return notifier.counters().failed == 1; }));
  // The next notification goes through: the failed one did not block the queue.
  poll({{"billing", one_partition(Status::OK)}});
  ASSERT_TRUE(eventually([&] { return notifier.counters().sent == 1; }));
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(notifier.counters().retries, 0u);
}

TEST(NotifyWebhook, ClosedPortEndsCountedAsFailedAfterMaxAttempts) {
  auto cfg = notifier_config("http://127.0.0.1:" + std::to_string(closed_port()) + "/hook");
  cfg.max_attempts = 3;
  Notifier notifier(cfg);
  Polls poll{notifier};
  poll({{"billing", one_partition(Status::ERR)}});
  ASSERT_TRUE(eventually([&] { return notifier.counters().failed == 1; }));
  const auto c = notifier.counters();
  EXPECT_EQ(c.retries, 2u);
  EXPECT_EQ(c.sent, 0u);
}

TEST(NotifyWebhook, HangingReceiverNeverDelaysObserveAndEndsFailed) {
  testing::WebhookReceiver receiver({}, /*never_answer=*/true);
  auto cfg = notifier_config(receiver.url());
  cfg.timeout = milliseconds(300);
  cfg.max_attempts = 2;
  Notifier notifier(cfg);
  Polls poll{notifier};
  poll({{"billing", one_partition(Status::OK)}});
  // Each observe() only compares and queues, while the delivery thread waits on the receiver.
  auto slowest = Clock::duration::zero();
  for (int i = 0; i < 20; ++i) {
    const auto t = Clock::now();
    poll({{"billing", one_partition(i % 2 == 0 ? Status::ERR : Status::WARN)}});
    slowest = std::max(slowest, Clock::now() - t);
  }
  EXPECT_LT(slowest, milliseconds(100));
  ASSERT_TRUE(receiver.wait_for(1).size() >= 1);
  // Two attempts of 300 ms each for the first notification, then the next ones.
  ASSERT_TRUE(eventually([&] { return notifier.counters().failed >= 1; }));
  const auto c = notifier.counters();
  EXPECT_EQ(c.sent, 0u);
  EXPECT_GE(c.retries, 1u);
  // And stopping does not wait for the remaining queued notifications' timeouts.
  const auto t = Clock::now();
  notifier.stop();
  EXPECT_LT(Clock::now() - t, milliseconds(250));
}

TEST(NotifyWebhook, FullQueueDropsAndCounts) {
  testing::WebhookReceiver receiver({}, /*never_answer=*/true);
  auto cfg = notifier_config(receiver.url());
  cfg.queue_size = 1;
  cfg.timeout = milliseconds(10'000);
  Notifier notifier(cfg);
  Polls poll{notifier};
  poll({{"a", one_partition(Status::ERR)}});  // taken by the delivery thread, which then hangs
  receiver.wait_for(1);
  // Three more in one poll: one fits in the queue, two are dropped.
  poll({{"b", one_partition(Status::ERR)}, {"c", one_partition(Status::ERR)}, {"d", one_partition(Status::ERR)}});
  EXPECT_EQ(notifier.counters().dropped, 2u);
  // stop() cuts the hanging request short instead of waiting its 10 s timeout.
  const auto t = Clock::now();
  notifier.stop();
  EXPECT_LT(Clock::now() - t, milliseconds(1'000));
  EXPECT_EQ(notifier.counters().sent, 0u);
  EXPECT_EQ(notifier.counters().failed, 0u);  // abandoned at shutdown is not "gave up"
}

TEST(NotifyWebhook, ClusterAndGroupFiltersAndMinSeverity) {
  testing::WebhookReceiver receiver;
  auto cfg = notifier_config(receiver.url());
  cfg.cluster_allow = {"prod"};
  cfg.group_deny = {".*-test"};
  cfg.min_severity = "ERR";
  Notifier notifier(cfg);
  notifier.observe(*synthetic_view("staging", kT0, {{"billing", one_partition(Status::ERR)}}));
  notifier.observe(
      *synthetic_view("prod", kT0, {{"billing", one_partition(Status::WARN)}, {"x-test", one_partition(Status::ERR)}}));
  notifier.observe(*synthetic_view("prod", kT0 + 5'000,
                                   {{"billing", one_partition(Status::ERR)}, {"x-test", one_partition(Status::ERR)}}));
  const auto got = receiver.wait_for(1);
  ASSERT_TRUE(eventually([&] { return notifier.counters().sent == 1; }));
  ASSERT_EQ(receiver.requests().size(), 1u);
  const json body = json::parse(got[0].body);
  EXPECT_EQ(body["cluster"], "prod");
  EXPECT_EQ(body["group"], "billing");
  EXPECT_EQ(body["status"], "ERR");
  EXPECT_EQ(body["previous_status"], "WARN");
}

// The whole path: a group on a mock Kafka cluster stops committing, the Exporter's poll turns
// it ERR and the notifier posts it; then the group catches up and the notifier resolves it.
TEST(NotifyWebhook, ThroughTheExporterOnAMockCluster) {
  demo::MockCluster cluster(1);
  cluster.create_topic("orders", 1);
  const std::string bootstrap = cluster.bootstrap_servers();
  lagwatch::testing::produce(bootstrap, "orders", 0, 10);
  lagwatch::testing::commit(bootstrap, "billing", {{"orders", 0, 5}});

  testing::WebhookReceiver receiver;
  auto cfg = testing::test_config("mock", bootstrap, {"billing"});
  cfg.evaluation.window = 2;
  cfg.notifiers.push_back(notifier_config(receiver.url()));
  app::Exporter exporter(cfg);
  exporter.start(/*background=*/false);

  const auto first = Clock::now();
  exporter.poll_all();  // offset 5, lag 5
  lagwatch::testing::commit(bootstrap, "billing", {{"orders", 0, 6}});
  exporter.poll_all();  // offset 6, lag 4: OK
  // Silent for longer than the window spans (at most the time the two polls took): STOP, so
  // the group is ERR.
  std::this_thread::sleep_for(Clock::now() - first + milliseconds(50));
  exporter.poll_all();
  const auto fired = receiver.wait_for(1);
  ASSERT_EQ(fired.size(), 1u);
  const json firing = json::parse(fired[0].body);
  EXPECT_EQ(firing["cluster"], "mock");
  EXPECT_EQ(firing["group"], "billing");
  EXPECT_EQ(firing["event"], "firing");
  EXPECT_EQ(firing["status"], "ERR");
  EXPECT_EQ(firing["previous_status"], "OK");
  EXPECT_EQ(firing["total_lag"], 4);
  EXPECT_EQ(firing["worst_partition"]["status"], "STOP");

  lagwatch::testing::commit(bootstrap, "billing", {{"orders", 0, 10}});
  exporter.poll_all();  // lag 0: OK
  const auto all = receiver.wait_for(2);
  ASSERT_EQ(all.size(), 2u);
  const json resolved = json::parse(all[1].body);
  EXPECT_EQ(resolved["event"], "resolved");
  EXPECT_EQ(resolved["status"], "OK");
  EXPECT_EQ(resolved["previous_status"], "ERR");

  ASSERT_TRUE(eventually([&] { return exporter.notifier_counters().at(0).sent == 2; }));
  ASSERT_EQ(exporter.notifier_counters().size(), 1u);
  EXPECT_EQ(exporter.notifier_counters()[0].notifier, "test-hook");
  // The counters on /metrics, current at every scrape (not only after a poll).
  const lagwatch::testing::MetricsText m(lagwatch::testing::http_get(exporter.port(), "/metrics").body);
  EXPECT_EQ(m.get("lagwatch_notifications_sent_total", {{"notifier", "test-hook"}}), 2);
  EXPECT_EQ(m.get("lagwatch_notifications_failed_total", {{"notifier", "test-hook"}}), 0);
  EXPECT_EQ(m.get("lagwatch_notification_retries_total", {{"notifier", "test-hook"}}), 0);
  EXPECT_EQ(m.get("lagwatch_notifications_dropped_total", {{"notifier", "test-hook"}}), 0);
  exporter.stop();
}

}  // namespace
}  // namespace lagwatch::notify
