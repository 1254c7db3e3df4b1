// A Kafka front that does the security a real broker's listener does — TLS termination and/or
// SASL authentication — and forwards everything else, in plaintext, to an upstream broker (a
// librdkafka mock cluster broker, which has neither). For tests of lagwatch's own Kafka
// client's SSL, SASL_PLAINTEXT and SASL_SSL.
//
// KafkaSecureFront listens on 127.0.0.1 (ephemeral port, `port()`), on its own I/O thread, and
// for each accepted connection opens one plaintext connection to the upstream. Then:
//   - TLS (options.tls_cert_file + tls_key_file set): a server-side TLS handshake with that
//     certificate chain and key (no client certificate asked for). A failed handshake closes
//     the connection (counted: tls_failures()).
//   - SASL (options.sasl_mechanisms not empty), the server side written here by hand, as the
//     independent oracle (only lagwatch's wire Reader/Writer primitives are reused):
//       ApiVersions        forwarded before and after authentication (Kafka answers it
//                          pre-auth); the answer is patched to offer SaslHandshake v0-1 (or
//                          up to options.sasl_handshake_max_version) and SaslAuthenticate
//                          v0-2, which the mock may not list.
//       SaslHandshake v0-1 answered here: error 0 and the enabled mechanisms when the requested
//                          one is enabled, else 33 UNSUPPORTED_SASL_MECHANISM and the list.
//                          After a v0 handshake Kafka expects raw tokens (KIP-43), which this
//                          front does not serve: the next frame closes the connection.
//       SaslAuthenticate v0-2 answered here, for the mechanism of the handshake:
//                          PLAIN (RFC 4616) against options.users;
//                          SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802): a fresh 16-byte salt and
//                          a server nonce per exchange, `scram_iterations` (4096), StoredKey
//                          and ServerKey from the user's password, the client proof verified,
//                          "v=<server signature>" sent back (deliberately wrong while
//                          set_bad_server_signature(true)).
//                          A failure answers 58 SASL_AUTHENTICATION_FAILED with a message (the
//                          texts of Kafka's own PLAIN and SCRAM servers) and then closes the
//                          connection, as Kafka does.
//       anything else before authentication, a SaslAuthenticate without handshake, or a second
//                          handshake: the connection is closed without an answer (Kafka's
//                          IllegalSaslStateException) — counted: refused_before_auth().
// Requests are handled one at a time per connection, in order (a client may still pipeline:
// the next one waits in the socket). Forwarded responses pass through the response filter
// (KafkaSecureCluster rewrites Metadata ports with it).
//
// KafkaSecureCluster puts one front, with the same options, in front of every broker of a
// cluster and rewrites the broker ports in forwarded Metadata answers (rewrite_metadata_ports
// of kafka_fault_server.hpp), so a client that bootstraps from one front stays on the fronts.
//
// Example:
//   SecureFrontOptions o;
//   o.tls_cert_file = pki.server_cert_file; o.tls_key_file = pki.server_key_file;
//   o.sasl_mechanisms = {"SCRAM-SHA-512"}; o.users = {{"alice", "alice-secret"}};
//   KafkaSecureCluster fronts(mock.bootstrap_servers(), o);
//   ... bootstrap lagwatch from fronts.bootstraps() with SASL_SSL ...
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"
#include "kafka_fault_server.hpp"

