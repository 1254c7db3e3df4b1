#include "kafka/protocol/describe_quorum.hpp"

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

constexpr wire::ApiKey kKey = wire::ApiKey::describe_quorum;

// Every version is flexible (KIP-482 compact strings and arrays, a tag section closing each
// struct; the classic encodings are larger still), so the smallest elements are: request topic = empty name + empty
// partitions + tags (3); request partition = index + tags (5); response topic = 3; listener = two empty names + port +
// tags (5); node = id + empty listeners + tags (6).
constexpr size_t kMinTopic = 3;
constexpr size_t kMinRequestPartition = 5;
constexpr size_t kMinListener = 5;
constexpr size_t kMinNode = 6;

// Replica: id + log end offset + tags (13), plus two timestamps from v1 (29), plus a directory
// id from v2 (45).
size_t min_replica(int16_t version) { return version >= 2 ? 45 : version >= 1 ? 29 : 13; }
// Partition: index, error code, leader id and epoch, high watermark, two empty arrays and tags
// (25), plus a null error message from v2 (26).
size_t min_partition(int16_t version) { return version >= 2 ? 26 : 25; }

DescribeQuorumReplicaState decode_replica(wire::Reader& r, int16_t version, bool flexible) {
  DescribeQuorumReplicaState s;
  s.replica_id = r.int32("replica_id");
  if (version >= 2) s.replica_directory_id = r.uuid("replica_directory_id");
  s.log_end_offset = r.int64("log_end_offset");
  if (version >= 1) {
    s.last_fetch_timestamp = r.int64("last_fetch_timestamp");
    s.last_caught_up_timestamp = r.int64("last_caught_up_timestamp");
  }
  if (flexible) r.skip_tagged_fields();
  return s;
}

std::vector<DescribeQuorumReplicaState> decode_replicas(wire::Reader& r, const char* field, int16_t version,
                                                        bool flexible) {
  const size_t n = r.count(field, flexible, min_replica(version));
  std::vector<DescribeQuorumReplicaState> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope(field, i);
    out.push_back(decode_replica(r, version, flexible));
  }
  return out;
}

DescribeQuorumResponsePartition decode_partition(wire::Reader& r, int16_t version, bool flexible) {
  DescribeQuorumResponsePartition p;
  p.partition_index = r.int32("partition_index");
  p.error_code = r.int16("error_code");
  if (version >= 2) p.error_message = r.nullable_string("error_message", flexible);
  p.leader_id = r.int32("leader_id");
  p.leader_epoch = r.int32("leader_epoch");
  p.high_watermark = r.int64("high_watermark");
  p.current_voters = decode_replicas(r, "current_voters", version, flexible);
  p.observers = decode_replicas(r, "observers", version, flexible);
  if (flexible) r.skip_tagged_fields();
  return p;
}

DescribeQuorumResponseTopic decode_topic(wire::Reader& r, int16_t version, bool flexible) {
  DescribeQuorumResponseTopic t;
  t.topic_name = r.string("topic_name", flexible);
  const size_t n = r.count("partitions", flexible, min_partition(version));
  t.partitions.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("partitions", i);
    t.partitions.push_back(decode_partition(r, version, flexible));
  }
  if (flexible) r.skip_tagged_fields();
  return t;
}

DescribeQuorumNode decode_node(wire::Reader& r, bool flexible) {
  DescribeQuorumNode node;
  node.node_id = r.int32("node_id");
  const size_t n = r.count("listeners", flexible, kMinListener);
  node.listeners.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("listeners", i);
    DescribeQuorumListener l;
    l.name = r.string("name", flexible);
    l.host = r.string("host", flexible);
    l.port = static_cast<uint16_t>(r.int16("port"));  // uint16: same two bytes
    if (flexible) r.skip_tagged_fields();
    node.listeners.push_back(std::move(l));
  }
  if (flexible) r.skip_tagged_fields();
  return node;
}

