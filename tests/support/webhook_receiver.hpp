// A webhook receiver for tests: an HTTP/1.1 server on 127.0.0.1 (ephemeral port) that records
// every request and answers with scripted statuses, or never answers at all. lagwatch's own
// http::Server serves GET and HEAD only, so it cannot stand in for a webhook.
//
// With ReceiverTls (a certificate and key, e.g. from test_certificates.hpp) it speaks HTTPS;
// tls_failures() counts the handshakes that did not complete (a client refusing the
// certificate aborts it).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace lagwatch::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct ReceiverTls {
  std::string cert_file;  // PEM, the server's certificate (chain)
  std::string key_file;   // PEM, its private key
};

class WebhookReceiver {
 public:
  // `statuses`: the answers to the first requests, in order; 200 after them.
  explicit WebhookReceiver(std::vector<int> statuses = {}, bool never_answer = false,
                           std::optional<ReceiverTls> tls = std::nullopt)
      : statuses_(statuses.begin(), statuses.end()), never_answer_(never_answer), acceptor_(ioc_) {
    namespace net = boost::asio;
    if (tls) {
      tls_.emplace(net::ssl::context::tls_server);
      tls_->use_certificate_chain_file(tls->cert_file);
      tls_->use_private_key_file(tls->key_file, net::ssl::context::pem);
    }
    const net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~WebhookReceiver() {
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
  }

  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string& target = "/hook", const std::string& host = "127.0.0.1") const {
    return (tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_) + target;
  }

  int tls_failures() const {
    std::lock_guard lock(mu_);
    return tls_failures_;
  }

  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

  // Waits until at least `n` requests arrived or `timeout` passed; returns what arrived.
  std::vector<ReceivedRequest> wait_for(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    std::unique_lock lock(mu_);
    arrived_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
    return requests_;
  }

 private:
  using Stream = boost::beast::tcp_stream;

  struct Connection {
    explicit Connection(boost::asio::ip::tcp::socket s) : stream(std::move(s)) {}
    Stream stream;
    std::optional<boost::asio::ssl::stream<Stream&>> tls;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> request;
    boost::beast::http::response<boost::beast::http::string_body> response;
  };

  void accept() {
    acceptor_.async_accept([this](boost::beast::error_code ec, boost::asio::ip::tcp::socket socket) {
      if (ec) return;
      auto c = std::make_shared<Connection>(std::move(socket));
      held_.push_back(c);  // kept open until the receiver goes, also when never answering
      if (!tls_) {
        read(c, c->stream);
      } else {
        c->tls.emplace(c->stream, *tls_);
        c->tls->async_handshake(boost::asio::ssl::stream_base::server, [this, c](boost::beast::error_code hec) {
          if (hec) {
            std::lock_guard lock(mu_);
            ++tls_failures_;
            return;
          }
          read(c, *c->tls);
        });
      }
      accept();
    });
  }

  template <typename S>
  void read(const std::shared_ptr<Connection>& c, S& s) {
    namespace http = boost::beast::http;
    http::async_read(s, c->buffer, c->request, [this, c, &s](boost::beast::error_code ec, std::size_t) {
      if (ec) return;
      ReceivedRequest r;
      r.method = std::string(c->request.method_string());
      r.target = std::string(c->request.target());
      for (const auto& f : c->request) {
        std::string name(f.name_string());
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        r.headers[name] = std::string(f.value());
      }
      r.body = c->request.body();
      int status = 200;
      {
        std::lock_guard lock(mu_);
        requests_.push_back(std::move(r));
        if (!statuses_.empty()) {
          status = statuses_.front();
          statuses_.pop_front();
        }
      }
      arrived_.notify_all();
      if (never_answer_) return;
      c->response.version(11);
      c->response.result(static_cast<unsigned>(status));
      c->response.body() = "ok\n";
      c->response.keep_alive(false);
      c->response.prepare_payload();
      http::async_write(s, c->response, [c](boost::beast::error_code, std::size_t) {
        boost::beast::error_code ignored;
        c->stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
      });
    });
  }

  mutable std::mutex mu_;
  mutable std::condition_variable arrived_;
  std::vector<ReceivedRequest> requests_;
  std::deque<int> statuses_;
  const bool never_answer_;
  int tls_failures_ = 0;
  std::optional<boost::asio::ssl::context> tls_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::shared_ptr<Connection>> held_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace lagwatch::testing
