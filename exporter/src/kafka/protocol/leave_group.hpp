// LeaveGroup (key 13): members leave a classic group (a consumer closing, or an admin removing
// static members). v0-2 carry one member_id; v3+ (KIP-345) a list of members, each with its
// group instance id, and v5+ a reason. Callers see one shape: `members`.
//
// lagwatch's client never sends it. The demo broker front (exporter/src/demo/) decodes the
// requests and responses it forwards to librdkafka's mock cluster to drop members that left
// from its ListGroups/DescribeGroups answers. Malformed bytes throw wire::DecodeError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct LeaveGroupMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;  // v3+
  std::optional<std::string> reason;             // v5+
};

struct LeaveGroupRequest {
  std::string group_id;
  // v0-2: exactly one member (the spec's top-level MemberId); v3+: the spec's Members.
  std::vector<LeaveGroupMember> members;
};

struct LeaveGroupResponseMember {  // v3+
  std::string member_id;
  std::optional<std::string> group_instance_id;
  int16_t error_code = 0;
};

struct LeaveGroupResponse {
  int32_t throttle_time_ms = 0;  // v1+
  int16_t error_code = 0;
  std::vector<LeaveGroupResponseMember> members;  // v3+: each member's own error
};

// Bodies only. Versions outside wire::implemented_versions(leave_group): std::invalid_argument;
// so is encoding v0-2 with other than exactly one member, or with an instance id or a reason
// where the version cannot carry them (a reason below v5 is dropped: it is only informational).
LeaveGroupRequest decode_leave_group_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const LeaveGroupRequest& request, int16_t version);
LeaveGroupResponse decode_leave_group_response(wire::Reader& r, int16_t version);

}  // namespace lagwatch::kafka::protocol
