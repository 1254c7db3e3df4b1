// FindCoordinator (key 10): which broker coordinates a consumer group (key type 0). lagwatch
// sends OffsetFetch and DescribeGroups to that broker, and asks again when a group answer says
// the coordinator moved (error_codes.hpp coordinator_moved). v4+ batches several keys in one
// request (KIP-699); callers get one response shape either way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

inline constexpr int8_t kCoordinatorGroup = 0;
inline constexpr int8_t kCoordinatorTransaction = 1;

struct FindCoordinatorRequest {
  // v4+: CoordinatorKeys. v0-3 carry exactly one key (the spec's Key); encode refuses more.
  std::vector<std::string> coordinator_keys;
  int8_t key_type = kCoordinatorGroup;  // v1+; v0 knows only groups
  bool operator==(const FindCoordinatorRequest&) const = default;
};

struct FindCoordinatorResponseCoordinator {
  std::string key;  // v0-3: the key the caller asked for (the answer does not repeat it)
  int32_t node_id = -1;
  std::string host;
  int32_t port = -1;
  int16_t error_code = 0;
  std::optional<std::string> error_message;  // v1+ (Kafka 2.4 sends "NONE" for no error)
  bool operator==(const FindCoordinatorResponseCoordinator&) const = default;
};

struct FindCoordinatorResponse {
  int32_t throttle_time_ms = 0;  // v1+
  // v4+: the answer's Coordinators; v0-3: one entry built from the top-level fields.
  std::vector<FindCoordinatorResponseCoordinator> coordinators;
  bool operator==(const FindCoordinatorResponse&) const = default;
};

// Body only.
void encode(wire::Writer& w, const FindCoordinatorRequest& request, int16_t version);
// `requested_key` fills coordinators[0].key for v0-3.
FindCoordinatorResponse decode_find_coordinator_response(wire::Reader& r, int16_t version,
                                                         std::string_view requested_key = {});

// Server side (fault server, demo broker front). Fields the version lacks are not written.
// The request decoder puts v0-3's single key in coordinator_keys. The response encoder writes
// v0-3's top-level fields from the one coordinator entry (its key is not on the wire) and
// throws std::invalid_argument unless there is exactly one.
FindCoordinatorRequest decode_find_coordinator_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const FindCoordinatorResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
