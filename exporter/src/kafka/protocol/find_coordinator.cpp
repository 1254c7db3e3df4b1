#include "kafka/protocol/find_coordinator.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
void encode(wire::Writer& w, const FindCoordinatorRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::find_coordinator, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::find_coordinator, version);
  if (version < 4) {
    if (request.coordinator_keys.size() != 1)
      throw std::invalid_argument("FindCoordinator v" + std::to_string(version) + " carries exactly one key, not " +
                                  std::to_string(request.coordinator_keys.size()));
    w.string(request.coordinator_keys.front(), flexible);
  }
  if (version >= 1) {
    w.int8(request.key_type);
  } else if (request.key_type != kCoordinatorGroup) {
    throw std::invalid_argument("FindCoordinator v0 finds group coordinators only");
  }
  if (version >= 4) {
    w.array_length(request.coordinator_keys.size(), flexible);
    for (const auto& k : request.coordinator_keys) w.string(k, flexible);
  }
  if (flexible) w.no_tagged_fields();
}

FindCoordinatorResponse decode_find_coordinator_response(wire::Reader& r, int16_t version,
                                                         std::string_view requested_key) {
  wire::require_implemented(wire::ApiKey::find_coordinator, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::find_coordinator, version);
  FindCoordinatorResponse out;
  if (version >= 1) out.throttle_time_ms = r.int32("throttle_time_ms");
  if (version < 4) {
    FindCoordinatorResponseCoordinator c;
    c.key = std::string(requested_key);
    c.error_code = r.int16("error_code");
    if (version >= 1) c.error_message = r.nullable_string("error_message", flexible);
    c.node_id = r.int32("node_id");
    c.host = r.string("host", flexible);
    c.port = r.int32("port");
    out.coordinators.push_back(std::move(c));
  } else {
    // key 1, node id 4, host 1, port 4, error 2, message 1, tagged fields 1 (all compact).
    const size_t n = r.count("coordinators", flexible, 14);
    out.coordinators.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      auto s = r.scope("coordinators", i);
      FindCoordinatorResponseCoordinator c;
      c.key = r.string("key", flexible);
      c.node_id = r.int32("node_id");
      c.host = r.string("host", flexible);
      c.port = r.int32("port");
      c.error_code = r.int16("error_code");
      c.error_message = r.nullable_string("error_message", flexible);
      if (flexible) r.skip_tagged_fields();
      out.coordinators.push_back(std::move(c));
    }
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

FindCoordinatorRequest decode_find_coordinator_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::find_coordinator, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::find_coordinator, version);
  FindCoordinatorRequest out;
  if (version < 4) out.coordinator_keys.push_back(r.string("key", flexible));
  if (version >= 1) out.key_type = r.int8("key_type");
  if (version >= 4) {
    // Smallest key: an empty compact string.
    const size_t n = r.count("coordinator_keys", flexible, 1);
    out.coordinator_keys.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      auto s = r.scope("coordinator_keys", i);
      out.coordinator_keys.push_back(r.string("key", flexible));
    }
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const FindCoordinatorResponse& response, int16_t version) {
  wire::require_implemented(wire::ApiKey::find_coordinator, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::find_coordinator, version);
  if (version >= 1) w.int32(response.throttle_time_ms);
  if (version < 4) {
    if (response.coordinators.size() != 1)
      throw std::invalid_argument("FindCoordinator v" + std::to_string(version) +
                                  " answers exactly one coordinator, not " +
                                  std::to_string(response.coordinators.size()));
    const auto& c = response.coordinators.front();
    w.int16(c.error_code);
    if (version >= 1) w.nullable_string(c.error_message, flexible);
    w.int32(c.node_id);
    w.string(c.host, flexible);
    w.int32(c.port);
  } else {
    w.array_length(response.coordinators.size(), flexible);
    for (const auto& c : response.coordinators) {
      w.string(c.key, flexible);
      w.int32(c.node_id);
      w.string(c.host, flexible);
      w.int32(c.port);
      w.int16(c.error_code);
      w.nullable_string(c.error_message, flexible);
      if (flexible) w.no_tagged_fields();
    }
  }
  if (flexible) w.no_tagged_fields();
}

}  // namespace lagwatch::kafka::protocol
