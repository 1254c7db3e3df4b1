// How lagwatch's Kafka client connects to a cluster's brokers: timeouts, limits and security.
// Filled from a cluster's config (kafka/client_properties.hpp reads the librdkafka property
// names users already write under `properties:`).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "kafka/wire/frame.hpp"

namespace boost::asio::ssl {
class context;
}

namespace lagwatch::kafka::net {

enum class SaslMechanism { none, plain, scram_sha_256, scram_sha_512, oauthbearer };

struct SaslSettings {
  SaslMechanism mechanism = SaslMechanism::none;
  std::string username;
  std::string password;  // secret: never logged
  std::string token;     // OAUTHBEARER: the bearer token (secret)
};

struct ConnectionOptions {
  std::string client_id = "lagwatch";
  std::string cluster;  // for messages
  std::chrono::milliseconds request_timeout{10'000};
  size_t max_frame_bytes = wire::kDefaultMaxFrameBytes;
  // Reconnect backoff after a failed connection: doubles from min to max, reset on success.
  std::chrono::milliseconds reconnect_backoff_min{100};
  std::chrono::milliseconds reconnect_backoff_max{5'000};
  // TLS when set (SSL, SASL_SSL); shared by every connection of the cluster.
  std::shared_ptr<boost::asio::ssl::context> tls;
  bool verify_hostname = true;  // ssl.endpoint.identification.algorithm=https
  SaslSettings sasl;
};

}  // namespace lagwatch::kafka::net
