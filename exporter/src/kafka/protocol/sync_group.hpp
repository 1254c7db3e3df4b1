// SyncGroup (key 14): after a JoinGroup, every member of a classic group sends SyncGroup; the
// leader's carries the assignment it computed for each member, and each answer hands a member
// its own assignment (for consumers, a ConsumerProtocolAssignment, consumer_protocol.hpp).
//
// lagwatch's client never sends it. The demo broker front (exporter/src/demo/) decodes the
// traffic it forwards to librdkafka's mock cluster to learn each member's assignment for its
// DescribeGroups answers. The request encoder exists so the captures can be round-tripped.
// Everything decoded came off the wire: counts are bounded, malformed bytes throw DecodeError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct SyncGroupRequestAssignment {
  std::string member_id;
  std::vector<uint8_t> assignment;
};

struct SyncGroupRequest {
  std::string group_id;
  int32_t generation_id = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;         // v3+
  std::optional<std::string> protocol_type;             // v5+
  std::optional<std::string> protocol_name;             // v5+
  std::vector<SyncGroupRequestAssignment> assignments;  // the leader's only; empty for others
};

struct SyncGroupResponse {
  int32_t throttle_time_ms = 0;  // v1+
  int16_t error_code = 0;
  std::optional<std::string> protocol_type;  // v5+
  std::optional<std::string> protocol_name;  // v5+
  std::vector<uint8_t> assignment;           // this member's
};

// Bodies only. Versions outside wire::implemented_versions(sync_group): std::invalid_argument,
// as is a group_instance_id below v3 (Kafka could not carry it either). protocol_type and
// protocol_name are dropped below v5, as Kafka's own encoder does (the spec marks them ignorable).
SyncGroupRequest decode_sync_group_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const SyncGroupRequest& request, int16_t version);
SyncGroupResponse decode_sync_group_response(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const SyncGroupResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
