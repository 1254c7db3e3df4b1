// Metadata (key 3): the cluster's brokers (id, host, port), controller and cluster id, and per
// topic partition its leader, leader epoch, replicas, in-sync replicas and offline replicas.
// lagwatch asks for all topics (or the ones configured), never lets the broker auto-create a
// topic, and routes ListOffsets to each partition's leader from this answer; a partition error
// (LEADER_NOT_AVAILABLE, LISTENER_NOT_FOUND while a leader is offline) marks it unavailable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

// The all-zero topic id: "none" (versions before 10, or a topic unknown by name).
inline const std::string kZeroTopicId(16, '\0');

struct MetadataRequest {
  // nullopt: all topics (v1+ null array; v0 empty array). An empty list asks for no topics
  // (brokers and controller only), which v0 cannot express: encode refuses it.
  std::optional<std::vector<std::string>> topics;
  bool allow_auto_topic_creation = false;              // v4+
  bool include_cluster_authorized_operations = false;  // v8-10
  bool include_topic_authorized_operations = false;    // v8+
  bool operator==(const MetadataRequest&) const = default;
};

struct MetadataResponseBroker {
  int32_t node_id = 0;
  std::string host;
  int32_t port = 0;
  std::optional<std::string> rack;  // v1+
  bool operator==(const MetadataResponseBroker&) const = default;
};

struct MetadataResponsePartition {
  int16_t error_code = 0;
  int32_t partition_index = 0;
  int32_t leader_id = -1;
  int32_t leader_epoch = -1;  // v7+
  std::vector<int32_t> replica_nodes;
  std::vector<int32_t> isr_nodes;
  std::vector<int32_t> offline_replicas;  // v5+
  bool operator==(const MetadataResponsePartition&) const = default;
};

struct MetadataResponseTopic {
  int16_t error_code = 0;
  std::optional<std::string> name;      // null only in v12+, for a topic asked for by id
  std::string topic_id = kZeroTopicId;  // v10+, 16 raw bytes
  bool is_internal = false;             // v1+
  std::vector<MetadataResponsePartition> partitions;
  int32_t topic_authorized_operations = INT32_MIN;  // v8+
  bool operator==(const MetadataResponseTopic&) const = default;
};

struct MetadataResponse {
  int32_t throttle_time_ms = 0;  // v3+
  std::vector<MetadataResponseBroker> brokers;
  std::optional<std::string> cluster_id;  // v2+
  int32_t controller_id = -1;             // v1+
  std::vector<MetadataResponseTopic> topics;
  int32_t cluster_authorized_operations = INT32_MIN;  // v8-10
  bool operator==(const MetadataResponse&) const = default;
};

// Body only. Topics are asked for by name (v10+ sends the zero topic id).
void encode(wire::Writer& w, const MetadataRequest& request, int16_t version);
MetadataResponse decode_metadata_response(wire::Reader& r, int16_t version);

// Server side (fault server, demo broker front: it re-encodes the answers of librdkafka's mock
// cluster after editing them). Fields the version lacks are not written.
//
// The request decoder reads a v0 empty topic array as nullopt (all topics, as encode writes
// it). MetadataRequest names topics only: a v10+ topic asked for by id (null name) or with a
// non-zero topic id is refused with DecodeError, since the struct could not say so.
MetadataRequest decode_metadata_request(wire::Reader& r, int16_t version);
// A null topic name below v12 throws std::invalid_argument (no earlier version can carry it).
void encode(wire::Writer& w, const MetadataResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
