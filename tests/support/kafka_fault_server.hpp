// A fault-injecting Kafka TCP server for tests of lagwatch's own Kafka client.
//
// KafkaFaultServer listens on 127.0.0.1 (ephemeral port, `port()`), reads Kafka request frames
// (4-byte big-endian size, then int16 api_key, int16 api_version, int32 correlation_id, ...) and
// answers each one, in request order, from
//   1. the responder, if one is set and it returns a response (it gets the parsed header and the
//      whole request; it returns the whole response frame *without* the size prefix, see
//      kafka_response()), else
//   2. the upstream broker, if one is set ("host:port", e.g. a librdkafka mock cluster broker):
//      the request is forwarded on a connection of its own (one upstream connection per client
//      connection, opened when the client connects) and the answer relayed back, else
//   3. nothing: the request stays unanswered (the connection stays open).
// It is independent of lagwatch's codec on purpose: the oracle must not share the code under
// test. Requests that Kafka never answers (Produce with acks=0) are not supported when
// forwarding (lagwatch only reads).
//
// Faults (inject(), thread-safe) are rules applied to responses: each rule may be limited to one
// api_key (`.on(key)`) and to the next matching response only (`.once()`); otherwise it holds
// until clear_faults(). The first matching rule wins; the rule is picked when the request
// arrives. A forwarded request is still forwarded under every fault, so the upstream connection
// stays in step.
//   close_mid_frame(keep)  the real size prefix and the first `keep` body bytes (default: half),
//                          then the connection is closed (FIN).
//   stall()                this response is never sent; the connection stays open and later
//                          requests are still read (and answered, unless they stall too: a rule
//                          without `.on()` makes a broker that never answers at all).
//   truncate(keep)         a complete frame whose size prefix says `keep` (default: half the
//                          body, at least the 4-byte correlation id) and that many body bytes;
//                          later responses follow normally.
//   garbage()              a size prefix equal to the real body's size (64 when there is no
//                          real answer) and that many random bytes; later responses follow.
//   huge_length(keep)      a size prefix of 0x7fffffff and the first `keep` body bytes
//                          (default: 4, the correlation id), then nothing more is ever written
//                          on that connection (requests are still read).
//   wrong_correlation_id() the real answer with its correlation id replaced by ~id, a negative
//                          id no request has.
//   delay(ms)              the real answer, `ms` late (later responses queue behind it, as on a
//                          real broker).
// close_mid_frame, truncate, wrong_correlation_id and delay alter the real answer: without one
// (no responder answer, no upstream) nothing is sent. Error codes are not a fault: a responder
// answers with the error (build the frame with kafka_response()).
//
// down() closes the listener and every accepted connection at once (FIN, or RST with
// CloseMode::rst); up() listens again on the same port (SO_REUSEADDR): a broker that drops and
// comes back. Counters: requests per api_key, connections accepted, connections open now.
//
// KafkaFaultCluster puts one KafkaFaultServer in front of each broker of a cluster (e.g. the
// bootstrap list of a librdkafka mock cluster) and rewrites the broker ports inside forwarded
// Metadata responses (every version, flexible ones included) so that clients connect to the
// fronts, not to the brokers' real ports. Hosts are left alone, so the brokers must advertise a
// host that reaches 127.0.0.1 (the mock advertises "127.0.0.1").
//
// The responder and the response filter run on the server's own I/O thread: they must not block
// and must not call down()/up() of another server that is waiting on them. A responder that
// throws closes that connection.
//
// Example:
//   KafkaFaultCluster cluster(rd_kafka_mock_cluster_bootstraps(mock));
//   client.connect(cluster.bootstraps());                       // "127.0.0.1:p1,127.0.0.1:p2,..."
//   cluster.front(1).inject(Fault::stall().on(kApiOffsetFetch));  // broker 2 never answers
//   cluster.front(0).set_responder([](const KafkaRequest& r) -> std::optional<std::vector<uint8_t>> {
//     if (r.api_key != kApiOffsetFetch) return std::nullopt;      // everything else: the mock
//     return kafka_response(r.correlation_id, false, not_coordinator_body);
//   });
//   cluster.front(2).down();  ...  cluster.front(2).up();
//   EXPECT_LT(cluster.front(1).connections_accepted(), 5u);
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace lagwatch::testing {

// Api keys the tests name (the fault server itself is agnostic).
inline constexpr int16_t kApiMetadata = 3;
inline constexpr int16_t kApiOffsetFetch = 9;
inline constexpr int16_t kApiFindCoordinator = 10;
inline constexpr int16_t kApiApiVersions = 18;

// A request frame larger than this closes the connection (a real broker's
// socket.request.max.bytes is 100 MiB; no read-only client sends more than a few KiB).
inline constexpr size_t kFaultServerMaxRequestBytes = 16u << 20;
// An upstream response frame larger than this closes the connection.
inline constexpr size_t kFaultServerMaxResponseBytes = 256u << 20;

namespace fault_detail {

inline uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
inline int16_t be16(const uint8_t* p) { return static_cast<int16_t>((uint16_t(p[0]) << 8) | uint16_t(p[1])); }
inline void put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}
inline void append32(std::vector<uint8_t>& out, uint32_t v) {
  out.resize(out.size() + 4);
  put32(out.data() + out.size() - 4, v);
}
inline std::vector<uint8_t> with_size_prefix(std::span<const uint8_t> body, uint32_t size) {
  std::vector<uint8_t> out;
  out.reserve(4 + body.size());
  append32(out, size);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

template <class K>
int16_t api_key_of(K key) {
  if constexpr (std::is_enum_v<K>) {
    return static_cast<int16_t>(static_cast<std::underlying_type_t<K>>(key));
  } else {
    return static_cast<int16_t>(key);
  }
}

// "host:port" -> (host, port); throws std::invalid_argument.
inline std::pair<std::string, uint16_t> split_host_port(const std::string& host_port) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == host_port.size()) {
    throw std::invalid_argument("not host:port: '" + host_port + "'");
  }
  const int port = std::stoi(host_port.substr(colon + 1));
  if (port <= 0 || port > 65535) throw std::invalid_argument("bad port in '" + host_port + "'");
  return {host_port.substr(0, colon), static_cast<uint16_t>(port)};
}

