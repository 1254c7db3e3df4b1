// Scrape latency under slow-loris load: how long a GET /metrics on a fresh connection takes with
// no other clients, with 2 000 connections trickling their request heads, and with 2 000 that
// reconnect as soon as the server closes them. The page is a 300 kB text body, so the figures
// show the cost of the connection handling, not of rendering.
//
//   lagwatch_slowloris_bench [--scrapes N] [--slow N]
//
// Prints p50 / p99 / max per scenario and one JSON line.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "http/server.hpp"
#include "slowloris.hpp"
#include "util/open_file_limit.hpp"

namespace {

using namespace lagwatch;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

using lagwatch::testing::scrape;
using lagwatch::testing::SlowLoris;

struct Figures {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  int failed = 0;
};

Figures measure(uint16_t port, int scrapes) {
  std::vector<double> ms;
  Figures f;
  for (int i = 0; i < scrapes; ++i) {
    const auto begin = Clock::now();
    const int status = scrape(port);
    const double took = std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
    if (status != 200) ++f.failed;
    ms.push_back(took);
    std::this_thread::sleep_for(10ms);  // a scraper's pace, not a flood
  }
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))]; };
  f.p50_ms = at(0.50);
  f.p99_ms = at(0.99);
  f.max_ms = ms.back();
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  int scrapes = 200;
  int slow = 2000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--scrapes") scrapes = std::stoi(argv[i + 1]);
    if (flag == "--slow") slow = std::stoi(argv[i + 1]);
  }
  const auto limit = util::raise_open_file_limit();
  spdlog::set_level(spdlog::level::warn);
  const std::string page(300'000, 'x');
  http::Server server("127.0.0.1:0", [&page](const http::Request&) {
    http::Response r;
    r.shared_pieces = {page};
    return r;
  });
  server.start();
  std::printf("open file limit %llu, max_connections %zu, %d scrapes per scenario\n",
              static_cast<unsigned long long>(limit), server.options().max_connections, scrapes);

  nlohmann::json out;
  const auto report = [&](const char* name, const Figures& f) {
    std::printf("%-34s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  failed %d\n", name, f.p50_ms, f.p99_ms, f.max_ms,
                f.failed);
    out[name] = {{"p50_ms", f.p50_ms}, {"p99_ms", f.p99_ms}, {"max_ms", f.max_ms}, {"failed", f.failed}};
  };
  report("idle", measure(server.port(), scrapes));
  {
    SlowLoris loris(server.port(), slow, false, 60s);
    while (loris.connects() < slow) std::this_thread::sleep_for(10ms);
    report("slow_held", measure(server.port(), scrapes));
    std::printf("  (slow-loris: %d connected, %d closed by the server)\n", loris.connects(), loris.closed_by_server());
  }
  {
    SlowLoris loris(server.port(), slow, true, 60s);
    while (loris.connects() < slow) std::this_thread::sleep_for(10ms);
    report("slow_reconnecting", measure(server.port(), scrapes));
    std::printf("  (slow-loris: %d connects, %d closed by the server)\n", loris.connects(), loris.closed_by_server());
  }
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
