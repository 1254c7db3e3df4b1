// The demo broker front's request path, fed untrusted bytes as any client of the demo could
// send them: the input is one request frame (after its size prefix). Its header is read as the
// front reads it; a request the front answers itself is answered (decoded, answered from a
// small demo cluster's state, encoded at the request's version); a request it only observes
// (JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, Produce) is decoded and shown to
// the group registry as if the mock had accepted it. Only wire::DecodeError and the front's
// std::runtime_error for a version it does not offer may come out; anything else, a crash or a
// sanitizer report is a bug.
#include <chrono>
#include <cstdint>
#include <span>
#include <stdexcept>

#include "demo/front/frames.hpp"
#include "demo/front/group_registry.hpp"
#include "demo/front/local_answers.hpp"
#include "demo/front/simulation.hpp"
#include "kafka/protocol/heartbeat.hpp"
#include "kafka/protocol/join_group.hpp"
#include "kafka/protocol/leave_group.hpp"
#include "kafka/protocol/offset_commit.hpp"
#include "kafka/protocol/produce.hpp"
#include "kafka/protocol/sync_group.hpp"
#include "kafka/wire/api.hpp"

namespace {

namespace front = lagwatch::demo::front;
namespace protocol = lagwatch::kafka::protocol;
namespace wire = lagwatch::kafka::wire;
using wire::ApiKey;

void observe(const front::RequestHeader& h, std::span<const uint8_t> frame, front::GroupRegistry& groups,
             front::Simulation& sim, front::SteadyTime now) {
  auto r = front::request_body(frame, h);
  const front::RequestOrigin origin{1, h.client_id.value_or(""), "/127.0.0.1"};
  switch (static_cast<ApiKey>(h.api_key)) {
    case ApiKey::join_group: {
      const auto request = protocol::decode_join_group_request(r, h.api_version);
      protocol::JoinGroupResponse accepted;
      accepted.generation_id = 1;
      accepted.member_id = request.member_id.empty() ? "member-1" : request.member_id;
      if (!request.protocols.empty()) accepted.protocol_name = request.protocols.front().name;
      groups.joined(origin, request, accepted, now);
      break;
    }
    case ApiKey::sync_group: {
      const auto request = protocol::decode_sync_group_request(r, h.api_version);
      protocol::SyncGroupResponse accepted;
      if (!request.assignments.empty()) accepted.assignment = request.assignments.front().assignment;
      groups.synced(request, accepted, now);
      break;
    }
    case ApiKey::heartbeat:
      groups.heartbeat(protocol::decode_heartbeat_request(r, h.api_version), {}, now);
      break;
    case ApiKey::leave_group:
      groups.left(protocol::decode_leave_group_request(r, h.api_version), now);
      break;
    case ApiKey::offset_commit:
      groups.committed(origin, protocol::decode_offset_commit_request(r, h.api_version), now);
      break;
    case ApiKey::produce:
      for (const auto& t : protocol::decode_produce_request(r, h.api_version).topic_data) {
        for (const auto& p : t.partitions) sim.produced(t.name, p.index, static_cast<int64_t>(p.records_bytes));
      }
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> frame(data, size);
  front::Simulation sim({1, 2, 3}, {{"orders", 6, 3, {}}, {"payments", 3, 3, {{"min.insync.replicas", "3"}}}});
  front::GroupRegistry groups;
  const std::map<int32_t, uint16_t> ports{{1, 9001}, {2, 9002}, {3, 9003}};
  const auto now = std::chrono::steady_clock::now();
  try {
    const auto header = front::parse_request_header(frame);
    if (front::answered_here(header.api_key)) {
      front::FrontState state{sim, groups, 1, ports};
      (void)front::answer_here(header, frame, state, now);
    } else if (wire::is_implemented(static_cast<ApiKey>(header.api_key), header.api_version)) {
      observe(header, frame, groups, sim, now);
      // What the group traffic left, described as the front would.
      (void)groups.list(1, {}, now);
      (void)groups.describe(1, {"g", "billing"}, now);
    }
  } catch (const wire::DecodeError&) {
    // Refused: the front closes the connection.
  } catch (const std::runtime_error&) {
    // A version the front does not offer (DecodeError is a runtime_error too, caught above).
  }
  return 0;
}
