#include "kafka/protocol/leave_group.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {

LeaveGroupRequest decode_leave_group_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::leave_group, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::leave_group, version);
  LeaveGroupRequest out;
  out.group_id = r.string("group_id", flexible);
  if (version < 3) {
    LeaveGroupMember m;
    m.member_id = r.string("member_id", false);
    out.members.push_back(std::move(m));
    return out;
  }
  // member id 2 and instance id 2, or compact: 1 each (v5+ a reason 1) plus tagged fields 1.
  const size_t n = r.count("members", flexible, flexible ? 3 : 4);
  out.members.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("members", i);
    LeaveGroupMember m;
    m.member_id = r.string("member_id", flexible);
    m.group_instance_id = r.nullable_string("group_instance_id", flexible);
    if (version >= 5) m.reason = r.nullable_string("reason", flexible);
    if (flexible) r.skip_tagged_fields();
    out.members.push_back(std::move(m));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const LeaveGroupRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::leave_group, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::leave_group, version);
  w.string(request.group_id, flexible);
  if (version < 3) {
    if (request.members.size() != 1)
      throw std::invalid_argument("LeaveGroup v" + std::to_string(version) + " carries exactly one member, not " +
                                  std::to_string(request.members.size()));
    if (request.members.front().group_instance_id)
      throw std::invalid_argument("LeaveGroup v" + std::to_string(version) + " has no group_instance_id");
    w.string(request.members.front().member_id, false);
    return;
  }
  w.array_length(request.members.size(), flexible);
  for (const auto& m : request.members) {
    w.string(m.member_id, flexible);
    w.nullable_string(m.group_instance_id, flexible);
    if (version >= 5) w.nullable_string(m.reason, flexible);
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

LeaveGroupResponse decode_leave_group_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::leave_group, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::leave_group, version);
  LeaveGroupResponse out;
  if (version >= 1) out.throttle_time_ms = r.int32("throttle_time_ms");
  out.error_code = r.int16("error_code");
  if (version >= 3) {
    // member id 2, instance id 2, error 2; compact: 1, 1, 2 plus tagged fields 1.
    const size_t n = r.count("members", flexible, 5);
    out.members.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      auto s = r.scope("members", i);
      LeaveGroupResponseMember m;
      m.member_id = r.string("member_id", flexible);
      m.group_instance_id = r.nullable_string("group_instance_id", flexible);
      m.error_code = r.int16("error_code");
      if (flexible) r.skip_tagged_fields();
      out.members.push_back(std::move(m));
    }
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

}  // namespace lagwatch::kafka::protocol
