#include "kafka/net/sasl_exchange.hpp"

#include <string>
#include <string_view>

#include "kafka/protocol/sasl_mechanisms.hpp"

namespace lagwatch::kafka::net {
namespace {

std::vector<uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

std::string_view text_of(std::span<const uint8_t> b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

}  // namespace

SaslExchange::SaslExchange(const SaslSettings& settings) : settings_(settings) {
  using protocol::ScramAlgorithm;
  if (settings_.mechanism == SaslMechanism::scram_sha_256 || settings_.mechanism == SaslMechanism::scram_sha_512) {
    scram_ = std::make_unique<protocol::ScramClient>(
        settings_.mechanism == SaslMechanism::scram_sha_256 ? ScramAlgorithm::sha256 : ScramAlgorithm::sha512,
        settings_.username, settings_.password);
  }
}

SaslExchange::~SaslExchange() = default;

const char* SaslExchange::mechanism_name() const {
  switch (settings_.mechanism) {
    case SaslMechanism::plain:
      return "PLAIN";
    case SaslMechanism::scram_sha_256:
      return "SCRAM-SHA-256";
    case SaslMechanism::scram_sha_512:
      return "SCRAM-SHA-512";
    case SaslMechanism::oauthbearer:
      return "OAUTHBEARER";
    case SaslMechanism::none:
      break;
  }
  return "none";
}

std::vector<uint8_t> SaslExchange::first_token() {
  step_ = 1;
  switch (settings_.mechanism) {
    case SaslMechanism::plain:
      return protocol::plain_initial_response(settings_.username, settings_.password);
    case SaslMechanism::oauthbearer:
      return protocol::oauthbearer_initial_response(settings_.token);
    case SaslMechanism::scram_sha_256:
    case SaslMechanism::scram_sha_512:
      return bytes_of(scram_->client_first());
    case SaslMechanism::none:
      break;
  }
  return {};
}

std::optional<std::vector<uint8_t>> SaslExchange::next(std::span<const uint8_t> token) {
  if (!scram_) return std::nullopt;  // PLAIN and OAUTHBEARER take one round trip
  if (step_ == 1) {
    step_ = 2;
    return bytes_of(scram_->client_final(text_of(token)));
  }
  scram_->verify_server_final(text_of(token));
  return std::nullopt;
}

}  // namespace lagwatch::kafka::net
