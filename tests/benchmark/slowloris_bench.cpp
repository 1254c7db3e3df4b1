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
#include "util/open_file_limit.hpp"

namespace {

using namespace lagwatch;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// `count` connections that each send one byte of a request head on connecting and one more about
// every second, never finishing it. Runs on its own thread for at most `max_run`, then stops by
// itself; the destructor stops it earlier. With `reconnect`, a connection the server closes is
// opened again, as an attacker would.
class SlowLoris {
 public:
  SlowLoris(uint16_t port, int count, bool reconnect, std::chrono::milliseconds max_run = 10s)
      : endpoint_(net::ip::make_address("127.0.0.1"), port), reconnect_(reconnect), deadline_(ioc_) {
    for (int i = 0; i < count; ++i) conns_.push_back(std::make_unique<Conn>(ioc_, static_cast<unsigned>(i)));
    for (auto& c : conns_) connect(*c);
    deadline_.expires_after(max_run);
    deadline_.async_wait([this](beast::error_code) { ioc_.stop(); });
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~SlowLoris() {
    ioc_.stop();
    thread_.join();
  }
  SlowLoris(const SlowLoris&) = delete;
  SlowLoris& operator=(const SlowLoris&) = delete;

  int open() const { return open_.load(); }                // connected and not closed by the server
  int connects() const { return connects_.load(); }        // successful connects so far
  int closed_by_server() const { return closed_.load(); }  // connections the server closed

 private:
  struct Conn {
    Conn(net::io_context& ioc, unsigned seed) : socket(ioc), timer(ioc), retry_timer(ioc), rng(seed) {}
    tcp::socket socket;
    net::steady_timer timer;        // paces the bytes
    net::steady_timer retry_timer;  // its own: a write completing after the close must not cancel it
    std::minstd_rand rng;
    std::size_t sent = 0;
    bool open = false;
    char sink = 0;
  };

  static char byte_at(std::size_t i) {
    static const std::string head = "GET /metrics HTTP/1.1\r\nHost: lagwatch\r\nX-Slow: ";
    return i < head.size() ? head[i] : 'a';  // the header value never ends
  }

  void connect(Conn& c) {
    c.socket.async_connect(endpoint_, [this, &c](beast::error_code ec) {
      if (ec) {
        retry(c);
        return;
      }
      ++connects_;
      ++open_;
      c.open = true;
      c.sent = 0;
      watch(c);
      send_next(c);
    });
  }

  // A pending read completes when the server closes the connection.
  void watch(Conn& c) {
    c.socket.async_read_some(net::buffer(&c.sink, 1), [this, &c](beast::error_code ec, std::size_t) {
      if (!ec) {
        watch(c);  // a 4xx the server wrote before closing; keep reading to the close
        return;
      }
      if (c.open) {
        c.open = false;
        --open_;
        ++closed_;
      }
      c.timer.cancel();
      beast::error_code ignored;
      c.socket.close(ignored);
      retry(c);
    });
  }

  void send_next(Conn& c) {
    const char b = byte_at(c.sent++);
    c.sink = b;
    net::async_write(c.socket, net::buffer(&c.sink, 1), [this, &c](beast::error_code ec, std::size_t) {
      if (ec || !c.open) return;  // the pending read sees the close
      // About a second apart, spread so that the server does not see the connections in lockstep.
      c.timer.expires_after(std::chrono::milliseconds(800 + c.rng() % 400));
      c.timer.async_wait([this, &c](beast::error_code wait_ec) {
        if (!wait_ec && c.open) send_next(c);
      });
    });
  }

  void retry(Conn& c) {
    if (!reconnect_) return;
    // Not at once: a tight reconnect loop would measure the machine, not the server.
    c.retry_timer.expires_after(250ms);
    c.retry_timer.async_wait([this, &c](beast::error_code ec) {
      if (ec) return;
      beast::error_code ignored;
      c.socket.close(ignored);
      connect(c);
    });
  }

  net::io_context ioc_;
  const tcp::endpoint endpoint_;
  const bool reconnect_;
  net::steady_timer deadline_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::atomic<int> open_{0};
  std::atomic<int> connects_{0};
  std::atomic<int> closed_{0};
  std::thread thread_;
};

// One GET on a fresh connection; the status, or 0 when nothing came back within 5 s.
int scrape(uint16_t port) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(5s);
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/metrics", 11};
  req.set(bhttp::field::host, "lagwatch");
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  int status = 0;
  stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
    if (ec) return;
    bhttp::async_write(stream, req, [&](beast::error_code wec, std::size_t) {
      if (wec) return;
      bhttp::async_read(stream, buffer, res, [&](beast::error_code rec, std::size_t) {
        if (!rec) status = static_cast<int>(res.result_int());
      });
    });
  });
  ioc.run();
  return status;
}

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
