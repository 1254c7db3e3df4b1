#include "http_client/http_client.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>

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

// "5s", "300ms", "1m30s": as config::format_duration writes them (config/ is above this module).
std::string format_duration(std::chrono::milliseconds d) {
  std::int64_t ms = d.count();
  if (ms <= 0) return "0s";
  std::string out;
  const std::pair<std::int64_t, const char*> units[] = {{3'600'000, "h"}, {60'000, "m"}, {1'000, "s"}, {1, "ms"}};
  for (const auto& [per, name] : units) {
    if (ms >= per) {
      out += std::to_string(ms / per) + name;
      ms %= per;
    }
  }
  return out;
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

}  // namespace

std::optional<std::string> ca_file_problem(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return "cannot read " + path + ": no such file";
  if (!std::filesystem::is_regular_file(path, ec)) return path + " is not a regular file";
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    return "cannot read " + path + ": permission denied or unreadable";
  }
  int certificates = 0;
  for (;;) {
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    ++certificates;
  }
  ERR_clear_error();
  if (certificates == 0) return path + " holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\")";
  return std::nullopt;
}

struct HttpClient::Impl {
  std::mutex mu;
  bool cancelled = false;
  net::io_context* current = nullptr;  // the io_context of the send() in progress
  ClientOptions options;
  std::unique_ptr<ssl::context> tls;  // for https:// URLs
};

HttpClient::HttpClient(const ClientOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  if (options.insecure_skip_verify) {
    ctx->set_verify_mode(ssl::verify_none);
  } else {
    ctx->set_verify_mode(ssl::verify_peer);
    if (options.ca_file.empty()) {
      ctx->set_default_verify_paths(ec);  // failing here leaves every certificate unverified: refused
    } else {
      if (auto p = ca_file_problem(options.ca_file)) throw std::invalid_argument("ca_file: " + *p);
      ctx->load_verify_file(options.ca_file, ec);
      if (ec) throw std::invalid_argument("ca_file: cannot load " + options.ca_file + ": " + ec.message());
    }
  }
  impl_->tls = std::move(ctx);
}

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
    SSL* handle = tls->native_handle();
    // SNI (a host name only: RFC 6066 has no IP literals), and the certificate must name the
    // host: OpenSSL checks it itself, so a mismatch reads "hostname mismatch" or "IP address
    // mismatch" rather than a bare "certificate verify failed".
    beast::error_code not_an_address;
    net::ip::make_address(url.host, not_an_address);
    if (not_an_address) SSL_set_tlsext_host_name(handle, url.host.c_str());
    if (!impl_->options.insecure_skip_verify) {
      X509_VERIFY_PARAM* param = SSL_get0_param(handle);
      if (not_an_address) {
        X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), url.host.size());
      } else {
        X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str());
      }
    }
    tls->async_handshake(ssl::stream_base::client, [&](const beast::error_code& ec) {
      if (!ec) return exchange(*tls);
      const long verify = SSL_get_verify_result(tls->native_handle());
      if (verify != X509_V_OK && !timed_out) {
        return fail(std::string("TLS: certificate verify failed: ") + X509_verify_cert_error_string(verify));
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
    out.error = "no answer within " + format_duration(timeout);
  }
  return out;
}

}  // namespace lagwatch::http_client
