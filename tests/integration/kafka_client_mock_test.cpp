// lagwatch's own Kafka client against librdkafka's mock cluster: the real protocol on
// loopback. (The mock has no ListGroups, DescribeGroups or DescribeConfigs; those are checked
// against the captures of a real Kafka in tests/kafka_protocol.)
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "collect/cluster_collector.hpp"
#include "demo/mock_cluster.hpp"
#include "kafka/requests/group_offsets.hpp"
#include "kafka/requests/log_offsets.hpp"
#include "kafka/requests/metadata.hpp"
#include "kafka/requests/record_timestamps.hpp"
#include "kafka_fixture.hpp"
#include "test_config.hpp"

namespace lagwatch {
namespace {

kafka::ClientSettings settings_for(const std::string& bootstrap, std::chrono::milliseconds timeout) {
  kafka::ClientSettings s;
  s.cluster = "mock";
  std::stringstream list(bootstrap);
  for (std::string server; std::getline(list, server, ',');) s.bootstrap_servers.push_back(server);
  s.connection.request_timeout = timeout;
  s.connection.reconnect_backoff_max = std::chrono::milliseconds(200);
  return s;
}

const model::CommittedOffset* find_offset(const std::vector<model::CommittedOffset>& offsets, const std::string& topic,
                                          int32_t partition) {
  for (const auto& o : offsets) {
    if (o.topic == topic && o.partition == partition) return &o;
  }
  return nullptr;
}

TEST(KafkaClientOnMock, ReadsMetadataOffsetsCommitsAndRecordTimestamps) {
  demo::MockCluster mock(3);
  mock.create_topic("orders", 3);
  const auto bootstrap = mock.bootstrap_servers();
  testing::produce(bootstrap, "orders", 0, 7, 1796083200000);
  testing::produce(bootstrap, "orders", 2, 3, 1796083300000);
  testing::commit(bootstrap, "billing", {{"orders", 0, 5}, {"orders", 2, 1}});

  kafka::ClusterClient client(settings_for(bootstrap, std::chrono::seconds(5)));
  auto md = kafka::fetch_metadata(client);
  ASSERT_EQ(md.brokers.size(), 3u);
  ASSERT_EQ(md.topics.size(), 1u);
  EXPECT_EQ(md.topics[0].name, "orders");
  ASSERT_EQ(md.topics[0].partitions.size(), 3u);

  auto outcome = kafka::fetch_log_offsets(client, md.topics);
  EXPECT_TRUE(outcome.errors.empty());
  const auto& p = md.topics[0].partitions;
  EXPECT_EQ(p[0].log_end_offset, 7);
  EXPECT_EQ(p[1].log_end_offset, 0);
  EXPECT_EQ(p[2].log_end_offset, 3);
  EXPECT_EQ(p[0].log_start_offset, 0);

  auto names =
      std::make_shared<kafka::PartitionNames>(kafka::PartitionNames{{"orders", 0}, {"orders", 1}, {"orders", 2}});
  auto offsets = kafka::fetch_group_offsets(client, {{"billing", names}, {"nobody", names}});
  ASSERT_EQ(offsets.results.size(), 2u);
  EXPECT_EQ(offsets.results[0].error, "");
  ASSERT_NE(find_offset(offsets.results[0].offsets, "orders", 0), nullptr);
  EXPECT_EQ(find_offset(offsets.results[0].offsets, "orders", 0)->offset, 5);
  EXPECT_EQ(find_offset(offsets.results[0].offsets, "orders", 2)->offset, 1);
  EXPECT_EQ(find_offset(offsets.results[0].offsets, "orders", 1), nullptr);  // no commit there
  EXPECT_TRUE(offsets.results[1].offsets.empty());

  kafka::Leaders leaders;
  for (const auto& part : p) leaders[{"orders", part.id}] = part.leader;
  auto times = kafka::fetch_record_timestamps(client, {{"orders", 0, 5}, {"orders", 2, 1}, {"orders", 0, 0}}, leaders);
  EXPECT_EQ(times[std::make_tuple(std::string("orders"), 0, int64_t{5})], 1796083200000);
  EXPECT_EQ(times[std::make_tuple(std::string("orders"), 2, int64_t{1})], 1796083300000);
  EXPECT_EQ(times.count({"orders", 0, 0}), 1u);

  // Every request went out batched: one Metadata, two ListOffsets per leader, one
  // FindCoordinator per group (the mock is below FindCoordinator v4), one OffsetFetch per group
  // (below v8), Fetch per leader and round, and per connection one ApiVersions, or two where
  // the mock refuses v3 and the client asks again at v0.
  auto counts = client.pool().take_request_counts();
  EXPECT_EQ(counts[static_cast<int16_t>(kafka::wire::ApiKey::metadata)], 1u);
  EXPECT_LE(counts[static_cast<int16_t>(kafka::wire::ApiKey::list_offsets)], 6u);
  EXPECT_EQ(counts[static_cast<int16_t>(kafka::wire::ApiKey::offset_fetch)], 2u);
  EXPECT_LE(counts[static_cast<int16_t>(kafka::wire::ApiKey::api_versions)], 8u);
}

TEST(KafkaClientOnMock, NoBrokerAnsweringIsAClearErrorWithinTheTimeout) {
  kafka::ClusterClient client(settings_for("127.0.0.1:1", std::chrono::milliseconds(500)));
  const auto start = std::chrono::steady_clock::now();
  try {
    kafka::fetch_metadata(client);
    FAIL() << "no error";
  } catch (const kafka::KafkaError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to bootstrap 127.0.0.1:1"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

// The crash: a broker restarting while requests to it are outstanding. Here a mock
// broker goes down and up 100 times while the collector polls; every poll must return, the
// outage must show as errors, and once the broker stays up the lag must be right again.
TEST(KafkaClientOnMock, SurvivesABrokerBouncedAHundredTimesDuringPolls) {
  demo::MockCluster mock(3);
  mock.create_topic("orders", 6);
  const auto bootstrap = mock.bootstrap_servers();
  for (int p = 0; p < 6; ++p) testing::produce(bootstrap, "orders", p, 10);
  std::vector<testing::Commit> commits;
  for (int p = 0; p < 6; ++p) commits.push_back({"orders", p, 4});
  testing::commit(bootstrap, "billing", commits);

  auto cfg = testing::test_config("mock", bootstrap, {"billing"});
  cfg.poll.request_timeout = std::chrono::milliseconds(300);
  collect::ClusterCollector collector(cfg.clusters[0], cfg.poll);

  std::atomic<bool> done{false};
  std::thread bouncer([&] {
    for (int i = 0; i < 100; ++i) {
      mock.set_broker_up(2, false);
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
      mock.set_broker_up(2, true);
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
    }
    done = true;
  });
  int polls = 0, with_errors = 0;
  while (!done) {
    const auto start = std::chrono::steady_clock::now();
    auto snap = collector.poll();
    ++polls;
    if (!snap.errors.empty()) ++with_errors;
    // Bounded by the request timeouts of its few rounds, never hung.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  }
  bouncer.join();
  EXPECT_GT(polls, 3);

  // Steady again: a poll or two to reconnect, then every partition and commit is read.
  model::ClusterSnapshot snap;
  for (int i = 0; i < 20; ++i) {
    snap = collector.poll();
    if (snap.errors.empty() && !snap.groups.empty() && snap.groups[0].offsets.size() == 6) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(snap.metadata_ok);
  EXPECT_TRUE(snap.errors.empty()) << snap.errors.front().message;
  ASSERT_EQ(snap.groups.size(), 1u);
  ASSERT_EQ(snap.groups[0].offsets.size(), 6u);
  for (const auto& o : snap.groups[0].offsets) EXPECT_EQ(o.offset, 4);
  for (const auto& p : snap.topics.at(0).partitions) EXPECT_EQ(p.log_end_offset, 10);
  std::cout << "[ bounce   ] " << polls << " polls during 100 bounces, " << with_errors << " with errors\n";
}

}  // namespace
}  // namespace lagwatch
