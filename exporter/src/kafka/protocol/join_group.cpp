#include "kafka/protocol/join_group.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {

JoinGroupRequest decode_join_group_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::join_group, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::join_group, version);
  JoinGroupRequest out;
  out.group_id = r.string("group_id", flexible);
  out.session_timeout_ms = r.int32("session_timeout_ms");
  if (version >= 1) out.rebalance_timeout_ms = r.int32("rebalance_timeout_ms");
  out.member_id = r.string("member_id", flexible);
  if (version >= 5) out.group_instance_id = r.nullable_string("group_instance_id", flexible);
  out.protocol_type = r.string("protocol_type", flexible);
  // name and metadata lengths (2 + 4), or compact: name 1, metadata 1, tagged fields 1.
  const size_t n = r.count("protocols", flexible, flexible ? 3 : 6);
  out.protocols.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("protocols", i);
    JoinGroupRequestProtocol p;
    p.name = r.string("name", flexible);
    p.metadata = r.bytes("metadata", flexible);
    if (flexible) r.skip_tagged_fields();
    out.protocols.push_back(std::move(p));
  }
  if (version >= 8) out.reason = r.nullable_string("reason", flexible);
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const JoinGroupRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::join_group, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::join_group, version);
  if (version < 5 && request.group_instance_id)
    throw std::invalid_argument("JoinGroup v" + std::to_string(version) + " has no group_instance_id");
  w.string(request.group_id, flexible);
  w.int32(request.session_timeout_ms);
  if (version >= 1) w.int32(request.rebalance_timeout_ms);
  w.string(request.member_id, flexible);
  if (version >= 5) w.nullable_string(request.group_instance_id, flexible);
  w.string(request.protocol_type, flexible);
  w.array_length(request.protocols.size(), flexible);
  for (const auto& p : request.protocols) {
    w.string(p.name, flexible);
    w.bytes(p.metadata, flexible);
    if (flexible) w.no_tagged_fields();
  }
  // The reason is informational (ignorable in the spec): older versions just lose it.
  if (version >= 8) w.nullable_string(request.reason, flexible);
  if (flexible) w.no_tagged_fields();
}

JoinGroupResponse decode_join_group_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::join_group, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::join_group, version);
  JoinGroupResponse out;
  if (version >= 2) out.throttle_time_ms = r.int32("throttle_time_ms");
  out.error_code = r.int16("error_code");
  out.generation_id = r.int32("generation_id");
  if (version >= 7) {
    out.protocol_type = r.nullable_string("protocol_type", flexible);
    out.protocol_name = r.nullable_string("protocol_name", flexible);
  } else {
    out.protocol_name = r.string("protocol_name", flexible);
  }
  out.leader = r.string("leader", flexible);
  if (version >= 9) out.skip_assignment = r.boolean("skip_assignment");
  out.member_id = r.string("member_id", flexible);
  // member id 2 and metadata 4 (v5+ also an instance id), or compact: 1 each plus tags 1.
  const size_t n = r.count("members", flexible, flexible ? 4 : 6);
  out.members.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("members", i);
    JoinGroupResponseMember m;
    m.member_id = r.string("member_id", flexible);
    if (version >= 5) m.group_instance_id = r.nullable_string("group_instance_id", flexible);
    m.metadata = r.bytes("metadata", flexible);
    if (flexible) r.skip_tagged_fields();
    out.members.push_back(std::move(m));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const JoinGroupResponse& response, int16_t version) {
  wire::require_implemented(wire::ApiKey::join_group, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::join_group, version);
  if (version < 7 && !response.protocol_name)
    throw std::invalid_argument("JoinGroup v" + std::to_string(version) + " cannot carry a null protocol_name");
  if (version >= 2) w.int32(response.throttle_time_ms);
  w.int16(response.error_code);
  w.int32(response.generation_id);
  if (version >= 7) w.nullable_string(response.protocol_type, flexible);
  w.nullable_string(response.protocol_name, flexible);
  w.string(response.leader, flexible);
  if (version >= 9) w.boolean(response.skip_assignment);
  w.string(response.member_id, flexible);
  w.array_length(response.members.size(), flexible);
  for (const auto& m : response.members) {
    w.string(m.member_id, flexible);
    if (version >= 5) w.nullable_string(m.group_instance_id, flexible);
    w.bytes(m.metadata, flexible);
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

}  // namespace lagwatch::kafka::protocol
