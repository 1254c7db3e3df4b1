#include "kafka/net/connection.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "kafka/net/sasl_exchange.hpp"
#include "kafka/protocol/api_versions.hpp"
#include "kafka/protocol/error_codes.hpp"
#include "kafka/protocol/sasl.hpp"
#include "kafka/wire/frame.hpp"

namespace lagwatch::kafka::net {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

std::string millis(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

Connection::Connection(asio::io_context& io, const ConnectionOptions& options, std::string host, uint16_t port,
                       int32_t node_id, RequestCounter* counter)
    : io_(io),
      counter_(counter),
      options_(options),
      host_(std::move(host)),
      port_(port),
      node_id_(node_id),
      resolver_(io),
      socket_(io),
      deadline_timer_(io) {}

Connection::~Connection() {
  // Completions must still run exactly once; the owner normally fails everything first.
  fail_all("connection discarded");
}

std::string Connection::describe() const {
  const std::string where = host_ + ":" + std::to_string(port_);
  if (node_id_ < 0) return "bootstrap " + where;
  return "broker " + std::to_string(node_id_) + " (" + where + ")";
}

std::optional<wire::VersionRange> Connection::broker_versions(wire::ApiKey key) const {
  auto it = versions_.find(static_cast<int16_t>(key));
  if (it == versions_.end()) return std::nullopt;
  return it->second;
}

template <class F>
void Connection::with_stream(F&& f) {
  if (tls_) {
    f(*tls_);
  } else {
    f(socket_);
  }
}

void Connection::submit(wire::ApiKey key, Encoder encode, Completion done, SteadyClock::time_point deadline) {
  Pending p{key, std::move(encode), std::move(done), deadline};
  if (state_ == State::ready && !busy() && stale()) fail_all("connection closed by the broker while idle");
  if (state_ == State::ready) {
    dispatch(std::move(p));
    return;
  }
  if (state_ == State::closed && SteadyClock::now() < retry_after_) {
    p.done({{},
            -1,
            "not reconnecting to " + describe() + " for another " +
                millis(std::chrono::duration_cast<std::chrono::milliseconds>(retry_after_ - SteadyClock::now())) +
                " after: " + last_failure_});
    return;
  }
  waiting_.push_back(std::move(p));
  arm_deadline();
  if (state_ == State::closed) connect();
}

// A connection unused since the last round may have been closed by the broker (idle timeout,
// restart). A non-blocking peek tells without waiting: EOF or an error means it is gone, and
// bytes nobody asked for mean it is not in a state to trust.
bool Connection::stale() {
  char c;
  const ssize_t n = ::recv(socket_.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
  return true;
}

void Connection::connect() {
  state_ = State::connecting;
  const auto gen = ++generation_;
  auto self = shared_from_this();
  resolver_.async_resolve(
      host_, std::to_string(port_),
      [this, self, gen](const error_code& ec, asio::ip::tcp::resolver::results_type results) {
        if (gen != generation_) return;
        if (ec) return fail_all("cannot resolve " + host_ + ": " + ec.message());
        asio::async_connect(socket_, results, [this, self, gen](const error_code& ec2, const asio::ip::tcp::endpoint&) {
          if (gen != generation_) return;
          if (ec2) return fail_all("cannot connect to " + describe() + ": " + ec2.message());
          on_connected();
        });
      });
}

void Connection::on_connected() {
  error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  if (!options_.tls) {
    read_prefix();
    return handshake_api_versions(3);
  }
  tls_ = std::make_shared<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *options_.tls);
  // SNI (a host name only: RFC 6066 has no IP literals), and the certificate must name the host
  // lagwatch connected to (unless turned off). OpenSSL checks the name itself so that a
  // mismatch is reported as one ("hostname mismatch", "IP address mismatch") rather than as a
  // bare "certificate verify failed".
  error_code not_an_address;
  asio::ip::make_address(host_, not_an_address);
  if (not_an_address) SSL_set_tlsext_host_name(tls_->native_handle(), host_.c_str());
  if (options_.verify_hostname) {
    X509_VERIFY_PARAM* param = SSL_get0_param(tls_->native_handle());
    if (not_an_address) {
      X509_VERIFY_PARAM_set1_host(param, host_.c_str(), host_.size());
    } else {
      X509_VERIFY_PARAM_set1_ip_asc(param, host_.c_str());
    }
  }
  const auto gen = generation_;
  auto self = shared_from_this();
  tls_->async_handshake(asio::ssl::stream_base::client, [this, self, gen, tls = tls_](const error_code& ec) {
    if (gen != generation_) return;
    if (ec) {
      // Why the certificate was refused (unknown CA, expired, name mismatch), when it was.
      std::string why = ec.message();
      const long verify = SSL_get_verify_result(tls->native_handle());
      if (verify != X509_V_OK) why += ": " + std::string(X509_verify_cert_error_string(verify));
      return fail_all("TLS handshake with " + describe() + " failed: " + why);
    }
    read_prefix();
    handshake_api_versions(3);
  });
}

void Connection::handshake_api_versions(int16_t version) {
  protocol::ApiVersionsRequest request;
  request.client_software_name = "lagwatch";
  request.client_software_version = LAGWATCH_VERSION;
  wire::Writer w;
  protocol::encode(w, request, version);
  Pending p{wire::ApiKey::api_versions, nullptr,
            [this, version](Answer a) {
              if (!a.ok()) return;  // fail_all already ran
              try {
                auto r = wire::response_body(a.frame, wire::ApiKey::api_versions, version);
                auto response = protocol::decode_api_versions_response(r, version);
                if (response.error_code == 35 && version > 0) {
                  // UNSUPPORTED_VERSION (KIP-511): the answer lists what the broker has; ask again
                  // at its highest ApiVersions version.
                  int16_t retry = 0;
                  for (const auto& k : response.api_keys) {
                    if (k.api_key == static_cast<int16_t>(wire::ApiKey::api_versions)) retry = k.max_version;
                  }
                  return handshake_api_versions(std::min<int16_t>(retry, static_cast<int16_t>(version - 1)));
                }
                if (response.error_code != 0) {
                  return fail_all("ApiVersions to " + describe() + " failed with error " +
                                  std::to_string(response.error_code));
                }
                versions_.clear();
                for (const auto& k : response.api_keys) versions_[k.api_key] = {k.min_version, k.max_version};
              } catch (const std::exception& e) {
                // A broker that refuses the version may answer in a layout no version has
                // (librdkafka 2.0.2's mock does, for v3). Its error code comes first in every
                // layout: on UNSUPPORTED_VERSION ask again at v0, which every broker speaks.
                auto r = wire::response_body(a.frame, wire::ApiKey::api_versions, version);
                if (version > 0 && r.remaining() >= 2 && r.int16("error_code") == 35) return handshake_api_versions(0);
                return fail_all("ApiVersions answer from " + describe() + " does not decode: " + e.what());
              }
              authenticate();
            },
            SteadyClock::now() + options_.request_timeout};
  send_now(wire::ApiKey::api_versions, version, w.bytes(), std::move(p));
}

void Connection::authenticate() {
  if (options_.sasl.mechanism == SaslMechanism::none) return become_ready();
  // SaslHandshake v1 and SaslAuthenticate (Kafka 1.0+); the v0 handshake's raw tokens are not
  // spoken.
  const auto handshake = broker_versions(wire::ApiKey::sasl_handshake);
  const auto version = handshake ? wire::pick_version(wire::ApiKey::sasl_handshake, *handshake) : std::nullopt;
  const auto auth = broker_versions(wire::ApiKey::sasl_authenticate);
  const auto auth_version = auth ? wire::pick_version(wire::ApiKey::sasl_authenticate, *auth) : std::nullopt;
  if (!version || *version < 1 || !auth_version) {
    return fail_all(describe() + " has no SaslHandshake v1 / SaslAuthenticate (Kafka 1.0 or newer is needed for SASL)");
  }
  auto exchange = std::make_shared<SaslExchange>(options_.sasl);
  protocol::SaslHandshakeRequest request{exchange->mechanism_name()};
  wire::Writer w;
  protocol::encode(w, request, *version);
  const int16_t v = *version;
  const int16_t av = *auth_version;
  send_now(wire::ApiKey::sasl_handshake, v, w.bytes(),
           Pending{wire::ApiKey::sasl_handshake, nullptr,
                   [this, exchange, v, av](Answer a) {
                     if (!a.ok()) return;
                     try {
                       auto r = wire::response_body(a.frame, wire::ApiKey::sasl_handshake, v);
                       const auto response = protocol::decode_sasl_handshake_response(r, v);
                       if (response.error_code != 0) {
                         std::string offered;
                         for (const auto& m : response.mechanisms) offered += (offered.empty() ? "" : ", ") + m;
                         return fail_all(describe() + " does not enable SASL mechanism " + exchange->mechanism_name() +
                                         " (it offers: " + offered + ")");
                       }
                       sasl_step(exchange, av, exchange->first_token());
                     } catch (const std::exception& e) {
                       fail_all("SASL handshake with " + describe() + " failed: " + e.what());
                     }
                   },
                   SteadyClock::now() + options_.request_timeout});
}

void Connection::sasl_step(std::shared_ptr<SaslExchange> exchange, int16_t version, std::vector<uint8_t> token) {
  protocol::SaslAuthenticateRequest request{std::move(token)};
  wire::Writer w;
  protocol::encode(w, request, version);
  send_now(wire::ApiKey::sasl_authenticate, version, w.bytes(),
           Pending{wire::ApiKey::sasl_authenticate, nullptr,
                   [this, exchange, version](Answer a) {
                     if (!a.ok()) return;
                     try {
                       auto r = wire::response_body(a.frame, wire::ApiKey::sasl_authenticate, version);
                       const auto response = protocol::decode_sasl_authenticate_response(r, version);
                       if (response.error_code != 0) {
                         return fail_all("SASL " + std::string(exchange->mechanism_name()) + " authentication with " +
                                         describe() + " failed: " + protocol::describe_error(response.error_code) +
                                         (response.error_message ? ": " + *response.error_message : ""));
                       }
                       if (auto next = exchange->next(response.auth_bytes)) return sasl_step(exchange, version, *next);
                       become_ready();
                     } catch (const std::exception& e) {
                       fail_all("SASL " + std::string(exchange->mechanism_name()) + " authentication with " +
                                describe() + " failed: " + e.what());
                     }
                   },
                   SteadyClock::now() + options_.request_timeout});
}

void Connection::become_ready() {
  state_ = State::ready;
  backoff_ = std::chrono::milliseconds(0);
  last_failure_.clear();
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto& p : waiting) dispatch(std::move(p));
}

void Connection::dispatch(Pending p) {
  const auto range = broker_versions(p.key);
  const auto version = range ? wire::pick_version(p.key, *range) : std::nullopt;
  if (!version) {
    p.done(
        {{}, -1, describe() + " does not support " + wire::api_name(p.key) + " at any version lagwatch speaks", true});
    return;
  }
  std::vector<uint8_t> body;
  try {
    body = p.encode(*version);
  } catch (const std::exception& e) {
    p.done({{}, *version, "cannot encode " + wire::api_name(p.key) + ": " + e.what()});
    return;
  }
  p.version = *version;
  send_now(p.key, *version, body, std::move(p));
}

void Connection::send_now(wire::ApiKey key, int16_t version, const std::vector<uint8_t>& body, Pending p) {
  const int32_t id = next_correlation_id_;
  next_correlation_id_ = next_correlation_id_ == INT32_MAX ? 1 : next_correlation_id_ + 1;
  p.version = version;
  if (counter_) ++(*counter_)[static_cast<int16_t>(key)];
  write_queue_.push_back(wire::frame_request(key, version, id, options_.client_id, body));
  in_flight_.emplace(id, std::move(p));
  arm_deadline();
  write_next();
}

void Connection::write_next() {
  if (writing_ || write_queue_.empty()) return;
  writing_ = true;
  const auto gen = generation_;
  auto self = shared_from_this();
  with_stream([&](auto& stream) {
    asio::async_write(stream, asio::buffer(write_queue_.front()),
                      [this, self, gen, tls = tls_](const error_code& ec, size_t) {
                        if (gen != generation_) return;
                        writing_ = false;
                        if (ec) return fail_all("writing to " + describe() + " failed: " + ec.message());
                        write_queue_.pop_front();
                        write_next();
                      });
  });
}

void Connection::read_prefix() {
  const auto gen = generation_;
  auto self = shared_from_this();
  with_stream([&](auto& stream) {
    asio::async_read(stream, asio::buffer(prefix_), [this, self, gen, tls = tls_](const error_code& ec, size_t) {
      if (gen != generation_) return;
      if (ec == asio::error::operation_aborted) return;
      if (ec) {
        return fail_all(ec == asio::error::eof ? describe() + " closed the connection"
                                               : "reading from " + describe() + " failed: " + ec.message());
      }
      size_t size;
      try {
        size = wire::frame_size(prefix_, options_.max_frame_bytes);
      } catch (const std::exception& e) {
        return fail_all(describe() + " sent a bad frame: " + e.what());
      }
      read_body(size);
    });
  });
}

void Connection::read_body(size_t size) {
  frame_.resize(size);
  const auto gen = generation_;
  auto self = shared_from_this();
  with_stream([&](auto& stream) {
    asio::async_read(stream, asio::buffer(frame_), [this, self, gen, tls = tls_](const error_code& ec, size_t) {
      if (gen != generation_) return;
      if (ec == asio::error::operation_aborted) return;
      if (ec) {
        return fail_all(ec == asio::error::eof ? describe() + " closed the connection in the middle of a response"
                                               : "reading from " + describe() + " failed: " + ec.message());
      }
      on_frame();
    });
  });
}

void Connection::on_frame() {
  const int32_t id = wire::response_correlation_id(frame_);  // frame_size guarantees >= 4 bytes
  auto it = in_flight_.find(id);
  if (it == in_flight_.end()) {
    return fail_all(describe() + " answered correlation id " + std::to_string(id) + ", which no request has");
  }
  Pending p = std::move(it->second);
  in_flight_.erase(it);
  Answer a{std::move(frame_), p.version, {}};
  frame_ = {};
  const auto gen = generation_;
  read_prefix();
  arm_deadline();
  p.done(std::move(a));
  (void)gen;
}

void Connection::arm_deadline() {
  auto earliest = SteadyClock::time_point::max();
  for (const auto& p : waiting_) earliest = std::min(earliest, p.deadline);
  for (const auto& [id, p] : in_flight_) earliest = std::min(earliest, p.deadline);
  if (earliest == SteadyClock::time_point::max()) {
    deadline_timer_.cancel();
    return;
  }
  deadline_timer_.expires_at(earliest);
  const auto gen = generation_;
  auto self = shared_from_this();
  deadline_timer_.async_wait([this, self, gen](const error_code& ec) {
    if (ec || gen != generation_) return;
    on_deadline();
  });
}

void Connection::on_deadline() {
  const auto now = SteadyClock::now();
  bool expired = false;
  for (const auto& p : waiting_) expired = expired || p.deadline <= now;
  for (const auto& [id, p] : in_flight_) expired = expired || p.deadline <= now;
  if (!expired) return arm_deadline();
  // A late answer could still arrive; like Kafka's own clients, give up on the connection
  // rather than keep a half-known state.
  std::string what = state_ == State::ready ? "no answer from " + describe() : "no connection to " + describe();
  fail_all(what + " within " + millis(options_.request_timeout));
}

void Connection::fail_all(const std::string& reason) {
  const bool had_socket = state_ != State::closed;
  ++generation_;
  if (had_socket || socket_.is_open()) {
    error_code ignored;
    resolver_.cancel();
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
  tls_.reset();
  deadline_timer_.cancel();
  if (state_ != State::ready && had_socket) {
    // Connecting failed: back off before the next attempt.
    backoff_ = std::clamp(backoff_ * 2, options_.reconnect_backoff_min, options_.reconnect_backoff_max);
    retry_after_ = SteadyClock::now() + backoff_;
  }
  state_ = State::closed;
  last_failure_ = reason;
  versions_.clear();
  write_queue_.clear();
  writing_ = false;
  frame_.clear();
  auto waiting = std::move(waiting_);
  waiting_.clear();
  auto in_flight = std::move(in_flight_);
  in_flight_.clear();
  for (auto& [id, p] : in_flight) {
    if (p.done) p.done({{}, p.version, reason});
  }
  for (auto& p : waiting) {
    if (p.done) p.done({{}, -1, reason});
  }
}

}  // namespace lagwatch::kafka::net