namespace lagwatch::testing {

inline constexpr int16_t kApiSaslHandshake = 17;
inline constexpr int16_t kApiSaslAuthenticate = 36;
inline constexpr int16_t kErrorUnsupportedSaslMechanism = 33;
inline constexpr int16_t kErrorSaslAuthenticationFailed = 58;

struct SecureFrontOptions {
  // TLS when both are set (PEM files).
  std::string tls_cert_file;
  std::string tls_key_file;
  // SASL when not empty: "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512".
  std::vector<std::string> sasl_mechanisms;
  std::map<std::string, std::string> users;  // username -> password
  int scram_iterations = 4096;
  int16_t sasl_handshake_max_version = 1;  // what the patched ApiVersions offers
};

namespace secure_detail {

inline std::string base64(std::span<const uint8_t> bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

inline std::optional<std::vector<uint8_t>> unbase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::vector<uint8_t> out(text.size() / 4 * 3);
  const int n =
      EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

inline std::vector<uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

inline std::vector<uint8_t> hmac(const EVP_MD* md, std::span<const uint8_t> key, std::string_view data) {
  std::vector<uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  if (!HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out.data(), &n)) {
    throw std::runtime_error("HMAC failed");
  }
  out.resize(n);
  return out;
}

inline std::vector<uint8_t> digest(const EVP_MD* md, std::span<const uint8_t> data) {
  std::vector<uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, md, nullptr) != 1) throw std::runtime_error("digest failed");
  out.resize(n);
  return out;
}

inline std::vector<uint8_t> random_bytes(size_t n) {
  std::vector<uint8_t> out(n);
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
  return out;
}

// "k=v,k=v,..." -> the value of attribute `key` (one letter), or nullopt.
inline std::optional<std::string> attribute(std::string_view message, char key) {
  size_t start = 0;
  while (start <= message.size()) {
    const size_t comma = std::min(message.find(',', start), message.size());
    const std::string_view part = message.substr(start, comma - start);
    if (part.size() >= 2 && part[0] == key && part[1] == '=') return std::string(part.substr(2));
    start = comma + 1;
  }
  return std::nullopt;
}

// RFC 5802 saslname: "=2C" -> ",", "=3D" -> "="; nullopt for any other '=' escape.
inline std::optional<std::string> unescape_saslname(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '=') {
      out += s[i];
      continue;
    }
    if (s.substr(i, 3) == "=2C") {
      out += ',';
    } else if (s.substr(i, 3) == "=3D") {
      out += '=';
    } else {
      return std::nullopt;
    }
    i += 2;
  }
  return out;
}

// What one SASL token got: the server's token, or a failure message; `done` when the client
// is authenticated after this token.
struct SaslStep {
  std::vector<uint8_t> token;
  std::optional<std::string> failure;
  bool done = false;
};

// The server side of one SASL exchange for one mechanism.
class SaslServer {
 public:
  SaslServer(std::string mechanism, const std::map<std::string, std::string>& users, int iterations, bool bad_signature)
      : mechanism_(std::move(mechanism)), users_(users), iterations_(iterations), bad_signature_(bad_signature) {
    if (mechanism_ == "SCRAM-SHA-256") md_ = EVP_sha256();
    if (mechanism_ == "SCRAM-SHA-512") md_ = EVP_sha512();
  }

  SaslStep step(std::span<const uint8_t> token) {
    const std::string_view text(reinterpret_cast<const char*>(token.data()), token.size());
    if (mechanism_ == "PLAIN") return plain(text);
    if (!md_) return fail("unsupported mechanism " + mechanism_);
    return stage_ == 0 ? scram_first(text) : scram_final(text);
  }

 private:
  SaslStep fail(std::string message) { return {{}, std::move(message), false}; }

  // Kafka's PlainSaslServer: "Authentication failed: Invalid username or password".
  SaslStep plain(std::string_view text) {
    const size_t a = text.find('\0');
    const size_t b = a == std::string_view::npos ? a : text.find('\0', a + 1);
    if (b == std::string_view::npos) return fail("Invalid SASL/PLAIN response: expected 3 tokens");
    const std::string_view authzid = text.substr(0, a);
    const std::string user(text.substr(a + 1, b - a - 1));
    const std::string password(text.substr(b + 1));
    if (!authzid.empty() && authzid != user)
      return fail("Authentication failed: Client requested an authorization id that is different from username");
    const auto it = users_.find(user);
    if (it == users_.end() || it->second != password)
      return fail("Authentication failed: Invalid username or password");
    return {{}, std::nullopt, true};
  }

  SaslStep invalid_credentials() {
    return fail("Authentication failed during authentication due to invalid credentials with SASL mechanism " +
                mechanism_);
  }

