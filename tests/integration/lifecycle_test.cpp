// `lagwatch serve` as a process under a supervisor: SIGTERM while a broker never answers,
// SIGHUP and POST /-/reload with good and bad files, signals that used to kill it.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <regex>
#include <thread>

#include "child_process.hpp"
#include "demo/mock_cluster.hpp"
#include "http_get.hpp"

namespace {

using namespace std::chrono_literals;
using lagwatch::testing::ChildProcess;

// A "broker" that accepts connections and never says a word: every Kafka request to it waits
// for its whole timeout.
class SilentBroker {
 public:
  SilentBroker() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 64) != 0) {
      throw std::runtime_error("SilentBroker: cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      // Bounded: the test ends it, and it stops by itself after a minute.
      const auto until = std::chrono::steady_clock::now() + 60s;
      while (!stop_ && std::chrono::steady_clock::now() < until) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) == 1) {
          const int c = ::accept(fd_, nullptr, nullptr);
          if (c >= 0) held_.push_back(c);
        }
      }
    });
  }
  ~SilentBroker() {
    stop_ = true;
    thread_.join();
    for (int c : held_) ::close(c);
    ::close(fd_);
  }
  uint16_t port() const { return port_; }
  size_t connections() const { return held_.size(); }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::vector<int> held_;  // touched by the thread only until join
  std::thread thread_;
};

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "lifecycle-" + name; }

void write_file(const std::string& path, const std::string& text) {
  // Written beside and renamed, as editors and config management do: a reload never reads
  // half a file.
  std::ofstream(path + ".tmp") << text;
  std::rename((path + ".tmp").c_str(), path.c_str());
}

uint16_t listening_port(ChildProcess& p) {
  EXPECT_TRUE(p.wait_for_output("(port ", 20s)) << p.output();
  std::smatch m;
  const std::string out = p.output();
  if (!std::regex_search(out, m, std::regex(R"(\(port (\d+)\))"))) return 0;
  return static_cast<uint16_t>(std::stoi(m[1]));
}

lagwatch::testing::HttpReply http_post(uint16_t port, const std::string& target) {
  return lagwatch::testing::http_request(port, boost::beast::http::verb::post, target);
}

std::string cluster_yaml(const std::vector<std::pair<std::string, std::string>>& clusters,
                         const std::string& extra = "") {
  std::string y = "web:\n  listen_address: 127.0.0.1:0\n" + extra + "poll:\n  interval: 1s\nclusters:\n";
  for (const auto& [name, bootstrap] : clusters) {
    y += "  - name: " + name + "\n    bootstrap_servers: [\"" + bootstrap + "\"]\n";
  }
  return y;
}