// A minimal bounded reader for the Metadata broker table (std::runtime_error when short).
class Cursor {
 public:
  explicit Cursor(std::span<const uint8_t> b) : b_(b) {}
  size_t pos() const { return pos_; }
  void need(size_t n) const {
    if (b_.size() - pos_ < n) throw std::runtime_error("metadata response cut short at byte " + std::to_string(pos_));
  }
  void skip(size_t n) {
    need(n);
    pos_ += n;
  }
  int16_t i16() {
    need(2);
    pos_ += 2;
    return be16(b_.data() + pos_ - 2);
  }
  int32_t i32() {
    need(4);
    pos_ += 4;
    return static_cast<int32_t>(be32(b_.data() + pos_ - 4));
  }
  uint32_t uvarint() {
    uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      need(1);
      const uint8_t byte = b_[pos_++];
      v |= uint32_t(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    throw std::runtime_error("varint too long at byte " + std::to_string(pos_));
  }
  std::string str(bool compact) {
    size_t n;
    if (compact) {
      const uint32_t len = uvarint();
      if (len == 0) throw std::runtime_error("null host");
      n = len - 1;
    } else {
      const int16_t len = i16();
      if (len < 0) throw std::runtime_error("null host");
      n = static_cast<size_t>(len);
    }
    need(n);
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  void skip_nullable_str(bool compact) {
    if (compact) {
      const uint32_t len = uvarint();
      if (len > 0) skip(len - 1);
    } else {
      const int16_t len = i16();
      if (len > 0) skip(static_cast<size_t>(len));
    }
  }
  void skip_tagged_fields() {
    const uint32_t n = uvarint();
    for (uint32_t i = 0; i < n; ++i) {
      uvarint();  // tag
      skip(uvarint());
    }
  }

 private:
  std::span<const uint8_t> b_;
  size_t pos_ = 0;
};

}  // namespace fault_detail

// One request as the server read it.
struct KafkaRequest {
  int16_t api_key = 0;
  int16_t api_version = 0;
  int32_t correlation_id = 0;
  std::vector<uint8_t> bytes;  // the whole request frame without its size prefix
};

// The whole response frame without the size prefix, or nullopt to fall through (to the upstream,
// or to no answer).
using KafkaResponder = std::function<std::optional<std::vector<uint8_t>>(const KafkaRequest&)>;

// A response frame (without size prefix): correlation id, an empty tagged-field section when
// the response header is v1 (flexible versions of every API but ApiVersions), then `body`.
inline std::vector<uint8_t> kafka_response(int32_t correlation_id, bool flexible_header,
                                           std::span<const uint8_t> body) {
  std::vector<uint8_t> out;
  fault_detail::append32(out, static_cast<uint32_t>(correlation_id));
  if (flexible_header) out.push_back(0);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// One broker of a Metadata response and where its port sits in the response frame.
struct MetadataBrokerEntry {
  int32_t node_id = 0;
  std::string host;
  int32_t port = 0;
  size_t port_offset = 0;  // offset of the int32 port in the frame (without size prefix)
};

// The broker table of a Metadata response frame (without size prefix) of `version`: correlation
// id, header tagged fields (v9+), throttle_time_ms (v3+), then brokers [node_id, host, port,
// rack (v1+), tagged fields (v9+)]. Throws std::runtime_error when the frame is too short.
inline std::vector<MetadataBrokerEntry> metadata_brokers(std::span<const uint8_t> frame, int16_t version) {
  const bool flexible = version >= 9;
  fault_detail::Cursor c(frame);
  c.skip(4);
  if (flexible) c.skip_tagged_fields();
  if (version >= 3) c.skip(4);
  size_t n;
  if (flexible) {
    const uint32_t len = c.uvarint();
    n = len == 0 ? 0 : len - 1;
  } else {
    const int32_t len = c.i32();
    n = len < 0 ? 0 : static_cast<size_t>(len);
  }
  std::vector<MetadataBrokerEntry> out;
  for (size_t i = 0; i < n; ++i) {
    MetadataBrokerEntry b;
    b.node_id = c.i32();
    b.host = c.str(flexible);
    b.port_offset = c.pos();
    b.port = c.i32();
    if (version >= 1) c.skip_nullable_str(flexible);
    if (flexible) c.skip_tagged_fields();
    out.push_back(std::move(b));
  }
  return out;
}

// Replaces, in place, each broker port found in `ports` (real port -> new port). Returns how many
// were replaced; a frame that does not parse is left alone (0).
inline size_t rewrite_metadata_ports(std::vector<uint8_t>& frame, int16_t version,
                                     const std::map<int32_t, int32_t>& ports) {
  std::vector<MetadataBrokerEntry> brokers;
  try {
    brokers = metadata_brokers(frame, version);
  } catch (const std::runtime_error&) {
    return 0;
  }
  size_t replaced = 0;
  for (const auto& b : brokers) {
    const auto it = ports.find(b.port);
    if (it == ports.end()) continue;
    fault_detail::put32(frame.data() + b.port_offset, static_cast<uint32_t>(it->second));
    ++replaced;
  }
  return replaced;
}

enum class FaultKind { close_mid_frame, stall, truncate, garbage, huge_length, wrong_correlation_id, delay };

// A fault rule; see the header comment. Build with the factories, refine with on() / once():
//   server.inject(Fault::truncate().on(kApiMetadata).once());
//   server.inject(Fault::delay(std::chrono::milliseconds(300)));
struct Fault {
  FaultKind kind = FaultKind::stall;
  std::optional<int16_t> api_key;  // nullopt: every API
  bool single = false;             // only the next matching response
  std::chrono::milliseconds delay_by{0};
  std::optional<size_t> keep;  // close_mid_frame / truncate / huge_length: body bytes sent

  static Fault close_mid_frame(std::optional<size_t> keep = {}) { return make(FaultKind::close_mid_frame, keep); }
  static Fault stall() { return make(FaultKind::stall); }
  static Fault truncate(std::optional<size_t> keep = {}) { return make(FaultKind::truncate, keep); }
  static Fault garbage() { return make(FaultKind::garbage); }
  static Fault huge_length(std::optional<size_t> keep = {}) { return make(FaultKind::huge_length, keep); }
  static Fault wrong_correlation_id() { return make(FaultKind::wrong_correlation_id); }
  static Fault delay(std::chrono::milliseconds ms) {
    Fault f = make(FaultKind::delay);
    f.delay_by = ms;
    return f;
  }

  // Only responses to requests of `key` (an int16_t or an ApiKey-like enum).
  template <class K>
  Fault on(K key) const {
    Fault f = *this;
    f.api_key = fault_detail::api_key_of(key);
    return f;
  }
  // Only the next matching response; the rule is then gone.
  Fault once() const {
    Fault f = *this;
    f.single = true;
    return f;
  }

 private:
  static Fault make(FaultKind kind, std::optional<size_t> keep = {}) {
    Fault f;
    f.kind = kind;
    f.keep = keep;
    return f;
  }
};

// How down() ends the accepted connections.
enum class CloseMode { fin, rst };

class KafkaFaultServer {
 public:
  // `upstream`: "host:port" to forward to, or empty for none.
  explicit KafkaFaultServer(const std::string& upstream = "") : work_(ioc_.get_executor()), acceptor_(ioc_) {
    if (!upstream.empty()) set_upstream(upstream);
    listen(0);
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~KafkaFaultServer() {
    run_on_io([this] {
      close_everything(CloseMode::fin);
      ioc_.stop();
    });
    if (thread_.joinable()) thread_.join();
  }

  KafkaFaultServer(const KafkaFaultServer&) = delete;
  KafkaFaultServer& operator=(const KafkaFaultServer&) = delete;

  uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // Where requests nobody else answers go, for connections accepted from now on; "" for none.
  void set_upstream(const std::string& host_port) {
    std::optional<boost::asio::ip::tcp::endpoint> ep;
    if (!host_port.empty()) {
      const auto [host, port] = fault_detail::split_host_port(host_port);
      boost::asio::io_context resolve_ioc;
      boost::asio::ip::tcp::resolver resolver(resolve_ioc);
      const auto results = resolver.resolve(boost::asio::ip::tcp::v4(), host, std::to_string(port));
      if (results.empty()) throw std::runtime_error("cannot resolve " + host_port);
      ep = results.begin()->endpoint();
    }
    std::lock_guard lock(mu_);
    upstream_ = ep;
  }
  void set_responder(KafkaResponder responder) {
    std::lock_guard lock(mu_);
    responder_ = std::move(responder);
  }
  // Called on every *forwarded* response frame (without size prefix) before faults apply; may
  // change it in place. KafkaFaultCluster uses it to rewrite Metadata.
  void set_response_filter(std::function<void(const KafkaRequest&, std::vector<uint8_t>&)> filter) {
    std::lock_guard lock(mu_);
    filter_ = std::move(filter);
  }

  void inject(Fault fault) {
    std::lock_guard lock(mu_);
    faults_.push_back(std::move(fault));
  }
  void clear_faults() {
    std::lock_guard lock(mu_);
    faults_.clear();
  }

  // Closes the listener and every accepted connection (and their upstream connections); returns
  // once they are closed. Connecting to port() is then refused until up().
  void down(CloseMode mode = CloseMode::fin) {
    run_on_io([this, mode] { close_everything(mode); });
  }
  // Listens again on the same port; throws if the port cannot be bound.
  void up() {
    run_on_io([this] {
      if (acceptor_.is_open()) return;
      listen(port_);
      accept();
    });
  }
  bool is_up() const { return listening_.load(); }

  size_t requests(int16_t api_key) const {
    std::lock_guard lock(mu_);
    const auto it = requests_.find(api_key);
    return it == requests_.end() ? 0 : it->second;
  }
  template <class K>
  requires std::is_enum_v<K> size_t requests(K key)
  const { return requests(fault_detail::api_key_of(key)); }
  size_t requests_total() const {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (const auto& [key, count] : requests_) n += count;
    return n;
  }
  size_t connections_accepted() const { return accepted_.load(); }
  size_t open_connections() const { return open_.load(); }

  // Waits until at least `n` requests of `api_key` (any API: -1) arrived; false on timeout.
  bool wait_for_requests(int16_t api_key, size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    return arrived_.wait_for(lock, timeout, [&] {
      size_t seen = 0;
      for (const auto& [key, count] : requests_) {
        if (api_key < 0 || key == api_key) seen += count;
      }
      return seen >= n;
    });
  }

 private:
  using tcp = boost::asio::ip::tcp;
  using error_code = boost::system::error_code;

  // What to write to the client for one request, and what happens after.
  struct Output {
    enum class After { next, close, mute };
    std::vector<uint8_t> bytes;
    After after = After::next;
  };

  struct Slot {
    KafkaRequest request;
    std::optional<Fault> fault;
    bool done = false;
    Output out;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };

  class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(KafkaFaultServer& server, tcp::socket client, std::optional<tcp::endpoint> upstream)
        : server_(server), client_(std::move(client)), upstream_(server.ioc_), upstream_ep_(upstream) {}

    void start() {
      if (upstream_ep_) {
        upstream_.async_connect(*upstream_ep_, [self = shared_from_this()](const error_code& ec) {
          if (self->closed_) return;
          if (ec) return self->close(CloseMode::fin);
          self->upstream_connected_ = true;
          self->write_upstream();
          self->read_upstream();
        });
      }
      read_client();
    }

    void close(CloseMode mode) {
      if (closed_) return;
      closed_ = true;
      error_code ignored;
      if (mode == CloseMode::rst) {
        client_.set_option(boost::asio::socket_base::linger(true, 0), ignored);
      } else {
        client_.shutdown(tcp::socket::shutdown_both, ignored);
      }
      client_.close(ignored);
      upstream_.close(ignored);
      for (auto& slot : pending_) {
        if (slot->timer) slot->timer->cancel();
      }
      pending_.clear();
      awaiting_upstream_.clear();
      server_.open_.fetch_sub(1);
    }

   private:
    void read_client() {
      boost::asio::async_read(client_, boost::asio::buffer(in_prefix_),
                              [self = shared_from_this()](const error_code& ec, size_t) {
                                if (self->closed_) return;
                                if (ec) return self->close(CloseMode::fin);
                                const uint32_t size = fault_detail::be32(self->in_prefix_.data());
                                if (size < 8 || size > kFaultServerMaxRequestBytes) return self->close(CloseMode::fin);
                                self->in_body_.assign(size, 0);
                                self->read_client_body();
                              });
    }

    void read_client_body() {
      boost::asio::async_read(client_, boost::asio::buffer(in_body_),
                              [self = shared_from_this()](const error_code& ec, size_t) {
                                if (self->closed_) return;
                                if (ec) return self->close(CloseMode::fin);
                                self->on_request();
                                if (!self->closed_) self->read_client();
                              });
    }

    void on_request() {
      auto slot = std::make_shared<Slot>();
      KafkaRequest& r = slot->request;
      r.api_key = fault_detail::be16(in_body_.data());
      r.api_version = fault_detail::be16(in_body_.data() + 2);
      r.correlation_id = static_cast<int32_t>(fault_detail::be32(in_body_.data() + 4));
      r.bytes = std::move(in_body_);
      in_body_.clear();
      KafkaResponder responder;
      {
        std::lock_guard lock(server_.mu_);
        ++server_.requests_[r.api_key];
        responder = server_.responder_;
        for (auto it = server_.faults_.begin(); it != server_.faults_.end(); ++it) {
          if (it->api_key && *it->api_key != r.api_key) continue;
          slot->fault = *it;
          if (it->single) server_.faults_.erase(it);
          break;
        }
      }
      server_.arrived_.notify_all();
      pending_.push_back(slot);

      std::optional<std::vector<uint8_t>> answer;
      if (responder) {
        try {
          answer = responder(r);
        } catch (...) {
          return close(CloseMode::fin);
        }
      }
      if (answer) return complete(slot, std::move(answer));
      if (upstream_ep_) {
        to_upstream_.push_back(fault_detail::with_size_prefix(r.bytes, static_cast<uint32_t>(r.bytes.size())));
        awaiting_upstream_.push_back(slot);
        return write_upstream();
      }
      complete(slot, std::nullopt);
    }

    void write_upstream() {
      if (!upstream_connected_ || upstream_writing_ || to_upstream_.empty()) return;
      upstream_writing_ = true;
      boost::asio::async_write(upstream_, boost::asio::buffer(to_upstream_.front()),
                               [self = shared_from_this()](const error_code& ec, size_t) {
                                 if (self->closed_) return;
                                 if (ec) return self->close(CloseMode::fin);
                                 self->upstream_writing_ = false;
                                 self->to_upstream_.pop_front();
                                 self->write_upstream();
                               });
    }

    void read_upstream() {
      boost::asio::async_read(upstream_, boost::asio::buffer(up_prefix_),
                              [self = shared_from_this()](const error_code& ec, size_t) {
                                if (self->closed_) return;
                                if (ec) return self->close(CloseMode::fin);
                                const uint32_t size = fault_detail::be32(self->up_prefix_.data());
                                if (size < 4 || size > kFaultServerMaxResponseBytes) {
                                  return self->close(CloseMode::fin);
                                }
                                self->up_body_.assign(size, 0);
                                boost::asio::async_read(self->upstream_, boost::asio::buffer(self->up_body_),
                                                        [self](const error_code& ec2, size_t) {
                                                          if (self->closed_) return;
                                                          if (ec2) return self->close(CloseMode::fin);
                                                          self->on_upstream_response();
                                                          if (!self->closed_) self->read_upstream();
                                                        });
                              });
    }

    void on_upstream_response() {
      if (awaiting_upstream_.empty()) return;  // an answer to nothing: dropped
      auto slot = awaiting_upstream_.front();
      awaiting_upstream_.pop_front();
      std::vector<uint8_t> answer = std::move(up_body_);
      up_body_.clear();
      std::function<void(const KafkaRequest&, std::vector<uint8_t>&)> filter;
      {
        std::lock_guard lock(server_.mu_);
        filter = server_.filter_;
      }
      if (filter) filter(slot->request, answer);
      complete(slot, std::move(answer));
    }

    // The real answer (if any) of `slot` is known: apply its fault and send what is due.
    void complete(const std::shared_ptr<Slot>& slot, std::optional<std::vector<uint8_t>> answer) {
      if (slot->fault && slot->fault->kind == FaultKind::delay && answer) {
        slot->out.bytes = fault_detail::with_size_prefix(*answer, static_cast<uint32_t>(answer->size()));
        slot->timer = std::make_unique<boost::asio::steady_timer>(server_.ioc_, slot->fault->delay_by);
        slot->timer->async_wait([self = shared_from_this(), slot](const error_code& ec) {
          if (ec || self->closed_) return;
          slot->done = true;
          self->pump();
        });
        return;
      }
      slot->out = render(slot->fault, answer);
      slot->done = true;
      pump();
    }

    Output render(const std::optional<Fault>& fault, const std::optional<std::vector<uint8_t>>& answer) {
      using After = Output::After;
      const auto real = [&] { return fault_detail::with_size_prefix(*answer, static_cast<uint32_t>(answer->size())); };
      if (!fault) return answer ? Output{real(), After::next} : Output{};
      const std::span<const uint8_t> body = answer ? std::span<const uint8_t>(*answer) : std::span<const uint8_t>();
      switch (fault->kind) {
        case FaultKind::stall:
          return {};
        case FaultKind::close_mid_frame: {
          if (!answer) return {};
          const size_t keep = std::min(fault->keep.value_or(body.size() / 2), body.size() > 0 ? body.size() - 1 : 0);
          auto out = fault_detail::with_size_prefix(body.first(keep), static_cast<uint32_t>(body.size()));
          return {std::move(out), After::close};
        }
        case FaultKind::truncate: {
          if (!answer) return {};
          const size_t want = fault->keep.value_or(std::max<size_t>(4, body.size() / 2));
          const size_t keep = std::min(want, body.size() > 0 ? body.size() - 1 : 0);
          return {fault_detail::with_size_prefix(body.first(keep), static_cast<uint32_t>(keep)), After::next};
        }
        case FaultKind::garbage: {
          std::vector<uint8_t> noise(answer ? body.size() : 64);
          std::uniform_int_distribution<int> byte(0, 255);
          for (auto& b : noise) b = static_cast<uint8_t>(byte(server_.rng_));
          return {fault_detail::with_size_prefix(noise, static_cast<uint32_t>(noise.size())), After::next};
        }
        case FaultKind::huge_length: {
          std::vector<uint8_t> head(body.begin(), body.begin() + std::min(fault->keep.value_or(4), body.size()));
          return {fault_detail::with_size_prefix(head, 0x7fffffffu), After::mute};
        }
        case FaultKind::wrong_correlation_id: {
          if (!answer) return {};
          auto out = real();
          const auto id = static_cast<int32_t>(fault_detail::be32(out.data() + 4));
          fault_detail::put32(out.data() + 4, static_cast<uint32_t>(~id));
          return {std::move(out), After::next};
        }
        case FaultKind::delay:  // without an answer: nothing to delay
          return {};
      }
      return {};
    }

    // Hands finished answers to the writer in request order.
    void pump() {
      while (!pending_.empty() && pending_.front()->done) {
        auto slot = std::move(pending_.front());
        pending_.pop_front();
        if (muted_) continue;
        if (slot->out.bytes.empty() && slot->out.after == Output::After::next) continue;
        if (slot->out.after != Output::After::next) muted_ = true;  // close or mute: nothing after
        to_client_.push_back(std::move(slot->out));
      }
      write_client();
    }

    void write_client() {
      if (client_writing_ || to_client_.empty()) return;
      client_writing_ = true;
      boost::asio::async_write(client_, boost::asio::buffer(to_client_.front().bytes),
                               [self = shared_from_this()](const error_code& ec, size_t) {
                                 if (self->closed_) return;
                                 if (ec) return self->close(CloseMode::fin);
                                 self->client_writing_ = false;
                                 const auto after = self->to_client_.front().after;
                                 self->to_client_.pop_front();
                                 if (after == Output::After::close) return self->close(CloseMode::fin);
                                 self->write_client();
                               });
    }

    KafkaFaultServer& server_;
    tcp::socket client_;
    tcp::socket upstream_;
    const std::optional<tcp::endpoint> upstream_ep_;
    bool upstream_connected_ = false;
    bool upstream_writing_ = false;
    bool client_writing_ = false;
    bool closed_ = false;
    bool muted_ = false;
    std::array<uint8_t, 4> in_prefix_{};
    std::vector<uint8_t> in_body_;
    std::array<uint8_t, 4> up_prefix_{};
    std::vector<uint8_t> up_body_;
    std::deque<std::vector<uint8_t>> to_upstream_;
    std::deque<Output> to_client_;
    std::deque<std::shared_ptr<Slot>> pending_;            // every unanswered request, in order
    std::deque<std::shared_ptr<Slot>> awaiting_upstream_;  // the forwarded ones, in order
  };

  // Runs `fn` on the I/O thread and waits for it (inline when already there); rethrows.
  template <class F>
  void run_on_io(F fn) {
    if (ioc_.get_executor().running_in_this_thread() || !thread_.joinable()) {
      fn();
      return;
    }
    std::promise<void> done;
    auto result = done.get_future();
    boost::asio::post(ioc_, [&] {
      try {
        fn();
        done.set_value();
      } catch (...) {
        done.set_exception(std::current_exception());
      }
    });
    result.get();
  }

  void listen(uint16_t port) {
    const tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port);
    acceptor_.open(ep.protocol());
    try {
      acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
      acceptor_.bind(ep);
      acceptor_.listen();
    } catch (...) {
      error_code ignored;
      acceptor_.close(ignored);
      throw;
    }
    listening_ = true;
  }

  void accept() {
    acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
      if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) {
        accepted_.fetch_add(1);
        open_.fetch_add(1);
        std::optional<tcp::endpoint> upstream;
        {
          std::lock_guard lock(mu_);
          upstream = upstream_;
        }
        auto session = std::make_shared<Session>(*this, std::move(socket), upstream);
        std::erase_if(sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
        sessions_.push_back(session);
        session->start();
      }
      accept();
    });
  }

  void close_everything(CloseMode mode) {
    error_code ignored;
    acceptor_.close(ignored);
    listening_ = false;
    for (auto& weak : sessions_) {
      if (auto s = weak.lock()) s->close(mode);
    }
    sessions_.clear();
  }

  boost::asio::io_context ioc_;  // first: destroyed last, after every socket and handler
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> listening_{false};
  std::atomic<size_t> accepted_{0};
  std::atomic<size_t> open_{0};
  std::vector<std::weak_ptr<Session>> sessions_;  // I/O thread only
  std::mt19937 rng_{20240607};                    // I/O thread only

  mutable std::mutex mu_;  // guards what follows
  std::condition_variable arrived_;
  std::optional<tcp::endpoint> upstream_;
  KafkaResponder responder_;
  std::function<void(const KafkaRequest&, std::vector<uint8_t>&)> filter_;
  std::vector<Fault> faults_;
  std::map<int16_t, size_t> requests_;

  std::thread thread_;  // last: started once everything above exists
};

