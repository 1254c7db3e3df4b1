// DescribeConfigs (API 32): the configuration of topics and brokers. lagwatch reads topic
// configs it reports next to lag and health (min.insync.replicas, retention.ms,
// cleanup.policy) with their source, to tell a topic's own setting from an inherited one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

// Resource types (org.apache.kafka.common.config.ConfigResource.Type).
inline constexpr int8_t kConfigResourceTopic = 2;
inline constexpr int8_t kConfigResourceBroker = 4;

// Config sources (DescribeConfigsResponse.ConfigSource), v1+.
inline constexpr int8_t kConfigSourceUnknown = 0;
inline constexpr int8_t kConfigSourceDynamicTopic = 1;
inline constexpr int8_t kConfigSourceDynamicBroker = 2;
inline constexpr int8_t kConfigSourceDynamicDefaultBroker = 3;
inline constexpr int8_t kConfigSourceStaticBroker = 4;
inline constexpr int8_t kConfigSourceDefault = 5;
inline constexpr int8_t kConfigSourceDynamicBrokerLogger = 6;

struct DescribeConfigsResource {
  int8_t resource_type = kConfigResourceTopic;
  std::string resource_name;  // topic name, broker id ("1"), or "" for the cluster default
  std::optional<std::vector<std::string>> configuration_keys;  // null: all
  bool operator==(const DescribeConfigsResource&) const = default;
};

struct DescribeConfigsRequest {
  std::vector<DescribeConfigsResource> resources;
  bool include_synonyms = false;       // v1+; set below v1 throws std::invalid_argument
  bool include_documentation = false;  // v3+; set below v3 throws std::invalid_argument
  bool operator==(const DescribeConfigsRequest&) const = default;
};

struct DescribeConfigsSynonym {
  std::string name;
  std::optional<std::string> value;
  int8_t source = 0;
  bool operator==(const DescribeConfigsSynonym&) const = default;
};

struct DescribeConfigsResourceResult {
  std::string name;
  std::optional<std::string> value;  // null for sensitive configs
  bool read_only = false;
  // On the wire in v0 only; from v1 it is derived as config_source == kConfigSourceDefault
  // (as Kafka's client does), so callers can read it in every version.
  bool is_default = false;
  int8_t config_source = -1;  // v1+; -1 in v0
  bool is_sensitive = false;
  std::vector<DescribeConfigsSynonym> synonyms;  // v1+, when requested
  int8_t config_type = 0;                        // v3+ (1 BOOLEAN, 2 STRING, 3 INT, ...)
  std::optional<std::string> documentation;      // v3+, when requested
  bool operator==(const DescribeConfigsResourceResult&) const = default;
};

struct DescribeConfigsResult {
  int16_t error_code = 0;
  std::optional<std::string> error_message;
  int8_t resource_type = 0;
  std::string resource_name;
  std::vector<DescribeConfigsResourceResult> configs;
  bool operator==(const DescribeConfigsResult&) const = default;
};

struct DescribeConfigsResponse {
  int32_t throttle_time_ms = 0;
  std::vector<DescribeConfigsResult> results;
  bool operator==(const DescribeConfigsResponse&) const = default;
};

void encode(wire::Writer& w, const DescribeConfigsRequest& request, int16_t version);
DescribeConfigsResponse decode_describe_configs_response(wire::Reader& r, int16_t version);

// Server side (fault server, demo broker front, which answers DescribeConfigs itself). Fields
// the version lacks are not written: v0 writes is_default, v1+ config_source (is_default is
// derived from it on decode), v1+ synonyms, v3+ config_type and documentation.
DescribeConfigsRequest decode_describe_configs_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const DescribeConfigsResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
