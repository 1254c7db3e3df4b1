// A minimal blocking HTTPS client for tests: one request on a fresh TLS connection to
// 127.0.0.1, trusting `ca_file` (empty: nothing, so the handshake fails), optionally with a
// client certificate. A failed handshake throws std::runtime_error with OpenSSL's reason.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <map>
#include <stdexcept>
#include <string>

#include "http_get.hpp"

namespace lagwatch::testing {

struct HttpsOptions {
  std::string ca_file;
  std::string client_cert_file;
  std::string client_key_file;
  std::map<std::string, std::string> headers;
};

inline std::string basic_auth_header(const std::string& user, const std::string& password) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = user + ":" + password;
  std::string out;
  unsigned v = 0;
  int bits = 0;
  for (unsigned char c : in) {
    v = (v << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(k[(v >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(k[(v << (6 - bits)) & 63]);
  while (out.size() % 4 != 0) out.push_back('=');
  return "Basic " + out;
}

inline HttpReply https_get(uint16_t port, const std::string& target, const HttpsOptions& o = {}) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  namespace ssl = boost::asio::ssl;
  boost::asio::io_context ioc;
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_verify_mode(ssl::verify_peer);
  if (!o.ca_file.empty()) ctx.load_verify_file(o.ca_file);
  if (!o.client_cert_file.empty()) {
    ctx.use_certificate_chain_file(o.client_cert_file);
    ctx.use_private_key_file(o.client_key_file, ssl::context::pem);
  }
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(20));
  beast::get_lowest_layer(stream).connect({boost::asio::ip::make_address("127.0.0.1"), port});
  beast::error_code ec;
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) throw std::runtime_error("TLS handshake: " + ec.message());
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : o.headers) req.set(k, v);
  http::write(stream, req, ec);
  if (ec) throw std::runtime_error("write: " + ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  // TLS 1.3: a server refusing the client certificate says so after the handshake, here.
  http::read(stream, buffer, parser, ec);
  if (ec) throw std::runtime_error("read: " + ec.message());
  auto res = parser.release();
  HttpReply out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(f.value());
  }
  out.body = std::move(res.body());
  return out;
}

}  // namespace lagwatch::testing