bool metrics_contain(uint16_t port, const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (lagwatch::testing::http_get(port, "/metrics").body.find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

TEST(Lifecycle, SigtermStopsWithinTwoSecondsWhileABrokerNeverAnswers) {
  SilentBroker broker;
  ChildProcess p(
      LAGWATCH_BINARY,
      {"serve", "--kafka.server=127.0.0.1:" + std::to_string(broker.port()), "--web.listen-address=127.0.0.1:0"},
      temp_path("sigterm.log"));
  ASSERT_TRUE(p.wait_for_output("(port ", 20s)) << p.output();
  // Let the first poll reach the broker and wait on it (its request timeout is 10 s).
  const auto connected_by = std::chrono::steady_clock::now() + 10s;
  while (broker.connections() == 0 && std::chrono::steady_clock::now() < connected_by)
    std::this_thread::sleep_for(20ms);
  ASSERT_GT(broker.connections(), 0u) << p.output();
  std::this_thread::sleep_for(500ms);

  const auto sent = std::chrono::steady_clock::now();
  p.signal(SIGTERM);
  const auto code = p.wait_exit(10s);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent);
  ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM\n" << p.output();
  EXPECT_EQ(*code, 0) << p.output();
  // The requirement itself (2 s whatever the brokers do), not a performance figure.
  EXPECT_LT(took.count(), 2000) << p.output();
  EXPECT_NE(p.output().find("SIGTERM received, stopping"), std::string::npos) << p.output();
  // The poller's request to the silent broker was cancelled, not abandoned by exiting.
  EXPECT_EQ(p.output().find("stopped with Kafka requests still in flight"), std::string::npos) << p.output();
}

TEST(Lifecycle, SighupReloadsAGoodFileAndKeepsTheRunningConfigOnABadOne) {
  lagwatch::demo::MockCluster a(1), b(1);
  a.create_topic("alpha", 1, 1);
  b.create_topic("beta", 1, 1);
  const std::string path = temp_path("reload.yml");
  write_file(path, cluster_yaml({{"a", a.bootstrap_servers()}}));
  ChildProcess p(LAGWATCH_BINARY, {"serve", "--config", path}, temp_path("sighup.log"));
  const uint16_t port = listening_port(p);
  ASSERT_NE(port, 0) << p.output();
  ASSERT_TRUE(metrics_contain(port, "kafka_topic_partitions{cluster=\"a\",topic=\"alpha\"}", 20s)) << p.output();

  // Signals that used to kill the process are logged and ignored.
  p.signal(SIGUSR1);
  ASSERT_TRUE(p.wait_for_output("SIGUSR1 received and ignored", 5s)) << p.output();
  EXPECT_FALSE(p.exited());

  // A second cluster in the file: it is polled after SIGHUP, and the first keeps its poller.
  write_file(path, cluster_yaml({{"a", a.bootstrap_servers()}, {"b", b.bootstrap_servers()}}));
  p.signal(SIGHUP);
  ASSERT_TRUE(p.wait_for_output("clusters added [b], changed [], removed [], unchanged 1", 10s)) << p.output();
  EXPECT_TRUE(metrics_contain(port, "kafka_topic_partitions{cluster=\"b\",topic=\"beta\"}", 20s)) << p.output();

  // A broken file: refused whole, with the reason and the place, and the process carries on.
  const size_t before = p.output().size();
  write_file(path, cluster_yaml({{"a", a.bootstrap_servers()}}) + "    groups:\n      allow: [\"(\"]\n");
  p.signal(SIGHUP);
  ASSERT_TRUE(p.wait_for_output("configuration not reloaded, the running one is kept", 10s, before)) << p.output();
  EXPECT_NE(p.output().find("clusters[0].groups.allow[0]", before), std::string::npos) << p.output();
  EXPECT_TRUE(metrics_contain(port, "lagwatch_config_last_reload_successful 0", 5s));
  EXPECT_TRUE(metrics_contain(port, "kafka_topic_partitions{cluster=\"b\",topic=\"beta\"}", 5s));

  // Removing a cluster takes its series off the page at once.
  write_file(path, cluster_yaml({{"a", a.bootstrap_servers()}}));
  p.signal(SIGHUP);
  ASSERT_TRUE(p.wait_for_output("removed [b]", 10s, before)) << p.output();
  const std::string page = lagwatch::testing::http_get(port, "/metrics").body;
  EXPECT_EQ(page.find("cluster=\"b\""), std::string::npos);
  EXPECT_NE(page.find("lagwatch_config_last_reload_successful 1"), std::string::npos);

  p.signal(SIGTERM);
  EXPECT_EQ(p.wait_exit(10s), std::optional<int>(0)) << p.output();
}

TEST(Lifecycle, PostReloadOnlyWithTheLifecycleFlag) {
  lagwatch::demo::MockCluster a(1);
  const std::string path = temp_path("post.yml");
  write_file(path, cluster_yaml({{"a", a.bootstrap_servers()}}));
  {
    ChildProcess off(LAGWATCH_BINARY, {"serve", "--config", path}, temp_path("post-off.log"));
    const uint16_t port = listening_port(off);
    ASSERT_NE(port, 0);
    EXPECT_EQ(http_post(port, "/-/reload").status, 405);
    EXPECT_EQ(off.output().find("reloaded"), std::string::npos);
  }
  ChildProcess on(LAGWATCH_BINARY, {"serve", "--config", path, "--web.enable-lifecycle"}, temp_path("post-on.log"));
  const uint16_t port = listening_port(on);
  ASSERT_NE(port, 0);
  auto ok = http_post(port, "/-/reload");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.body.find("configuration reloaded"), std::string::npos) << ok.body;
  EXPECT_EQ(lagwatch::testing::http_get(port, "/-/reload").status, 405);

  write_file(path, "clusters: 3\n");
  auto bad = http_post(port, "/-/reload");
  EXPECT_EQ(bad.status, 500) << bad.body;
  EXPECT_NE(bad.body.find("not reloaded"), std::string::npos) << bad.body;
  on.signal(SIGTERM);
  EXPECT_EQ(on.wait_exit(10s), std::optional<int>(0)) << on.output();
}

}  // namespace
