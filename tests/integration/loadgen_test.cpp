// `lagwatch loadgen` as a user runs it, against a mock cluster on which the demo's topics
// already exist (the mock has no CreateTopics; a real cluster gets them created).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "demo/mock_cluster.hpp"
#include "demo/traffic.hpp"
#include "kafka/requests/group_offsets.hpp"
#include "kafka/requests/metadata.hpp"
#include "kafka_fixture.hpp"

extern char** environ;

namespace lagwatch {
namespace {

int64_t end_offset_sum(const std::string& bootstrap, const std::string& topic, int partitions) {
  auto client = testing::new_client(RD_KAFKA_PRODUCER, bootstrap);
  int64_t sum = 0;
  for (int p = 0; p < partitions; ++p) {
    int64_t low = 0, high = 0;
    if (rd_kafka_query_watermark_offsets(client.get(), topic.c_str(), p, &low, &high, 5000) == 0) sum += high;
  }
  return sum;
}

int64_t committed_sum(const std::string& bootstrap, const std::string& group, const std::string& topic,
                      int partitions) {
  kafka::ClientSettings settings;
  settings.cluster = "mock";
  settings.bootstrap_servers = {bootstrap};
  kafka::ClusterClient client(settings);
  kafka::fetch_metadata(client);  // the brokers, where the coordinator is
  auto names = std::make_shared<kafka::PartitionNames>();
  for (int p = 0; p < partitions; ++p) names->emplace_back(topic, p);
  kafka::GroupOffsetsRequest request{group, names};
  auto results = kafka::fetch_group_offsets(client, {request}).results;
  int64_t sum = 0;
  for (const auto& o : results.at(0).offsets) sum += o.offset;
  return sum;
}

TEST(Loadgen, RunsTheDemoWorkloadOnAClusterAndStopsOnSigterm) {
  demo::MockCluster mock(3);
  for (const auto& t : demo::demo_topics()) mock.create_topic(t.name, t.partitions);
  const std::string bootstrap = mock.bootstrap_servers();

  std::vector<std::string> args{LAGWATCH_BINARY, "loadgen", "--kafka.server=" + bootstrap, "--log.level=warn"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, LAGWATCH_BINARY, nullptr, nullptr, argv.data(), environ), 0);

  // Records arrive on every topic, and the group that keeps up commits; poll with a deadline.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int64_t orders = 0, billing = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    orders = end_offset_sum(bootstrap, "orders", 6);
    billing = committed_sum(bootstrap, "billing", "orders", 6);
    if (orders > 20 && billing > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_GT(orders, 20);
  EXPECT_GT(billing, 0);
  EXPECT_LE(billing, orders);
  EXPECT_GT(end_offset_sum(bootstrap, "payments", 3), 0);
  EXPECT_GT(end_offset_sum(bootstrap, "inventory", 3), 0);

  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  const auto stop_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  pid_t done = 0;
  while ((done = waitpid(pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < stop_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (done == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "loadgen did not stop within 20 s of SIGTERM";
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(Loadgen, WithoutAClusterIsAConfigurationError) {
  std::string cmd = std::string(LAGWATCH_BINARY) + " loadgen 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, pipe.get())) out += buf;
  const int status = pclose(pipe.release());
  EXPECT_EQ(WEXITSTATUS(status), 2) << out;
  EXPECT_NE(out.find("--kafka.server"), std::string::npos) << out;  // says how to name one
}

}  // namespace
}  // namespace lagwatch
