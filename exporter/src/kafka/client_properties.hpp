// The librdkafka property names users already write under a cluster's `properties:`, read for
// lagwatch's own Kafka client. Only properties lagwatch honors are accepted; any other is an
// error naming it, at check-config time as at start, so a setting never silently does nothing.
//
//   security.protocol                       PLAINTEXT (default), SSL, SASL_PLAINTEXT, SASL_SSL
//   sasl.mechanism (or sasl.mechanisms)     PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER
//   sasl.username, sasl.password            PLAIN and SCRAM credentials
//   sasl.oauthbearer.token                  OAUTHBEARER: a static bearer token, or
//   sasl.oauthbearer.token.file               a file holding it, read when the client is made
//   ssl.ca.location                         CA certificates (PEM file or directory); default:
//                                             the system's store
//   ssl.certificate.location,               client certificate and key (PEM), for brokers
//   ssl.key.location, ssl.key.password        that require TLS client authentication
//   ssl.endpoint.identification.algorithm   https (default: the certificate must name the
//                                             broker's host) or none
//   enable.ssl.certificate.verification     true (default) or false (testing only)
//   client.id                               the client id brokers log (default "lagwatch")
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kafka/net/connection_options.hpp"

namespace lagwatch::kafka {

// The properties lagwatch honors, for messages and docs.
const std::vector<std::string>& honored_properties();

// Why `key` = `value` is refused, or nullopt when lagwatch honors it. Never quotes the value.
std::optional<std::string> property_problem(const std::string& key, const std::string& value);

// Connection options from a cluster's properties. Throws std::invalid_argument naming the
// property (never its value) when one is refused, a combination is incomplete (SASL without
// credentials), or a file cannot be read (TLS material).
net::ConnectionOptions connection_options(const std::string& cluster,
                                          const std::map<std::string, std::string>& properties,
                                          std::chrono::milliseconds request_timeout);

}  // namespace lagwatch::kafka
