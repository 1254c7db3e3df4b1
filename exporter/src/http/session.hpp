// One HTTP connection: read a request, answer it, wait for the next, with the deadlines of
// ServerOptions and the state reported to the ConnectionRegistry.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http/connection_registry.hpp"
#include "http/request_parsing.hpp"
#include "http/server.hpp"
#include "http/web_security.hpp"
#include "http/wire_response.hpp"
#include "util/rate_limited_log.hpp"

namespace lagwatch::http {

// What every session of a server shares; the server outlives its sessions.
struct SessionContext {
  const Handler& handler;
  const ServerOptions& options;
  ConnectionRegistry& registry;
  util::RateLimitedLog& log;
  WebSecurity* security;  // null: plain HTTP, no basic auth, no extra headers
};

// What the registry holds: a connection it can ask to close.
class Session {
 public:
  virtual ~Session() = default;
  // Closes the connection from any thread (the close runs on the session's strand). For
  // eviction: the registry has already stopped counting it.
  virtual void evict() = 0;
};

// Its operations run on a strand (the socket's executor), one after the other, so it needs no
// locks of its own. It lives as long as an operation of its own holds a shared_ptr to it, and
// removes itself from the registry when destroyed.
//
// Deadlines, each an absolute time so that a client trickling bytes cannot push them back:
//  * a new connection: read_header_timeout from accept for the request line and headers;
//  * between keep-alive requests: idle_timeout for the first byte of the next request, then
//    read_header_timeout from that byte for the rest of the head;
//  * the body: read_timeout from the start of the request;
//  * the response: write_timeout.
// Over TLS (Stream = ssl_stream), the handshake and the first request head share the first
// read_header_timeout from accept, and a failed handshake is logged (rate-limited).
template <class Stream>
class StreamSession : public Session, public std::enable_shared_from_this<StreamSession<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, boost::beast::tcp_stream>;

  // `security`: the web config the connection was accepted under (its TLS context for TLS).
  StreamSession(boost::asio::ip::tcp::socket&& socket, const SessionContext& context,
                std::shared_ptr<const WebSecurityState> security);
  ~StreamSession() override;
  StreamSession(const StreamSession&) = delete;
  StreamSession& operator=(const StreamSession&) = delete;

  // Registers the connection and starts reading. Call once, right after construction.
  void start();

  void evict() override;

 private:
  using Clock = std::chrono::steady_clock;

  boost::beast::tcp_stream& lowest() { return boost::beast::get_lowest_layer(stream_); }
  void on_handshake(boost::beast::error_code ec);
  std::optional<Response> refuse_unauthorized(const Request& request, const WebSecurityState* security);
  void await_request(bool first);
  void on_first_bytes(boost::beast::error_code ec, std::size_t n);
  void read_head();
  void on_head(boost::beast::error_code ec, std::size_t);
  void on_body(boost::beast::error_code ec, std::size_t);
  void on_read_error(boost::beast::error_code ec);
  void answer();
  void send(WireResponse&& res);
  void on_write(bool close, boost::beast::error_code ec);
  void linger();
  void discard();
  bool enter(ConnectionState state);
  void close_now();

  // Declared before the stream: it holds the TLS context the stream uses.
  const std::shared_ptr<const WebSecurityState> accepted_under_;
  Stream stream_;
  std::string peer_;  // "address:port", for logs
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;  // fresh per request
  WireResponse response_;                // must outlive async_write
  std::size_t lingered_ = 0;
  const SessionContext& context_;
  ConnectionRegistry::Id id_ = 0;
  ConnectionState state_ = ConnectionState::kReadingHead;
  Clock::time_point request_started_{};
  const Clock::time_point accepted_at_ = Clock::now();
  bool first_request_ = true;
  bool closed_ = false;
};

using PlainSession = StreamSession<boost::beast::tcp_stream>;
using TlsSession = StreamSession<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

}  // namespace lagwatch::http
