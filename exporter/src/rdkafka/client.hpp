// A librdkafka client, for the parts of lagwatch where a full client is right: the demo's
// mock cluster and traffic, `lagwatch loadgen`, and the tests' producers and consumers. The
// poller never uses it: it reads clusters through kafka/requests (lagwatch's own client).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "kafka/kafka_error.hpp"
#include "rdkafka/handles.hpp"

namespace lagwatch::rdkafka {

using kafka::KafkaError;

struct ClientSettings {
  std::string cluster;  // used in log lines
  std::vector<std::string> bootstrap_servers;
  std::map<std::string, std::string> properties;  // passed to librdkafka as they are
  std::chrono::milliseconds request_timeout{10'000};
  // A producer-type handle serves Metadata, ListOffsets and the Admin API; a consumer-type
  // one is needed only to read records (record timestamps).
  rd_kafka_type_t type = RD_KAFKA_PRODUCER;
  // librdkafka properties lagwatch itself sets for this handle's job (before the user's).
  std::map<std::string, std::string> internal_properties;
};

class Client {
 public:
  // Throws KafkaError when librdkafka rejects a property (named, value never shown for secrets).
  explicit Client(const ClientSettings& settings);
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  rd_kafka_t* get() const { return handle_.get(); }
  const std::string& cluster() const { return cluster_; }
  std::chrono::milliseconds request_timeout() const { return request_timeout_; }

 private:
  // Declared before handle_: librdkafka's log callback reads it until the handle is gone.
  std::string cluster_;
  std::chrono::milliseconds request_timeout_;
  ClientPtr handle_;
};

// Why librdkafka refuses `key` = `value` (unknown property, invalid value, ...), or nullopt
// when it accepts it. Never quotes the value of a secret key. This is the check the client
// makes on each property when it is created, without creating one (check-config).
std::optional<std::string> property_problem(const std::string& key, const std::string& value);

// "Local: Broker transport failure" style text for an error code.
std::string error_text(rd_kafka_resp_err_t err);

}  // namespace lagwatch::rdkafka
