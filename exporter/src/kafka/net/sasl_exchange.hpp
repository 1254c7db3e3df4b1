// The client side of one SASL authentication, without I/O: which token to send next for the
// configured mechanism (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER), given the server's last token.
// The connection carries the tokens in SaslHandshake v1 + SaslAuthenticate (KIP-152).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "kafka/net/connection_options.hpp"

namespace lagwatch::kafka::protocol {
class ScramClient;
}

namespace lagwatch::kafka::net {

class SaslExchange {
 public:
  explicit SaslExchange(const SaslSettings& settings);
  ~SaslExchange();
  SaslExchange(const SaslExchange&) = delete;
  SaslExchange& operator=(const SaslExchange&) = delete;

  // "PLAIN", "SCRAM-SHA-256", ... as SaslHandshake names it.
  const char* mechanism_name() const;
  std::vector<uint8_t> first_token();
  // The next token to send after the server's `token`, or nullopt when the exchange is
  // complete. Throws protocol::SaslAuthenticationError when the server's answer is refused
  // (a SCRAM server signature that does not verify: the server is not who it claims).
  std::optional<std::vector<uint8_t>> next(std::span<const uint8_t> token);

 private:
  SaslSettings settings_;
  std::unique_ptr<protocol::ScramClient> scram_;
  int step_ = 0;
};

}  // namespace lagwatch::kafka::net