  // client-first: gs2-header ("n,," or "y,,", optionally "a=authzid") then "n=user,r=nonce".
  SaslStep scram_first(std::string_view text) {
    if (text.size() < 3 || (text[0] != 'n' && text[0] != 'y') || text[1] != ',') {
      return fail("Invalid SCRAM client first message: bad GS2 header");
    }
    const size_t second_comma = text.find(',', 2);
    if (second_comma == std::string_view::npos) return fail("Invalid SCRAM client first message: bad GS2 header");
    gs2_header_ = std::string(text.substr(0, second_comma + 1));
    client_first_bare_ = std::string(text.substr(second_comma + 1));
    const auto name = attribute(client_first_bare_, 'n');
    const auto nonce = attribute(client_first_bare_, 'r');
    if (client_first_bare_.rfind("n=", 0) != 0 || !name || !nonce || nonce->empty()) {
      return fail("Invalid SCRAM client first message");
    }
    const auto user = unescape_saslname(*name);
    if (!user) return fail("Invalid SCRAM client first message: bad username escape");
    const auto it = users_.find(*user);
    if (it == users_.end()) return invalid_credentials();
    // The credential a broker stores (kafka-configs --add-config 'SCRAM-SHA-512=[...]').
    const auto salt = random_bytes(16);
    std::vector<uint8_t> salted(static_cast<size_t>(EVP_MD_get_size(md_)));
    if (PKCS5_PBKDF2_HMAC(it->second.data(), static_cast<int>(it->second.size()), salt.data(),
                          static_cast<int>(salt.size()), iterations_, md_, static_cast<int>(salted.size()),
                          salted.data()) != 1) {
      throw std::runtime_error("PBKDF2 failed");
    }
    stored_key_ = digest(md_, hmac(md_, salted, "Client Key"));
    server_key_ = hmac(md_, salted, "Server Key");
    nonce_ = *nonce + base64(random_bytes(18));
    server_first_ = "r=" + nonce_ + ",s=" + base64(salt) + ",i=" + std::to_string(iterations_);
    stage_ = 1;
    return {bytes_of(server_first_), std::nullopt, false};
  }

  // client-final: "c=<base64 gs2 header>,r=<nonce>,p=<base64 proof>", p last.
  SaslStep scram_final(std::string_view text) {
    stage_ = 2;
    const size_t p = text.rfind(",p=");
    if (p == std::string_view::npos) return fail("Invalid SCRAM client final message: no proof");
    const std::string without_proof(text.substr(0, p));
    const auto channel = attribute(without_proof, 'c');
    const auto nonce = attribute(without_proof, 'r');
    if (!channel || *channel != base64(bytes_of(gs2_header_))) {
      return fail("Invalid SCRAM client final message: channel binding does not match");
    }
    if (!nonce || *nonce != nonce_) return fail("Invalid SCRAM client final message: nonce does not match");
    const auto proof = unbase64(text.substr(p + 3));
    if (!proof || proof->size() != stored_key_.size()) return invalid_credentials();
    const std::string auth_message = client_first_bare_ + "," + server_first_ + "," + without_proof;
    const auto client_signature = hmac(md_, stored_key_, auth_message);
    std::vector<uint8_t> client_key(proof->size());
    for (size_t i = 0; i < client_key.size(); ++i) client_key[i] = (*proof)[i] ^ client_signature[i];
    if (digest(md_, client_key) != stored_key_) return invalid_credentials();
    auto server_signature = hmac(md_, server_key_, auth_message);
    if (bad_signature_) server_signature[0] ^= 0x5a;
    return {bytes_of("v=" + base64(server_signature)), std::nullopt, true};
  }

  std::string mechanism_;
  const std::map<std::string, std::string>& users_;
  int iterations_;
  bool bad_signature_;
  const EVP_MD* md_ = nullptr;
  int stage_ = 0;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;
  std::vector<uint8_t> stored_key_;
  std::vector<uint8_t> server_key_;
};

// A request frame (without size prefix) split into its header fields and a Reader at the body.
// Request header v1 (client_id) for non-flexible versions, v2 (plus tagged fields) otherwise.
struct ParsedRequest {
  int16_t api_key = 0;
  int16_t api_version = 0;
  int32_t correlation_id = 0;
  size_t body_offset = 0;
};

