#include "kafka/protocol/describe_cluster.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

constexpr auto kKey = wire::ApiKey::describe_cluster;

// Smallest broker (every version is flexible): id, empty compact host, port, null compact
// rack, (v2) is_fenced, empty tagged fields.
size_t min_broker_bytes(int16_t version) { return 4 + 1 + 4 + 1 + (version >= 2 ? 1 : 0) + 1; }

void require_default(bool is_default, const char* field, int16_t first, int16_t version) {
  if (!is_default)
    throw std::invalid_argument(std::string("DescribeCluster v") + std::to_string(version) + " cannot carry " + field +
                                " (v" + std::to_string(first) + "+)");
}

}  // namespace

void encode(wire::Writer& w, const DescribeClusterRequest& request, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  if (version < 1) require_default(request.endpoint_type == kEndpointTypeBrokers, "endpoint_type", 1, version);
  if (version < 2) require_default(!request.include_fenced_brokers, "include_fenced_brokers", 2, version);
  w.boolean(request.include_cluster_authorized_operations);
  if (version >= 1) w.int8(request.endpoint_type);
  if (version >= 2) w.boolean(request.include_fenced_brokers);
  if (flexible) w.no_tagged_fields();
}

DescribeClusterRequest decode_describe_cluster_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  DescribeClusterRequest out;
  out.include_cluster_authorized_operations = r.boolean("include_cluster_authorized_operations");
  if (version >= 1) out.endpoint_type = r.int8("endpoint_type");
  if (version >= 2) out.include_fenced_brokers = r.boolean("include_fenced_brokers");
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const DescribeClusterResponse& response, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  if (version < 1) require_default(response.endpoint_type == kEndpointTypeBrokers, "endpoint_type", 1, version);
  if (version < 2) {
    for (const auto& b : response.brokers) require_default(!b.is_fenced, "is_fenced", 2, version);
  }
  w.int32(response.throttle_time_ms);
  w.int16(response.error_code);
  w.nullable_string(response.error_message, flexible);
  if (version >= 1) w.int8(response.endpoint_type);
  w.string(response.cluster_id, flexible);
  w.int32(response.controller_id);
  w.array_length(response.brokers.size(), flexible);
  for (const auto& b : response.brokers) {
    w.int32(b.broker_id);
    w.string(b.host, flexible);
    w.int32(b.port);
    w.nullable_string(b.rack, flexible);
    if (version >= 2) w.boolean(b.is_fenced);
    if (flexible) w.no_tagged_fields();
  }
  w.int32(response.cluster_authorized_operations);
  if (flexible) w.no_tagged_fields();
}

DescribeClusterResponse decode_describe_cluster_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  DescribeClusterResponse out;
  out.throttle_time_ms = r.int32("throttle_time_ms");
  out.error_code = r.int16("error_code");
  out.error_message = r.nullable_string("error_message", flexible);
  if (version >= 1) out.endpoint_type = r.int8("endpoint_type");
  out.cluster_id = r.string("cluster_id", flexible);
  out.controller_id = r.int32("controller_id");
  const size_t n = r.count("brokers", flexible, min_broker_bytes(version));
  out.brokers.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("brokers", i);
    DescribeClusterBroker b;
    b.broker_id = r.int32("broker_id");
    b.host = r.string("host", flexible);
    b.port = r.int32("port");
    b.rack = r.nullable_string("rack", flexible);
    if (version >= 2) b.is_fenced = r.boolean("is_fenced");
    if (flexible) r.skip_tagged_fields();
    out.brokers.push_back(std::move(b));
  }
  out.cluster_authorized_operations = r.int32("cluster_authorized_operations");
  if (flexible) r.skip_tagged_fields();
  return out;
}

}  // namespace lagwatch::kafka::protocol
