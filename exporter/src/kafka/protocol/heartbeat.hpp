// Heartbeat (key 12): a classic group member tells its coordinator it is alive, naming its
// generation; the answer's error says whether to rejoin (REBALANCE_IN_PROGRESS 27) or find the
// coordinator again (NOT_COORDINATOR 16).
//
// lagwatch's client never sends it. The demo broker front (exporter/src/demo/) decodes the
// traffic it forwards to librdkafka's mock cluster to see which members are still alive. The
// request encoder exists so the captures can be round-tripped. Malformed bytes throw DecodeError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct HeartbeatRequest {
  std::string group_id;
  int32_t generation_id = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;  // v3+
};

struct HeartbeatResponse {
  int32_t throttle_time_ms = 0;  // v1+
  int16_t error_code = 0;
};

// Bodies only. Versions outside wire::implemented_versions(heartbeat), and a group_instance_id
// below v3: std::invalid_argument.
HeartbeatRequest decode_heartbeat_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const HeartbeatRequest& request, int16_t version);
HeartbeatResponse decode_heartbeat_response(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const HeartbeatResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