inline ParsedRequest parse_request_header(std::span<const uint8_t> frame, bool flexible_header) {
  kafka::wire::Reader r(frame);
  ParsedRequest p;
  p.api_key = r.int16("api_key");
  p.api_version = r.int16("api_version");
  p.correlation_id = r.int32("correlation_id");
  r.nullable_string("client_id", false);  // never compact, even in header v2
  if (flexible_header) r.skip_tagged_fields();
  p.body_offset = r.position();
  return p;
}

// Rewrites a forwarded ApiVersions answer (frame without size prefix; header v0 in every
// version) so that it offers SaslHandshake v0-`handshake_max` and SaslAuthenticate v0-2.
// Answers with an error, or that do not parse, are left alone (the client asks again).
inline void offer_sasl(std::vector<uint8_t>& frame, int16_t version, int16_t handshake_max) {
  try {
    kafka::wire::Reader r(frame);
    const int32_t correlation_id = r.int32("correlation_id");
    const int16_t error_code = r.int16("error_code");
    if (error_code != 0) return;
    const bool flexible = version >= 3;
    const size_t n = r.count("api_keys", flexible, 6);
    std::map<int16_t, std::pair<int16_t, int16_t>> keys;
    for (size_t i = 0; i < n; ++i) {
      const int16_t key = r.int16("api_key");
      const int16_t min = r.int16("min_version");
      const int16_t max = r.int16("max_version");
      if (flexible) r.skip_tagged_fields();
      keys[key] = {min, max};
    }
    const auto rest = r.raw(r.remaining(), "rest");
    keys[kApiSaslHandshake] = {0, handshake_max};
    keys[kApiSaslAuthenticate] = {0, 2};
    kafka::wire::Writer w;
    w.int32(correlation_id);
    w.int16(error_code);
    w.array_length(keys.size(), flexible);
    for (const auto& [key, range] : keys) {
      w.int16(key);
      w.int16(range.first);
      w.int16(range.second);
      if (flexible) w.no_tagged_fields();
    }
    w.raw(rest);
    frame = w.take();
  } catch (const kafka::wire::DecodeError&) {
  }
}

}  // namespace secure_detail

class KafkaSecureFront {
 public:
  using ResponseFilter = std::function<void(int16_t api_key, int16_t api_version, std::vector<uint8_t>& frame)>;

