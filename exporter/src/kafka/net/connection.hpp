// One connection to one broker, on an io_context the caller drives (the poller's thread runs
// it only while a round of requests is outstanding, so nothing here needs a lock).
//
// Life of a connection: resolve and connect, TLS handshake when configured, ApiVersions (so
// every later request goes out at the highest version both sides support), SASL when
// configured; then requests are pipelined: written back to back and matched to their answers
// by correlation id. Every request has a deadline. Anything wrong on the connection — refused,
// reset, closed mid-frame, a size prefix above the cap, an answer to no request, a deadline
// passed — fails the requests of this connection only, closes it, and the next request after
// the reconnect backoff connects again.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kafka/net/connection_options.hpp"
#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::net {

using SteadyClock = std::chrono::steady_clock;

// What a request got: the whole response frame (after the size prefix) and the version it
// was sent at, or why there is none.
struct Answer {
  std::vector<uint8_t> frame;
  int16_t version = -1;
  std::string error;         // empty on success
  bool unsupported = false;  // the broker does not offer the API at a version lagwatch speaks
  bool ok() const { return error.empty(); }
};

// Builds the request body at the version the connection chose.
using Encoder = std::function<std::vector<uint8_t>(int16_t version)>;
using Completion = std::function<void(Answer)>;

// Requests written, by api key (lagwatch_poll_requests{api}).
using RequestCounter = std::map<int16_t, uint64_t>;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `counter`, when given, must outlive the connection's pending handlers.
  Connection(boost::asio::io_context& io, const ConnectionOptions& options, std::string host, uint16_t port,
             int32_t node_id, RequestCounter* counter = nullptr);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Queues a request; `done` runs exactly once, on the io_context's thread. Connects first
  // when needed. An API the broker does not offer completes with an error saying so.
  void submit(wire::ApiKey key, Encoder encode, Completion done, SteadyClock::time_point deadline);

  // Fails everything queued or in flight with `reason` and closes the socket.
  void fail_all(const std::string& reason);

  // The broker's version range for `key`, once ApiVersions has answered on this connection.
  std::optional<wire::VersionRange> broker_versions(wire::ApiKey key) const;
  bool ready() const { return state_ == State::ready; }
  bool busy() const { return !waiting_.empty() || !in_flight_.empty(); }
  int32_t node_id() const { return node_id_; }
  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }
  // "broker 2 (kafka-2:9092)", or "bootstrap kafka:9092" before Metadata named it.
  std::string describe() const;

 private:
  enum class State { closed, connecting, ready };
  struct Pending {
    wire::ApiKey key;
    Encoder encode;
    Completion done;
    SteadyClock::time_point deadline;
    int16_t version = -1;
  };

  void connect();
  void on_connected();
  void handshake_api_versions(int16_t version);
  void authenticate();
  void sasl_step(std::shared_ptr<class SaslExchange> exchange, int16_t version, std::vector<uint8_t> token);
  void become_ready();
  void dispatch(Pending p);
  void send_now(wire::ApiKey key, int16_t version, const std::vector<uint8_t>& body, Pending p);
  void write_next();
  void read_prefix();
  void read_body(size_t size);
  void on_frame();
  void arm_deadline();
  void on_deadline();
  bool stale();
  template <class F>
  void with_stream(F&& f);

  boost::asio::io_context& io_;
  RequestCounter* counter_;
  ConnectionOptions options_;
  std::string host_;
  uint16_t port_;
  int32_t node_id_;

  State state_ = State::closed;
  uint64_t generation_ = 0;  // bumped on every close: handlers of an older socket do nothing
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::ip::tcp::socket socket_;
  // Shared with the handlers of its pending operations: closing the connection aborts them, and
  // asio's TLS operations still use the stream when they complete.
  std::shared_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  boost::asio::steady_timer deadline_timer_;

  std::deque<Pending> waiting_;  // until the connection is ready
  std::map<int32_t, Pending> in_flight_;
  std::deque<std::vector<uint8_t>> write_queue_;
  bool writing_ = false;
  int32_t next_correlation_id_ = 1;
  std::array<uint8_t, 4> prefix_{};
  std::vector<uint8_t> frame_;

  std::map<int16_t, wire::VersionRange> versions_;
  std::chrono::milliseconds backoff_{0};
  SteadyClock::time_point retry_after_{};
  std::string last_failure_;
};

}  // namespace lagwatch::kafka::net