// One KafkaFaultServer in front of each broker of a cluster; forwarded Metadata responses are
// rewritten so that every broker port of the cluster points at its front.
class KafkaFaultCluster {
 public:
  // `bootstraps`: "host:port,host:port,..." (rd_kafka_mock_cluster_bootstraps()).
  explicit KafkaFaultCluster(const std::string& bootstraps) {
    size_t start = 0;
    while (start <= bootstraps.size()) {
      const size_t comma = std::min(bootstraps.find(',', start), bootstraps.size());
      const std::string one = bootstraps.substr(start, comma - start);
      if (!one.empty()) {
        upstream_ports_.push_back(fault_detail::split_host_port(one).second);
        fronts_.push_back(std::make_unique<KafkaFaultServer>(one));
      }
      start = comma + 1;
    }
    if (fronts_.empty()) throw std::invalid_argument("no brokers in '" + bootstraps + "'");
    auto ports = std::make_shared<std::map<int32_t, int32_t>>();
    for (size_t i = 0; i < fronts_.size(); ++i) (*ports)[upstream_ports_[i]] = fronts_[i]->port();
    for (auto& front : fronts_) {
      front->set_response_filter([ports](const KafkaRequest& request, std::vector<uint8_t>& response) {
        if (request.api_key == kApiMetadata) rewrite_metadata_ports(response, request.api_version, *ports);
      });
    }
  }