  // `upstream`: "host:port" of the broker everything but TLS and SASL is forwarded to.
  KafkaSecureFront(const std::string& upstream, SecureFrontOptions options)
      : options_(std::move(options)), work_(ioc_.get_executor()), acceptor_(ioc_) {
    if (!options_.tls_cert_file.empty()) {
      namespace ssl = boost::asio::ssl;
      tls_ = std::make_unique<ssl::context>(ssl::context::tls_server);
      tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
      tls_->use_certificate_chain_file(options_.tls_cert_file);
      tls_->use_private_key_file(options_.tls_key_file, ssl::context::pem);
    }
    const auto [host, port] = fault_detail::split_host_port(upstream);
    boost::asio::ip::tcp::resolver resolver(ioc_);
    upstream_ = resolver.resolve(boost::asio::ip::tcp::v4(), host, std::to_string(port)).begin()->endpoint();
    const tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~KafkaSecureFront() {
    std::promise<void> done;
    boost::asio::post(ioc_, [&] {
      error_code ignored;
      acceptor_.close(ignored);
      for (auto& weak : sessions_) {
        if (auto s = weak.lock()) s->close();
      }
      sessions_.clear();
      ioc_.stop();
      done.set_value();
    });
    done.get_future().wait();
    thread_.join();
  }
  KafkaSecureFront(const KafkaSecureFront&) = delete;
  KafkaSecureFront& operator=(const KafkaSecureFront&) = delete;

  uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // "localhost:<port>": for clients that must connect by name.
  std::string localhost_address() const { return "localhost:" + std::to_string(port_); }

  // Called on every forwarded response frame (without size prefix), on the I/O thread.
  void set_response_filter(ResponseFilter filter) {
    std::lock_guard lock(mu_);
    filter_ = std::move(filter);
  }
  // SCRAM exchanges started from now on send a server signature that does not verify.
  void set_bad_server_signature(bool bad) { bad_signature_.store(bad); }

  size_t connections_accepted() const { return accepted_.load(); }
  size_t tls_failures() const { return tls_failures_.load(); }
  size_t authentications() const { return authenticated_.load(); }
  size_t authentication_failures() const { return auth_failures_.load(); }
  size_t refused_before_auth() const { return refused_.load(); }
  size_t forwarded(int16_t api_key) const {
    std::lock_guard lock(mu_);
    const auto it = forwarded_.find(api_key);
    return it == forwarded_.end() ? 0 : it->second;
  }

 private:
  using tcp = boost::asio::ip::tcp;
  using error_code = boost::system::error_code;

  class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(KafkaSecureFront& front, tcp::socket client) : front_(front), client_(std::move(client)), up_(front.ioc_) {
      if (front_.tls_) tls_ = std::make_unique<boost::asio::ssl::stream<tcp::socket&>>(client_, *front_.tls_);
      authenticated_ = front_.options_.sasl_mechanisms.empty();
    }

    void start() {
      up_.async_connect(front_.upstream_, [self = shared_from_this()](const error_code& ec) {
        if (self->closed_) return;
        if (ec) return self->close();
        if (!self->tls_) return self->read_request();
        self->tls_->async_handshake(boost::asio::ssl::stream_base::server, [self](const error_code& ec2) {
          if (self->closed_) return;
          if (ec2) {
            self->front_.tls_failures_.fetch_add(1);
            return self->close();
          }
          self->read_request();
        });
      });
    }

    void close() {
      if (closed_) return;
      closed_ = true;
      error_code ignored;
      client_.shutdown(tcp::socket::shutdown_both, ignored);
      client_.close(ignored);
      up_.close(ignored);
    }

   private:
    template <class F>
    void with_stream(F&& f) {
      if (tls_) {
        f(*tls_);
      } else {
        f(client_);
      }
    }

    void read_request() {
      with_stream([&](auto& stream) {
        boost::asio::async_read(
            stream, boost::asio::buffer(prefix_), [self = shared_from_this()](const error_code& ec, size_t) {
              if (self->closed_) return;
              if (ec) return self->close();
              const uint32_t size = fault_detail::be32(self->prefix_.data());
              if (size < 8 || size > kFaultServerMaxRequestBytes) return self->close();
              self->frame_.assign(size, 0);
              self->with_stream([&](auto& s) {
                boost::asio::async_read(s, boost::asio::buffer(self->frame_), [self](const error_code& ec2, size_t) {
                  if (self->closed_) return;
                  if (ec2) return self->close();
                  self->on_request();
                });
              });
            });
      });
    }

    void on_request() {
      const int16_t key = fault_detail::be16(frame_.data());
      const int16_t version = fault_detail::be16(frame_.data() + 2);
      try {
        if (key == kApiApiVersions) return forward(key, version);
        if (authenticated_) {
          if (key == kApiSaslHandshake || key == kApiSaslAuthenticate) return refuse();
          return forward(key, version);
        }
        if (handshake_v0_) return refuse();  // raw KIP-43 tokens: not served
        if (key == kApiSaslHandshake && !server_) return handshake(version);
        if (key == kApiSaslAuthenticate && server_) return authenticate(version);
        return refuse();
      } catch (const std::exception&) {
        close();  // a request that does not parse
      }
    }

    void refuse() {
      front_.refused_.fetch_add(1);
      close();
    }

    void handshake(int16_t version) {
      if (version < 0 || version > 1) return refuse();
      const auto h = secure_detail::parse_request_header(frame_, false);
      kafka::wire::Reader r(std::span<const uint8_t>(frame_).subspan(h.body_offset));
      const std::string mechanism = r.string("mechanism", false);
      const auto& enabled = front_.options_.sasl_mechanisms;
      const bool ok = std::find(enabled.begin(), enabled.end(), mechanism) != enabled.end();
      kafka::wire::Writer w;
      w.int16(ok ? 0 : kErrorUnsupportedSaslMechanism);
      w.array_length(enabled.size(), false);
      for (const auto& m : enabled) w.string(m, false);
      if (ok) {
        server_ = std::make_unique<secure_detail::SaslServer>(
            mechanism, front_.options_.users, front_.options_.scram_iterations, front_.bad_signature_.load());
        handshake_v0_ = version == 0;
      }
      // Kafka keeps the connection after an unsupported mechanism: the client may try another.
      respond(kafka_response(h.correlation_id, false, w.bytes()), false);
    }

    void authenticate(int16_t version) {
      if (version < 0 || version > 2) return refuse();
      const bool flexible = version >= 2;
      const auto h = secure_detail::parse_request_header(frame_, flexible);
      kafka::wire::Reader r(std::span<const uint8_t>(frame_).subspan(h.body_offset));
      const auto token = r.bytes("auth_bytes", flexible);
      const auto step = server_->step(token);
      kafka::wire::Writer w;
      w.int16(step.failure ? kErrorSaslAuthenticationFailed : 0);
      w.nullable_string(step.failure, flexible);
      w.bytes(step.token, flexible);
      if (version >= 1) w.int64(0);  // session_lifetime_ms: no re-authentication
      if (flexible) w.no_tagged_fields();
      if (step.failure) {
        front_.auth_failures_.fetch_add(1);
      } else if (step.done) {
        authenticated_ = true;
        server_.reset();
        front_.authenticated_.fetch_add(1);
      }
      respond(kafka_response(h.correlation_id, flexible, w.bytes()), step.failure.has_value());
    }

    void forward(int16_t key, int16_t version) {
      {
        std::lock_guard lock(front_.mu_);
        ++front_.forwarded_[key];
      }
      out_ = fault_detail::with_size_prefix(frame_, static_cast<uint32_t>(frame_.size()));
      boost::asio::async_write(
          up_, boost::asio::buffer(out_), [self = shared_from_this(), key, version](const error_code& ec, size_t) {
            if (self->closed_) return;
            if (ec) return self->close();
            boost::asio::async_read(
                self->up_, boost::asio::buffer(self->prefix_), [self, key, version](const error_code& ec2, size_t) {
                  if (self->closed_) return;
                  if (ec2) return self->close();
                  const uint32_t size = fault_detail::be32(self->prefix_.data());
                  if (size < 4 || size > kFaultServerMaxResponseBytes) return self->close();
                  self->frame_.assign(size, 0);
                  boost::asio::async_read(
                      self->up_, boost::asio::buffer(self->frame_),
                      [self, key, version](const error_code& ec3, size_t) {
                        if (self->closed_) return;
                        if (ec3) return self->close();
                        auto answer = std::move(self->frame_);
                        if (key == kApiApiVersions && !self->front_.options_.sasl_mechanisms.empty()) {
                          secure_detail::offer_sasl(answer, version, self->front_.options_.sasl_handshake_max_version);
                        }
                        ResponseFilter filter;
                        {
                          std::lock_guard lock(self->front_.mu_);
                          filter = self->front_.filter_;
                        }
                        if (filter) filter(key, version, answer);
                        self->respond(answer, false);
                      });
                });
          });
    }

    // Writes one response frame (without size prefix), then reads the next request, or closes.
    void respond(const std::vector<uint8_t>& frame, bool close_after) {
      out_ = fault_detail::with_size_prefix(frame, static_cast<uint32_t>(frame.size()));
      with_stream([&](auto& stream) {
        boost::asio::async_write(stream, boost::asio::buffer(out_),
                                 [self = shared_from_this(), close_after](const error_code& ec, size_t) {
                                   if (self->closed_) return;
                                   if (ec || close_after) return self->close();
                                   self->read_request();
                                 });
      });
    }

    KafkaSecureFront& front_;
    tcp::socket client_;
    tcp::socket up_;
    std::unique_ptr<boost::asio::ssl::stream<tcp::socket&>> tls_;
    bool closed_ = false;
    bool authenticated_ = false;
    bool handshake_v0_ = false;
    std::unique_ptr<secure_detail::SaslServer> server_;  // set by a successful handshake
    std::array<uint8_t, 4> prefix_{};
    std::vector<uint8_t> frame_;
    std::vector<uint8_t> out_;
  };

