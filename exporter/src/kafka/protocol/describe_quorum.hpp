// DescribeQuorum (API 55, KIP-595/642): the state of a KRaft quorum, answered by any broker or
// controller of a KRaft cluster (Kafka 3.3+). lagwatch asks for the metadata log,
// `__cluster_metadata` partition 0, and reports its leader_id, leader_epoch and high_watermark
// and, per voter and observer, log_end_offset (how far each replica trails the leader) and, from
// v1, last_fetch_timestamp / last_caught_up_timestamp (KIP-836). v2 (KIP-853, dynamic quorums)
// adds error messages, each replica's directory id and the voters' controller listeners.
//
// Both directions are here: requests are encoded and responses decoded by the client, and the
// test fault server and the demo broker front decode requests and encode responses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

// The metadata log of a KRaft cluster: the only topic a quorum describes.
inline constexpr const char* kClusterMetadataTopic = "__cluster_metadata";

struct DescribeQuorumRequestPartition {
  int32_t partition_index = 0;
  bool operator==(const DescribeQuorumRequestPartition&) const = default;
};

struct DescribeQuorumRequestTopic {
  std::string topic_name;
  std::vector<DescribeQuorumRequestPartition> partitions;
  bool operator==(const DescribeQuorumRequestTopic&) const = default;
};

struct DescribeQuorumRequest {
  std::vector<DescribeQuorumRequestTopic> topics;
  bool operator==(const DescribeQuorumRequest&) const = default;
};

// What lagwatch sends: `__cluster_metadata` partition 0.
DescribeQuorumRequest cluster_metadata_quorum_request();

// ReplicaState: one voter or observer as the quorum leader sees it.
struct DescribeQuorumReplicaState {
  int32_t replica_id = 0;
  // v2+: 16 raw bytes; all zero (Uuid.ZERO_UUID) when the replica has no directory id.
  std::string replica_directory_id = std::string(16, '\0');
  int64_t log_end_offset = 0;             // -1: unknown
  int64_t last_fetch_timestamp = -1;      // v1+; the leader's own entry: its current time; -1: unknown
  int64_t last_caught_up_timestamp = -1;  // v1+; -1 when unknown
  bool operator==(const DescribeQuorumReplicaState&) const = default;
};

struct DescribeQuorumResponsePartition {
  int32_t partition_index = 0;
  int16_t error_code = 0;
  std::optional<std::string> error_message;  // v2+, nullable
  int32_t leader_id = 0;                     // -1: no leader known
  int32_t leader_epoch = 0;
  int64_t high_watermark = 0;
  std::vector<DescribeQuorumReplicaState> current_voters;
  std::vector<DescribeQuorumReplicaState> observers;
  bool operator==(const DescribeQuorumResponsePartition&) const = default;
};

struct DescribeQuorumResponseTopic {
  std::string topic_name;
  std::vector<DescribeQuorumResponsePartition> partitions;
  bool operator==(const DescribeQuorumResponseTopic&) const = default;
};

// v2+: a controller listener of a voter.
struct DescribeQuorumListener {
  std::string name;
  std::string host;
  uint16_t port = 0;  // uint16 on the wire
  bool operator==(const DescribeQuorumListener&) const = default;
};

// v2+: a voter and its listeners.
struct DescribeQuorumNode {
  int32_t node_id = 0;
  std::vector<DescribeQuorumListener> listeners;
  bool operator==(const DescribeQuorumNode&) const = default;
};

struct DescribeQuorumResponse {
  int16_t error_code = 0;
  std::optional<std::string> error_message;  // v2+, nullable
  std::vector<DescribeQuorumResponseTopic> topics;
  std::vector<DescribeQuorumNode> nodes;  // v2+
  bool operator==(const DescribeQuorumResponse&) const = default;
};

// Client side.
void encode(wire::Writer& w, const DescribeQuorumRequest& request, int16_t version);
DescribeQuorumResponse decode_describe_quorum_response(wire::Reader& r, int16_t version);

// Server side (fault server, demo broker front). Fields the version lacks are not written.
DescribeQuorumRequest decode_describe_quorum_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const DescribeQuorumResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
