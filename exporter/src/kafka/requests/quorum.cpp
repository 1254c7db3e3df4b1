#include "kafka/requests/quorum.hpp"

#include "kafka/protocol/describe_quorum.hpp"
#include "kafka/protocol/error_codes.hpp"

namespace lagwatch::kafka {
namespace {

model::QuorumReplica replica_of(const protocol::DescribeQuorumReplicaState& r) {
  model::QuorumReplica out;
  out.id = r.replica_id;
  out.log_end_offset = r.log_end_offset;
  if (r.last_fetch_timestamp >= 0) out.last_fetch_ms = r.last_fetch_timestamp;
  if (r.last_caught_up_timestamp >= 0) out.last_caught_up_ms = r.last_caught_up_timestamp;
  return out;
}

}  // namespace

QuorumAnswer describe_quorum(ClusterClient& client) {
  QuorumAnswer out;
  net::Call call;
  call.key = wire::ApiKey::describe_quorum;
  call.encode = [](int16_t version) {
    wire::Writer w;
    protocol::encode(w, protocol::cluster_metadata_quorum_request(), version);
    return w.take();
  };
  call.on_answer = [&out](wire::Reader& r, int16_t version) {
    const auto response = protocol::decode_describe_quorum_response(r, version);
    if (protocol::authorization_failed(response.error_code)) {
      out.refused = true;
      return;
    }
    if (response.error_code != 0) {
      out.error = "DescribeQuorum: " + protocol::describe_error(response.error_code);
      return;
    }
    for (const auto& t : response.topics) {
      for (const auto& p : t.partitions) {
        if (t.topic_name != protocol::kClusterMetadataTopic || p.partition_index != 0) continue;
        if (p.error_code != 0) {
          out.error = "DescribeQuorum: " + protocol::describe_error(p.error_code);
          return;
        }
        model::Quorum q;
        q.leader_id = p.leader_id;
        q.leader_epoch = p.leader_epoch;
        q.high_watermark = p.high_watermark;
        for (const auto& v : p.current_voters) q.voters.push_back(replica_of(v));
        for (const auto& o : p.observers) q.observers.push_back(replica_of(o));
        out.quorum = std::move(q);
      }
    }
    if (!out.quorum && out.error.empty()) {
      out.error = "DescribeQuorum: the answer does not describe __cluster_metadata partition 0";
    }
  };
  client.pool().run(std::span(&call, 1));
  if (!call.answered) {
    out.unsupported = call.unsupported;
    if (!call.unsupported) out.error = "DescribeQuorum: " + call.error;
  }
  return out;
}

}  // namespace lagwatch::kafka
