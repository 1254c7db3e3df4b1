// A tiny HTTP CONNECT proxy for tests, on 127.0.0.1 (ephemeral port): it records each CONNECT
// target and tunnels to 127.0.0.1 at the target's port, whatever host it names (so a test can
// prove a request went through it with a host name that does not resolve). With `refuse` it
// answers every CONNECT with 403.
#pragma once

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lagwatch::testing {

class ConnectProxy {
 public:
  explicit ConnectProxy(bool refuse = false)
      : refuse_(refuse), acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~ConnectProxy() {
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
  }
  ConnectProxy(const ConnectProxy&) = delete;
  ConnectProxy& operator=(const ConnectProxy&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> targets() const {
    std::lock_guard lock(mu_);
    return targets_;
  }

 private:
  using tcp = boost::asio::ip::tcp;
  struct Tunnel {
    explicit Tunnel(tcp::socket s) : client(std::move(s)), upstream(client.get_executor()) {}
    tcp::socket client;
    tcp::socket upstream;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request_parser<boost::beast::http::empty_body> parser;
    std::string answer;
    std::array<char, 16384> up{}, down{};
  };

  void accept() {
    acceptor_.async_accept([this](boost::beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto t = std::make_shared<Tunnel>(std::move(socket));
      boost::beast::http::async_read_header(t->client, t->buffer, t->parser,
                                            [this, t](boost::beast::error_code rec, std::size_t) {
                                              if (!rec) on_request(t);
                                            });
      accept();
    });
  }

  void on_request(const std::shared_ptr<Tunnel>& t) {
    const auto& req = t->parser.get();
    const std::string target(req.target());
    {
      std::lock_guard lock(mu_);
      targets_.push_back(target);
    }
    const size_t colon = target.rfind(':');
    if (refuse_ || req.method() != boost::beast::http::verb::connect || colon == std::string::npos) {
      return answer(t, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", false);
    }
    const auto port = static_cast<uint16_t>(std::stoi(target.substr(colon + 1)));
    t->upstream.async_connect({boost::asio::ip::make_address("127.0.0.1"), port},
                              [this, t](boost::beast::error_code cec) {
                                if (cec)
                                  return answer(t, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n", false);
                                answer(t, "HTTP/1.1 200 Connection established\r\n\r\n", true);
                              });
  }

  void answer(const std::shared_ptr<Tunnel>& t, std::string text, bool tunnel) {
    t->answer = std::move(text);
    boost::asio::async_write(t->client, boost::asio::buffer(t->answer),
                             [this, t, tunnel](boost::beast::error_code ec, std::size_t) {
                               if (ec || !tunnel) return;
                               pump(t, t->client, t->upstream, t->up);
                               pump(t, t->upstream, t->client, t->down);
                             });
  }

  template <std::size_t N>
  void pump(const std::shared_ptr<Tunnel>& t, tcp::socket& from, tcp::socket& to, std::array<char, N>& buf) {
    from.async_read_some(
        boost::asio::buffer(buf), [this, t, &from, &to, &buf](boost::beast::error_code ec, std::size_t n) {
          if (ec) {
            boost::beast::error_code ignored;
            to.shutdown(tcp::socket::shutdown_send, ignored);
            return;
          }
          boost::asio::async_write(to, boost::asio::buffer(buf.data(), n),
                                   [this, t, &from, &to, &buf](boost::beast::error_code wec, std::size_t) {
                                     if (!wec) pump(t, from, to, buf);
                                   });
        });
  }

  const bool refuse_;
  mutable std::mutex mu_;
  std::vector<std::string> targets_;
  boost::asio::io_context ioc_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace lagwatch::testing
