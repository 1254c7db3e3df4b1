#include "http_client/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <mutex>
#include <optional>

#include "http_client/cancellation.hpp"
#include "http_client/tls_client.hpp"
#include "util/duration_text.hpp"

namespace lagwatch::http_client {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
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
  http_client::Cancellation cancellation;
  ClientOptions options;
  std::unique_ptr<ssl::context> tls;  // for https:// URLs
};

HttpClient::HttpClient(const ClientOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->tls = make_tls_client_context(options.ca_file, options.insecure_skip_verify);
}

HttpClient::~HttpClient() = default;

void HttpClient::cancel() { impl_->cancellation.cancel(); }

HttpOutcome HttpClient::send(const HttpUrl& url, const HttpRequest& request, std::chrono::milliseconds timeout) {
  // A fresh io_context per request: when one is abandoned (cancel), destroying it discards the
  // handlers still queued, which refer to this frame's locals, without running them.
  net::io_context ioc;
  const http_client::Cancellation::Exchange registered(impl_->cancellation, ioc);
  if (registered.cancelled()) return {0, "cancelled", true};

  std::string proxy_problem;
  const std::optional<HttpUrl> proxy = proxy_for(url, impl_->options.proxies, proxy_problem);
  if (!proxy_problem.empty()) return {0, "proxy: " + proxy_problem, false};
  const HttpUrl& first_hop = proxy ? *proxy : url;
  // Errors on the way to the proxy say so: "proxy squid:3128: connect: Connection refused".
  const std::string via = proxy ? "proxy " + proxy->where() + ": " : "";

  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  std::optional<ssl::stream<beast::tcp_stream&>> tls;
  net::steady_timer deadline(ioc);

  bhttp::request<bhttp::string_body> req;
  req.method(bhttp::string_to_verb(request.method));
  // Through an HTTP proxy, a plain request names the whole URL (RFC 9112 absolute-form).
  req.target(proxy && !url.tls ? url.scheme() + url.host_header() + url.target : url.target);
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

  // CONNECT host:port, for an https:// URL through a proxy.
  bhttp::request<bhttp::empty_body> tunnel;
  tunnel.method(bhttp::verb::connect);
  tunnel.target(url.where());
  tunnel.version(11);
  tunnel.set(bhttp::field::host, url.where());
  tunnel.set(bhttp::field::user_agent, std::string("lagwatch/") + LAGWATCH_VERSION);
  bhttp::response_parser<bhttp::empty_body> tunnel_parser;

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::empty_body> parser;
  HttpOutcome out;
  bool done = false;
  bool timed_out = false;

  auto close = [&] {
    done = true;
    deadline.cancel();
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
  };
  auto fail = [&](const std::string& error) {
    if (done) return;
    out.error = error;
    close();
  };
  auto finish = [&](const beast::error_code& ec, const std::string& stage) {
    if (done) return;
    if (ec) return fail(stage + ": " + ec.message());
    out.status = static_cast<int>(parser.get().result_int());
    close();
  };

  deadline.expires_after(timeout);
  deadline.async_wait([&](const beast::error_code& ec) {
    if (ec || done) return;
    timed_out = true;
    resolver.cancel();
    stream.cancel();
  });

  auto exchange = [&](auto& s) {
    bhttp::async_write(s, req, [&](const beast::error_code& wec, std::size_t) {
      if (wec) return finish(wec, "send");
      bhttp::async_read_header(s, buffer, parser,
                               [&](const beast::error_code& rec, std::size_t) { finish(rec, "answer"); });
    });
  };

  auto start_tls = [&] {
    tls.emplace(stream, *impl_->tls);
    set_tls_peer(tls->native_handle(), url.host, !impl_->options.insecure_skip_verify);
    tls->async_handshake(ssl::stream_base::client, [&](const beast::error_code& ec) {
      if (!ec) return exchange(*tls);
      if (auto refused = tls_verify_failure(tls->native_handle()); refused && !timed_out) {
        return fail("TLS: " + *refused);
      }
      finish(ec, "TLS handshake");
    });
  };

  auto on_connected = [&](const beast::error_code& ec) {
    if (ec) return finish(ec, via + "connect");
    if (!url.tls) return exchange(stream);
    if (!proxy) return start_tls();
    bhttp::async_write(stream, tunnel, [&](const beast::error_code& wec, std::size_t) {
      if (wec) return finish(wec, via + "send CONNECT");
      bhttp::async_read_header(stream, buffer, tunnel_parser, [&](const beast::error_code& rec, std::size_t) {
        if (rec) return finish(rec, via + "CONNECT " + url.where());
        const unsigned status = tunnel_parser.get().result_int();
        if (status < 200 || status > 299) {
          return fail(via + "CONNECT " + url.where() + " answered HTTP " + std::to_string(status));
        }
        if (buffer.size() != 0) return fail(via + "sent data after its CONNECT answer, before TLS");
        start_tls();
      });
    });
  };

  beast::error_code literal_ec;
  const auto literal = net::ip::make_address(first_hop.host, literal_ec);
  if (!literal_ec) {
    // An IP address needs no resolver (whose system call could not be interrupted).
    stream.async_connect(tcp::endpoint(literal, first_hop.port), on_connected);
  } else {
    resolver.async_resolve(
        first_hop.host, std::to_string(first_hop.port),
        [&](const beast::error_code& ec, const tcp::resolver::results_type& results) {
          if (ec) return finish(ec, via + "resolve");
          stream.async_connect(results, [&](const beast::error_code& cec, const tcp::endpoint&) { on_connected(cec); });
        });
  }
  ioc.run();

  if (!done) {
    out = {0, "cancelled", true};
  } else if (timed_out && out.status == 0) {
    out.error = "no answer within " + util::duration_text(timeout);
  }
  return out;
}

}  // namespace lagwatch::http_client