  void accept() {
    acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
      if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) {
        accepted_.fetch_add(1);
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto session = std::make_shared<Session>(*this, std::move(socket));
        std::erase_if(sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
        sessions_.push_back(session);
        session->start();
      }
      accept();
    });
  }

  const SecureFrontOptions options_;
  std::unique_ptr<boost::asio::ssl::context> tls_;  // before ioc_: outlives every session
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  tcp::acceptor acceptor_;
  tcp::endpoint upstream_;
  uint16_t port_ = 0;
  std::vector<std::weak_ptr<Session>> sessions_;  // I/O thread only
  std::atomic<bool> bad_signature_{false};
  std::atomic<size_t> accepted_{0};
  std::atomic<size_t> tls_failures_{0};
  std::atomic<size_t> authenticated_{0};
  std::atomic<size_t> auth_failures_{0};
  std::atomic<size_t> refused_{0};
  mutable std::mutex mu_;  // guards what follows
  ResponseFilter filter_;
  std::map<int16_t, size_t> forwarded_;
  std::thread thread_;  // last: started once everything above exists
};

// One KafkaSecureFront (same options) in front of each broker of a cluster; forwarded Metadata
// answers name the fronts' ports instead of the brokers'.
class KafkaSecureCluster {
 public:
  // `bootstraps`: "host:port,host:port,..." (a mock cluster's bootstrap list).
  KafkaSecureCluster(const std::string& bootstraps, const SecureFrontOptions& options) {
    std::vector<uint16_t> upstream_ports;
    size_t start = 0;
    while (start <= bootstraps.size()) {
      const size_t comma = std::min(bootstraps.find(',', start), bootstraps.size());
      const std::string one = bootstraps.substr(start, comma - start);
      if (!one.empty()) {
        upstream_ports.push_back(fault_detail::split_host_port(one).second);
        fronts_.push_back(std::make_unique<KafkaSecureFront>(one, options));
      }
      start = comma + 1;
    }
    if (fronts_.empty()) throw std::invalid_argument("no brokers in '" + bootstraps + "'");
    auto ports = std::make_shared<std::map<int32_t, int32_t>>();
    for (size_t i = 0; i < fronts_.size(); ++i) (*ports)[upstream_ports[i]] = fronts_[i]->port();
    for (auto& front : fronts_) {
      front->set_response_filter([ports](int16_t key, int16_t version, std::vector<uint8_t>& frame) {
        if (key == kApiMetadata) rewrite_metadata_ports(frame, version, *ports);
      });
    }
  }

  size_t size() const { return fronts_.size(); }
  KafkaSecureFront& front(size_t i) { return *fronts_.at(i); }
  std::string bootstraps() const {
    std::string out;
    for (const auto& f : fronts_) out += (out.empty() ? "" : ",") + f->address();
    return out;
  }
  void set_bad_server_signature(bool bad) {
    for (auto& f : fronts_) f->set_bad_server_signature(bad);
  }
  size_t authentications() const {
    size_t n = 0;
    for (const auto& f : fronts_) n += f->authentications();
    return n;
  }
  size_t authentication_failures() const {
    size_t n = 0;
    for (const auto& f : fronts_) n += f->authentication_failures();
    return n;
  }
  size_t tls_failures() const {
    size_t n = 0;
    for (const auto& f : fronts_) n += f->tls_failures();
    return n;
  }
  size_t refused_before_auth() const {
    size_t n = 0;
    for (const auto& f : fronts_) n += f->refused_before_auth();
    return n;
  }

 private:
  std::vector<std::unique_ptr<KafkaSecureFront>> fronts_;
};

}  // namespace lagwatch::testing
