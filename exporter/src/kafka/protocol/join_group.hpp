// JoinGroup (key 11): a classic-protocol member asks its coordinator to join a group, offering
// the protocols (assignors) it supports with their metadata (for consumers, a
// ConsumerProtocolSubscription, consumer_protocol.hpp); the answer names the generation, the
// chosen protocol, the leader and, for the leader only, every member with its metadata.
//
// lagwatch's client never sends it. The demo broker front (exporter/src/demo/) decodes the
// requests and responses it forwards to librdkafka's mock cluster, to learn each group's
// members, generation and protocol for the ListGroups/DescribeGroups answers it gives itself.
// The request encoder exists so the captures can be round-tripped. Everything decoded here came
// off the wire: every count is bounded, anything malformed throws wire::DecodeError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct JoinGroupRequestProtocol {
  std::string name;
  std::vector<uint8_t> metadata;
};

struct JoinGroupRequest {
  std::string group_id;
  int32_t session_timeout_ms = 0;
  int32_t rebalance_timeout_ms = -1;             // v1+ (v0: the session timeout serves as both)
  std::string member_id;                         // "" on a first join
  std::optional<std::string> group_instance_id;  // v5+ (static membership)
  std::string protocol_type;                     // "consumer" for consumers
  std::vector<JoinGroupRequestProtocol> protocols;
  std::optional<std::string> reason;  // v8+
};

struct JoinGroupResponseMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;  // v5+
  std::vector<uint8_t> metadata;
};

struct JoinGroupResponse {
  int32_t throttle_time_ms = 0;  // v2+
  int16_t error_code = 0;
  int32_t generation_id = -1;
  std::optional<std::string> protocol_type;  // v7+
  // Non-null before v7 (Kafka answers "" while no protocol is chosen); nullable from v7.
  std::optional<std::string> protocol_name;
  std::string leader;
  bool skip_assignment = false;  // v9+
  std::string member_id;
  std::vector<JoinGroupResponseMember> members;  // filled for the leader only
};

// Bodies only. Versions outside wire::implemented_versions(join_group): std::invalid_argument,
// as is a request field the version cannot carry and Kafka would not drop (group_instance_id
// below v5) or a null protocol_name below v7 in a response.
JoinGroupRequest decode_join_group_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const JoinGroupRequest& request, int16_t version);
JoinGroupResponse decode_join_group_response(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const JoinGroupResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
