// DescribeGroups (API 15), sent to a group's coordinator: the group's state, protocol and
// members. lagwatch reports group_state and protocol_type, and decodes each member's
// member_assignment with consumer_protocol.hpp (for protocol type "consumer") to tell which
// member owns which partition; member_id, client_id and client_host label the owner.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct DescribeGroupsRequest {
  std::vector<std::string> groups;
  bool include_authorized_operations = false;  // v3+; ignored below
  bool operator==(const DescribeGroupsRequest&) const = default;
};

struct DescribedGroupMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;  // v4+, null unless static membership
  std::string client_id;
  std::string client_host;  // "/127.0.0.1"
  // Only filled while the group is Stable; for protocol type "consumer" these are a
  // ConsumerProtocolSubscription and a ConsumerProtocolAssignment.
  std::vector<uint8_t> member_metadata;
  std::vector<uint8_t> member_assignment;
  bool operator==(const DescribedGroupMember&) const = default;
};

struct DescribedGroup {
  int16_t error_code = 0;
  std::string group_id;
  std::string group_state;    // "Stable", "Empty", "PreparingRebalance", "Dead" (unknown group) ...
  std::string protocol_type;  // "consumer", or "" for a group that only stores offsets
  std::string protocol_data;  // the assignor ("range"), only while Stable
  std::vector<DescribedGroupMember> members;
  int32_t authorized_operations = std::numeric_limits<int32_t>::min();  // v3+; INT32_MIN: not requested
  bool operator==(const DescribedGroup&) const = default;
};

struct DescribeGroupsResponse {
  int32_t throttle_time_ms = 0;  // v1+
  std::vector<DescribedGroup> groups;
  bool operator==(const DescribeGroupsResponse&) const = default;
};

void encode(wire::Writer& w, const DescribeGroupsRequest& request, int16_t version);
DescribeGroupsResponse decode_describe_groups_response(wire::Reader& r, int16_t version);

// Server side (fault server, demo broker front, which answers DescribeGroups itself). Fields
// the version lacks are not written (throttle below v1, authorized_operations below v3,
// group_instance_id below v4). include_authorized_operations reads as false below v3.
DescribeGroupsRequest decode_describe_groups_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const DescribeGroupsResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