  size_t size() const { return fronts_.size(); }
  // The front of the i-th broker of the bootstrap list.
  KafkaFaultServer& front(size_t i) { return *fronts_.at(i); }
  // The front of the broker whose real port is `upstream_port`.
  KafkaFaultServer& front_of(uint16_t upstream_port) {
    for (size_t i = 0; i < fronts_.size(); ++i) {
      if (upstream_ports_[i] == upstream_port) return *fronts_[i];
    }
    throw std::out_of_range("no front for port " + std::to_string(upstream_port));
  }
  // "127.0.0.1:p1,127.0.0.1:p2,...": the bootstrap list a client under test is given.
  std::string bootstraps() const {
    std::string out;
    for (const auto& front : fronts_) out += (out.empty() ? "" : ",") + front->address();
    return out;
  }
  size_t requests(int16_t api_key) const {
    size_t n = 0;
    for (const auto& front : fronts_) n += front->requests(api_key);
    return n;
  }
  size_t connections_accepted() const {
    size_t n = 0;
    for (const auto& front : fronts_) n += front->connections_accepted();
    return n;
  }
  size_t open_connections() const {
    size_t n = 0;
    for (const auto& front : fronts_) n += front->open_connections();
    return n;
  }

 private:
  std::vector<uint16_t> upstream_ports_;
  std::vector<std::unique_ptr<KafkaFaultServer>> fronts_;
};

}  // namespace lagwatch::testing
