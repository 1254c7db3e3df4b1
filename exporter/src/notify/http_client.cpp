#include "notify/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <mutex>
#include <optional>

#include "config/config.hpp"

namespace lagwatch::notify {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

bool iequals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

struct HttpClient::Impl {
  std::mutex mu;
  bool cancelled = false;
  net::io_context* current = nullptr;  // the io_context of the send() in progress
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {}
HttpClient::~HttpClient() = default;

void HttpClient::cancel() {
  std::lock_guard lock(impl_->mu);
  impl_->cancelled = true;
  if (impl_->current != nullptr) impl_->current->stop();
}

HttpOutcome HttpClient::send(const HttpUrl& url, const HttpRequest& request, std::chrono::milliseconds timeout) {
  // A fresh io_context per request: when one is abandoned (cancel), destroying it discards the
  // handlers still queued, which refer to this frame's locals, without running them.
  net::io_context ioc;
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->cancelled) return {0, "cancelled", true};
    impl_->current = &ioc;
  }
  struct Clear {
    Impl& impl;
    ~Clear() {
      std::lock_guard lock(impl.mu);
      impl.current = nullptr;
    }
  } clear{*impl_};

  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  net::steady_timer deadline(ioc);

  bhttp::request<bhttp::string_body> req;
  req.method(bhttp::string_to_verb(request.method));
  req.target(url.target);
  req.version(11);
  req.set(bhttp::field::host, url.host_header());
  req.set(bhttp::field::user_agent, std::string("lagwatch/") + LAGWATCH_VERSION);
  bool has_type = false;
  for (const auto& [name, value] : request.headers) {
    has_type = has_type || iequals(name, "content-type");
    req.insert(name, value);
  }
  if (!has_type) req.set(bhttp::field::content_type, "application/json");
  req.keep_alive(false);
  req.body() = request.body;
  req.prepare_payload();

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::empty_body> parser;
  HttpOutcome out;
  bool done = false;
  bool timed_out = false;

  auto finish = [&](const beast::error_code& ec, const char* stage) {
    if (done) return;
    done = true;
    deadline.cancel();
    if (ec) {
      out.error = std::string(stage) + ": " + ec.message();
    } else {
      out.status = static_cast<int>(parser.get().result_int());
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
  };

  deadline.expires_after(timeout);
  deadline.async_wait([&](const beast::error_code& ec) {
    if (ec || done) return;
    timed_out = true;
    resolver.cancel();
    stream.cancel();
  });

  auto on_connected = [&](const beast::error_code& ec) {
    if (ec) return finish(ec, "connect");
    bhttp::async_write(stream, req, [&](const beast::error_code& wec, std::size_t) {
      if (wec) return finish(wec, "send");
      bhttp::async_read_header(stream, buffer, parser,
                               [&](const beast::error_code& rec, std::size_t) { finish(rec, "answer"); });
    });
  };

  beast::error_code literal_ec;
  const auto literal = net::ip::make_address(url.host, literal_ec);
  if (!literal_ec) {
    // An IP address needs no resolver (whose system call could not be interrupted).
    stream.async_connect(tcp::endpoint(literal, url.port), on_connected);
  } else {
    resolver.async_resolve(
        url.host, std::to_string(url.port),
        [&](const beast::error_code& ec, const tcp::resolver::results_type& results) {
          if (ec) return finish(ec, "resolve");
          stream.async_connect(results, [&](const beast::error_code& cec, const tcp::endpoint&) { on_connected(cec); });
        });
  }
  ioc.run();

  if (!done) {
    out = {0, "cancelled", true};
  } else if (timed_out && out.status == 0) {
    out.error = "no answer within " + config::format_duration(timeout);
  }
  return out;
}

}  // namespace lagwatch::notify
