#include "kafka/protocol/sync_group.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {

SyncGroupRequest decode_sync_group_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::sync_group, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::sync_group, version);
  SyncGroupRequest out;
  out.group_id = r.string("group_id", flexible);
  out.generation_id = r.int32("generation_id");
  out.member_id = r.string("member_id", flexible);
  if (version >= 3) out.group_instance_id = r.nullable_string("group_instance_id", flexible);
  if (version >= 5) {
    out.protocol_type = r.nullable_string("protocol_type", flexible);
    out.protocol_name = r.nullable_string("protocol_name", flexible);
  }
  // member id 2 and assignment 4, or compact: 1 each plus tagged fields 1.
  const size_t n = r.count("assignments", flexible, flexible ? 3 : 6);
  out.assignments.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("assignments", i);
    SyncGroupRequestAssignment a;
    a.member_id = r.string("member_id", flexible);
    a.assignment = r.bytes("assignment", flexible);
    if (flexible) r.skip_tagged_fields();
    out.assignments.push_back(std::move(a));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const SyncGroupRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::sync_group, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::sync_group, version);
  if (version < 3 && request.group_instance_id)
    throw std::invalid_argument("SyncGroup v" + std::to_string(version) + " has no group_instance_id");
  w.string(request.group_id, flexible);
  w.int32(request.generation_id);
  w.string(request.member_id, flexible);
  if (version >= 3) w.nullable_string(request.group_instance_id, flexible);
  if (version >= 5) {
    w.nullable_string(request.protocol_type, flexible);
    w.nullable_string(request.protocol_name, flexible);
  }
  w.array_length(request.assignments.size(), flexible);
  for (const auto& a : request.assignments) {
    w.string(a.member_id, flexible);
    w.bytes(a.assignment, flexible);
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

SyncGroupResponse decode_sync_group_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::sync_group, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::sync_group, version);
  SyncGroupResponse out;
  if (version >= 1) out.throttle_time_ms = r.int32("throttle_time_ms");
  out.error_code = r.int16("error_code");
  if (version >= 5) {
    out.protocol_type = r.nullable_string("protocol_type", flexible);
    out.protocol_name = r.nullable_string("protocol_name", flexible);
  }
  out.assignment = r.bytes("assignment", flexible);
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const SyncGroupResponse& response, int16_t version) {
  wire::require_implemented(wire::ApiKey::sync_group, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::sync_group, version);
  if (version >= 1) w.int32(response.throttle_time_ms);
  w.int16(response.error_code);
  if (version >= 5) {
    w.nullable_string(response.protocol_type, flexible);
    w.nullable_string(response.protocol_name, flexible);
  }
  w.bytes(response.assignment, flexible);
  if (flexible) w.no_tagged_fields();
}

}  // namespace lagwatch::kafka::protocol
