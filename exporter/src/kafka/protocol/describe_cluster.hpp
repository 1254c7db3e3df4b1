// DescribeCluster (key 60, Kafka 2.8+, KIP-700): the cluster id, the controller and the
// brokers, without Metadata's topic table. lagwatch reads the broker list (with is_fenced,
// v2, KIP-1073: a KRaft broker registered but fenced serves nothing) and cluster_id;
// controller_id names the active controller (a KRaft broker answers a random live broker).
//
// Every version is flexible. v1 adds endpoint_type (KIP-919: 1 = brokers, 2 = controllers,
// the latter answered only by a controller reached as a bootstrap controller); v2 adds
// include_fenced_brokers and is_fenced (Kafka 4.0). The response encoder and request decoder
// are for lagwatch's test brokers.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

inline constexpr int8_t kEndpointTypeBrokers = 1;
inline constexpr int8_t kEndpointTypeControllers = 2;
// cluster_authorized_operations when they were not asked for (INT32_MIN).
inline constexpr int32_t kAuthorizedOperationsOmitted = std::numeric_limits<int32_t>::min();

// Fields a version lacks must keep their defaults: encode throws std::invalid_argument for an
// endpoint_type other than brokers below v1, or include_fenced_brokers below v2.
struct DescribeClusterRequest {
  bool include_cluster_authorized_operations = false;
  int8_t endpoint_type = kEndpointTypeBrokers;  // v1+
  bool include_fenced_brokers = false;          // v2+
};

struct DescribeClusterBroker {
  int32_t broker_id = 0;
  std::string host;
  int32_t port = 0;
  std::optional<std::string> rack;
  bool is_fenced = false;  // v2+; false before
};

struct DescribeClusterResponse {
  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  std::optional<std::string> error_message;
  int8_t endpoint_type = kEndpointTypeBrokers;  // v1+
  std::string cluster_id;
  int32_t controller_id = -1;
  std::vector<DescribeClusterBroker> brokers;
  int32_t cluster_authorized_operations = kAuthorizedOperationsOmitted;
};

void encode(wire::Writer& w, const DescribeClusterRequest& request, int16_t version);
DescribeClusterResponse decode_describe_cluster_response(wire::Reader& r, int16_t version);

// Test brokers' side. As for the request, a response field the version lacks must keep its
// default (endpoint_type brokers below v1, no broker is_fenced below v2: a real broker lists
// fenced brokers only to a v2+ request that asks for them), else std::invalid_argument.
DescribeClusterRequest decode_describe_cluster_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const DescribeClusterResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