void encode_replicas(wire::Writer& w, const std::vector<DescribeQuorumReplicaState>& replicas, int16_t version,
                     bool flexible) {
  w.array_length(replicas.size(), flexible);
  for (const auto& s : replicas) {
    w.int32(s.replica_id);
    if (version >= 2) w.uuid(s.replica_directory_id);
    w.int64(s.log_end_offset);
    if (version >= 1) {
      w.int64(s.last_fetch_timestamp);
      w.int64(s.last_caught_up_timestamp);
    }
    if (flexible) w.no_tagged_fields();
  }
}

}  // namespace

DescribeQuorumRequest cluster_metadata_quorum_request() {
  DescribeQuorumRequest request;
  request.topics.push_back({kClusterMetadataTopic, {{0}}});
  return request;
}

void encode(wire::Writer& w, const DescribeQuorumRequest& request, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  w.array_length(request.topics.size(), flexible);
  for (const auto& t : request.topics) {
    w.string(t.topic_name, flexible);
    w.array_length(t.partitions.size(), flexible);
    for (const auto& p : t.partitions) {
      w.int32(p.partition_index);
      if (flexible) w.no_tagged_fields();
    }
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

DescribeQuorumResponse decode_describe_quorum_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  DescribeQuorumResponse out;
  out.error_code = r.int16("error_code");
  if (version >= 2) out.error_message = r.nullable_string("error_message", flexible);
  const size_t n = r.count("topics", flexible, kMinTopic);
  out.topics.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("topics", i);
    out.topics.push_back(decode_topic(r, version, flexible));
  }
  if (version >= 2) {
    const size_t m = r.count("nodes", flexible, kMinNode);
    out.nodes.reserve(m);
    for (size_t i = 0; i < m; ++i) {
      auto s = r.scope("nodes", i);
      out.nodes.push_back(decode_node(r, flexible));
    }
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

DescribeQuorumRequest decode_describe_quorum_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  DescribeQuorumRequest out;
  const size_t n = r.count("topics", flexible, kMinTopic);
  out.topics.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("topics", i);
    DescribeQuorumRequestTopic t;
    t.topic_name = r.string("topic_name", flexible);
    const size_t m = r.count("partitions", flexible, kMinRequestPartition);
    t.partitions.reserve(m);
    for (size_t j = 0; j < m; ++j) {
      auto ps = r.scope("partitions", j);
      t.partitions.push_back({r.int32("partition_index")});
      if (flexible) r.skip_tagged_fields();
    }
    if (flexible) r.skip_tagged_fields();
    out.topics.push_back(std::move(t));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const DescribeQuorumResponse& response, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  w.int16(response.error_code);
  if (version >= 2) w.nullable_string(response.error_message, flexible);
  w.array_length(response.topics.size(), flexible);
  for (const auto& t : response.topics) {
    w.string(t.topic_name, flexible);
    w.array_length(t.partitions.size(), flexible);
    for (const auto& p : t.partitions) {
      w.int32(p.partition_index);
      w.int16(p.error_code);
      if (version >= 2) w.nullable_string(p.error_message, flexible);
      w.int32(p.leader_id);
      w.int32(p.leader_epoch);
      w.int64(p.high_watermark);
      encode_replicas(w, p.current_voters, version, flexible);
      encode_replicas(w, p.observers, version, flexible);
      if (flexible) w.no_tagged_fields();
    }
    if (flexible) w.no_tagged_fields();
  }
  if (version >= 2) {
    w.array_length(response.nodes.size(), flexible);
    for (const auto& node : response.nodes) {
      w.int32(node.node_id);
      w.array_length(node.listeners.size(), flexible);
      for (const auto& l : node.listeners) {
        w.string(l.name, flexible);
        w.string(l.host, flexible);
        w.int16(static_cast<int16_t>(l.port));
        if (flexible) w.no_tagged_fields();
      }
      if (flexible) w.no_tagged_fields();
    }
  }
  if (flexible) w.no_tagged_fields();
}

}  // namespace lagwatch::kafka::protocol
