// Keep-alive /metrics scrapers for the benchmarks, as Prometheus scrapes: one connection each,
// one request after the other, for a given time. Bodies are streamed through a small buffer
// and counted, not kept, so the clients do not inflate the benchmark's own RSS.
#pragma once

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace lagwatch::bench {

inline double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

// Latencies in ms of every scrape made by `scrapers` clients during `seconds`; `body_bytes` is
// the size of the last body received. A client whose connection fails stops and says so.
inline std::vector<double> scrape_for(uint16_t port, int scrapers, double seconds, bool gzip, size_t& body_bytes) {
  namespace beast = boost::beast;
  namespace bhttp = beast::http;
  using Clock = std::chrono::steady_clock;
  std::vector<std::vector<double>> per(static_cast<size_t>(scrapers));
  std::atomic<size_t> bytes{0};
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int i = 0; i < scrapers; ++i) {
    threads.emplace_back([&, i] {
      try {
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::socket socket(ioc);
        socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
        beast::flat_buffer buffer;
        std::vector<char> chunk(64 * 1024);
        while (Clock::now() < until) {
          bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/metrics", 11};
          req.set(bhttp::field::host, "127.0.0.1");
          if (gzip) req.set(bhttp::field::accept_encoding, "gzip");
          const auto t0 = Clock::now();
          bhttp::write(socket, req);
          bhttp::response_parser<bhttp::buffer_body> parser;
          parser.body_limit(1ull << 32);
          bhttp::read_header(socket, buffer, parser);
          size_t n = 0;
          while (!parser.is_done()) {
            parser.get().body().data = chunk.data();
            parser.get().body().size = chunk.size();
            beast::error_code ec;
            bhttp::read(socket, buffer, parser, ec);
            if (ec && ec != bhttp::error::need_buffer) throw beast::system_error(ec);
            n += chunk.size() - parser.get().body().size;
          }
          per[static_cast<size_t>(i)].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
          bytes = n;
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "scraper %d stopped: %s\n", i, e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  body_bytes = bytes;
  std::vector<double> all;
  for (auto& v : per) all.insert(all.end(), v.begin(), v.end());
  return all;
}

}  // namespace lagwatch::bench
