// The HTTP server under slow-loris load on loopback: thousands of connections that trickle their
// request heads must not keep a scrape from being served, nor flood the log.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "captured_log.hpp"
#include "http/server.hpp"
#include "slowloris.hpp"
#include "util/open_file_limit.hpp"

namespace lagwatch {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

using testing::scrape;
using testing::SlowLoris;

using testing::CapturedLog;

http::Response metrics_page(const http::Request&) {
  http::Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = "lagwatch_up 1\n";
  return r;
}

template <class F>
bool eventually(F condition, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

class HttpHardening : public ::testing::Test {
 protected:
  void SetUp() override {
    // 2 000 client sockets plus up to max_connections server sockets, in this one process.
    if (util::raise_open_file_limit() < 6000) GTEST_SKIP() << "RLIMIT_NOFILE too low for 2000 connections";
  }
};

TEST_F(HttpHardening, ScrapeIsServedWhile2000SlowLorisConnectionsAreHeld) {
  http::Server server("127.0.0.1:0", metrics_page);
  server.start();
  SlowLoris loris(server.port(), 2000, /*reconnect=*/false, 10s);
  // All 2 000 have connected: the server holds max_connections of them, the rest it evicted.
  ASSERT_TRUE(eventually([&] { return loris.connects() == 2000; }, 8s)) << loris.connects();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(scrape(server.port()), 200) << "scrape " << i;
  EXPECT_LE(server.open_connections(), server.options().max_connections);
  EXPECT_GE(loris.closed_by_server(), 2000 - static_cast<int>(server.options().max_connections));
}

TEST_F(HttpHardening, ReconnectingSlowLorisNeitherStarvesScrapesNorFloodsTheLog) {
  CapturedLog log;
  http::ServerOptions options;
  options.read_header_timeout = 1s;  // many head timeouts as well as evictions within the test
  options.max_connections = 512;
  int served = 0;
  {
    http::Server server("127.0.0.1:0", metrics_page, options);
    server.start();
    SlowLoris loris(server.port(), 2000, /*reconnect=*/true, 10s);
    ASSERT_TRUE(eventually([&] { return loris.connects() >= 2000; }, 8s)) << loris.connects();
    const auto until = std::chrono::steady_clock::now() + 4s;
    int scrapes = 0;
    while (std::chrono::steady_clock::now() < until) {
      ++scrapes;
      if (scrape(server.port()) == 200) ++served;
      std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(served, scrapes);
    EXPECT_GT(loris.closed_by_server(), 2000);  // it really was churning
  }
  const auto lines = log.lines();
  // listening + stopped, and per kind of event (evicted, head timeout) a first line and a summary
  // at stop(): the old server wrote a line per hundred refusals, thousands here.
  EXPECT_LE(lines.size(), 8u);
  for (const auto& line : lines) std::printf("  log: %s\n", line.c_str());
  EXPECT_GT(served, 0);
}

}  // namespace
}  // namespace lagwatch
