// The Kafka 2.4.0 captures' live group members (README "Consumer groups"), shared by the
// JoinGroup/SyncGroup/Heartbeat/OffsetCommit tests: member id, group and topic by client id
// (a frame's step is "live-member:<client id>"), and the body bytes of a captured frame.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "captures.hpp"

namespace lagwatch::test {

struct LiveMember {
  std::string group, member_id, topic;
};

inline const std::map<std::string, LiveMember>& live_members() {
  static const std::map<std::string, LiveMember> members = {
      {"billing-1", {"billing", "billing-1-02e598ea-f1d3-49fe-9ee5-34afe3458d2e", "orders"}},
      {"analytics-1", {"analytics", "analytics-1-b3676ce5-a0fa-4a6f-b7db-e4f0980f7750", "orders"}},
      {"analytics-2", {"analytics", "analytics-2-83fc25e9-019b-46f3-969c-8bc2d0bd07eb", "orders"}},
      {"shipping-1", {"shipping", "shipping-1-a6a6981a-034b-4eb5-b588-a97d4d820a47", "payments"}},
  };
  return members;
}

// The client id of a live member's frame ("" for other frames).
inline std::string live_client(const CapturedFrame& f) {
  const std::string prefix = "live-member:";
  return f.step.rfind(prefix, 0) == 0 ? f.step.substr(prefix.size()) : std::string();
}

inline const LiveMember& live_member_of(const CapturedFrame& f) { return live_members().at(live_client(f)); }

inline std::vector<uint8_t> request_bytes(const CapturedFrame& f) {
  const auto b = request_body(f);
  return {b.begin(), b.end()};
}

inline std::vector<uint8_t> response_bytes(const CapturedFrame& f) {
  const auto r = response_reader(f);
  return {f.response.begin() + static_cast<std::ptrdiff_t>(r.position()), f.response.end()};
}

}  // namespace lagwatch::test
