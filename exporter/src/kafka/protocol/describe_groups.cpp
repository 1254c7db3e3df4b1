#include "kafka/protocol/describe_groups.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

DescribedGroupMember decode_member(wire::Reader& r, int16_t version, bool flexible) {
  DescribedGroupMember m;
  m.member_id = r.string("member_id", flexible);
  if (version >= 4) m.group_instance_id = r.nullable_string("group_instance_id", flexible);
  m.client_id = r.string("client_id", flexible);
  m.client_host = r.string("client_host", flexible);
  m.member_metadata = r.bytes("member_metadata", flexible);
  m.member_assignment = r.bytes("member_assignment", flexible);
  if (flexible) r.skip_tagged_fields();
  return m;
}

DescribedGroup decode_group(wire::Reader& r, int16_t version, bool flexible) {
  DescribedGroup g;
  g.error_code = r.int16("error_code");
  g.group_id = r.string("group_id", flexible);
  g.group_state = r.string("group_state", flexible);
  g.protocol_type = r.string("protocol_type", flexible);
  g.protocol_data = r.string("protocol_data", flexible);
  // Smallest member: four empty strings and two empty byte strings (plus, from v4, a null
  // instance id): 16 bytes classic, 6 compact (with the tag section).
  const size_t n = r.count("members", flexible, flexible ? 6 : 16);
  g.members.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("members", i);
    g.members.push_back(decode_member(r, version, flexible));
  }
  if (version >= 3) g.authorized_operations = r.int32("authorized_operations");
  if (flexible) r.skip_tagged_fields();
  return g;
}

}  // namespace

void encode(wire::Writer& w, const DescribeGroupsRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::describe_groups, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::describe_groups, version);
  w.array_length(request.groups.size(), flexible);
  for (const auto& g : request.groups) w.string(g, flexible);
  // Ignorable in the spec: an older broker simply does not report operations.
  if (version >= 3) w.boolean(request.include_authorized_operations);
  if (flexible) w.no_tagged_fields();
}

DescribeGroupsResponse decode_describe_groups_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::describe_groups, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::describe_groups, version);
  DescribeGroupsResponse out;
  if (version >= 1) out.throttle_time_ms = r.int32("throttle_time_ms");
  // Smallest group: error code, four empty strings, no members (and operations from v3).
  const size_t n = r.count("groups", flexible, flexible ? 8 : 14);
  out.groups.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("groups", i);
    out.groups.push_back(decode_group(r, version, flexible));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

DescribeGroupsRequest decode_describe_groups_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::describe_groups, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::describe_groups, version);
  DescribeGroupsRequest out;
  // Smallest group id: an empty string.
  const size_t n = r.count("groups", flexible, flexible ? 1 : 2);
  out.groups.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("groups", i);
    out.groups.push_back(r.string("groups", flexible));
  }
  if (version >= 3) out.include_authorized_operations = r.boolean("include_authorized_operations");
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const DescribeGroupsResponse& response, int16_t version) {
  wire::require_implemented(wire::ApiKey::describe_groups, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::describe_groups, version);
  if (version >= 1) w.int32(response.throttle_time_ms);
  w.array_length(response.groups.size(), flexible);
  for (const auto& g : response.groups) {
    w.int16(g.error_code);
    w.string(g.group_id, flexible);
    w.string(g.group_state, flexible);
    w.string(g.protocol_type, flexible);
    w.string(g.protocol_data, flexible);
    w.array_length(g.members.size(), flexible);
    for (const auto& m : g.members) {
      w.string(m.member_id, flexible);
      if (version >= 4) w.nullable_string(m.group_instance_id, flexible);
      w.string(m.client_id, flexible);
      w.string(m.client_host, flexible);
      w.bytes(m.member_metadata, flexible);
      w.bytes(m.member_assignment, flexible);
      if (flexible) w.no_tagged_fields();
    }
    if (version >= 3) w.int32(g.authorized_operations);
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

}  // namespace lagwatch::kafka::protocol
