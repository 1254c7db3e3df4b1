// SaslHandshake (API key 17, v0-1) and SaslAuthenticate (API key 36, v0-2): how lagwatch logs in
// to a SASL listener. SaslHandshake names the mechanism (the broker answers with the ones it
// has enabled); after a v1 handshake the mechanism's tokens travel in SaslAuthenticate
// requests (after a v0 handshake they would go as bare size-prefixed tokens, KIP-43, which
// lagwatch does not do). The tokens themselves are sasl_mechanisms.hpp's business.
//
// SaslAuthenticate v1 adds session_lifetime_ms (KIP-368: re-authenticate before it runs out;
// 0 means the broker does not expire sessions); v2 is flexible.
//
// Auth bytes carry credentials (PLAIN's password, SCRAM proofs): never log them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct SaslHandshakeRequest {
  std::string mechanism;  // "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"
};

struct SaslHandshakeResponse {
  int16_t error_code = 0;               // 33 UNSUPPORTED_SASL_MECHANISM, 34 ILLEGAL_SASL_STATE
  std::vector<std::string> mechanisms;  // the broker's enabled mechanisms, also on error
};

struct SaslAuthenticateRequest {
  std::vector<uint8_t> auth_bytes;
};

struct SaslAuthenticateResponse {
  int16_t error_code = 0;  // 58 SASL_AUTHENTICATION_FAILED
  std::optional<std::string> error_message;
  std::vector<uint8_t> auth_bytes;
  int64_t session_lifetime_ms = 0;  // v1+
};

// Bodies only. Versions outside wire::implemented_versions: std::invalid_argument.
void encode(wire::Writer& w, const SaslHandshakeRequest& request, int16_t version);
SaslHandshakeResponse decode_sasl_handshake_response(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const SaslAuthenticateRequest& request, int16_t version);
SaslAuthenticateResponse decode_sasl_authenticate_response(wire::Reader& r, int16_t version);

}  // namespace lagwatch::kafka::protocol
