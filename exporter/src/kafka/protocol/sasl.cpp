#include "kafka/protocol/sasl.hpp"

#include <stdexcept>
#include <string>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
void encode(wire::Writer& w, const SaslHandshakeRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::sasl_handshake, version);
  w.string(request.mechanism, false);  // never flexible
}

SaslHandshakeResponse decode_sasl_handshake_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::sasl_handshake, version);
  SaslHandshakeResponse out;
  out.error_code = r.int16("error_code");
  const size_t n = r.count("mechanisms", false, 2);
  out.mechanisms.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("mechanisms", i);
    out.mechanisms.push_back(r.string("mechanism", false));
  }
  return out;
}

void encode(wire::Writer& w, const SaslAuthenticateRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::sasl_authenticate, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::sasl_authenticate, version);
  w.bytes(request.auth_bytes, flexible);
  if (flexible) w.no_tagged_fields();
}

SaslAuthenticateResponse decode_sasl_authenticate_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::sasl_authenticate, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::sasl_authenticate, version);
  SaslAuthenticateResponse out;
  out.error_code = r.int16("error_code");
  out.error_message = r.nullable_string("error_message", flexible);
  out.auth_bytes = r.bytes("auth_bytes", flexible);
  if (version >= 1) out.session_lifetime_ms = r.int64("session_lifetime_ms");
  if (flexible) r.skip_tagged_fields();
  return out;
}

}  // namespace lagwatch::kafka::protocol
