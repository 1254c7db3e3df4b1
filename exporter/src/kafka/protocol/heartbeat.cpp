#include "kafka/protocol/heartbeat.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {

HeartbeatRequest decode_heartbeat_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::heartbeat, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::heartbeat, version);
  HeartbeatRequest out;
  out.group_id = r.string("group_id", flexible);
  out.generation_id = r.int32("generation_id");
  out.member_id = r.string("member_id", flexible);
  if (version >= 3) out.group_instance_id = r.nullable_string("group_instance_id", flexible);
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const HeartbeatRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::heartbeat, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::heartbeat, version);
  if (version < 3 && request.group_instance_id)
    throw std::invalid_argument("Heartbeat v" + std::to_string(version) + " has no group_instance_id");
  w.string(request.group_id, flexible);
  w.int32(request.generation_id);
  w.string(request.member_id, flexible);
  if (version >= 3) w.nullable_string(request.group_instance_id, flexible);
  if (flexible) w.no_tagged_fields();
}

HeartbeatResponse decode_heartbeat_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::heartbeat, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::heartbeat, version);
  HeartbeatResponse out;
  if (version >= 1) out.throttle_time_ms = r.int32("throttle_time_ms");
  out.error_code = r.int16("error_code");
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const HeartbeatResponse& response, int16_t version) {
  wire::require_implemented(wire::ApiKey::heartbeat, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::heartbeat, version);
  if (version >= 1) w.int32(response.throttle_time_ms);
  w.int16(response.error_code);
  if (flexible) w.no_tagged_fields();
}

}  // namespace lagwatch::kafka::protocol
