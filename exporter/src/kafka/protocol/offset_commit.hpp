// OffsetCommit (key 8): a consumer (or an admin tool resetting offsets) stores committed
// offsets for a group; the answer carries an error per partition.
//
// lagwatch's client never sends it (it reads offsets with OffsetFetch). The demo broker front
// (exporter/src/demo/) decodes the requests and responses it forwards to librdkafka's mock
// cluster, to see which member committed what. The request encoder exists so the captures can
// be round-tripped. Everything decoded came off the wire: counts are bounded, malformed bytes
// throw wire::DecodeError.
//
// Versions 2-10: Kafka 4.0 removed v0-1 (KIP-896), so the v1-only commit_timestamp is never on
// the wire here and stays -1. v10 names topics by id instead of by name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct OffsetCommitRequestPartition {
  int32_t partition_index = 0;
  int64_t committed_offset = -1;
  int32_t committed_leader_epoch = -1;  // v6+
  int64_t commit_timestamp = -1;        // v1 only: not implemented (see above)
  std::optional<std::string> committed_metadata;
};

struct OffsetCommitRequestTopic {
  std::string name;      // v2-9
  std::string topic_id;  // v10+: 16 raw bytes
  std::vector<OffsetCommitRequestPartition> partitions;
};

struct OffsetCommitRequest {
  std::string group_id;
  int32_t generation_id_or_member_epoch = -1;    // -1 for a commit from outside the group
  std::string member_id;                         // "" likewise
  std::optional<std::string> group_instance_id;  // v7+
  int64_t retention_time_ms = -1;                // v2-4
  std::vector<OffsetCommitRequestTopic> topics;
};

struct OffsetCommitResponsePartition {
  int32_t partition_index = 0;
  int16_t error_code = 0;
};

struct OffsetCommitResponseTopic {
  std::string name;      // v2-9
  std::string topic_id;  // v10+: 16 raw bytes
  std::vector<OffsetCommitResponsePartition> partitions;
};

struct OffsetCommitResponse {
  int32_t throttle_time_ms = 0;  // v3+
  std::vector<OffsetCommitResponseTopic> topics;
};

// Bodies only. Versions outside wire::implemented_versions(offset_commit): std::invalid_argument,
// as is encoding a group_instance_id below v7 or a topic_id that is not 16 bytes at v10.
OffsetCommitRequest decode_offset_commit_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const OffsetCommitRequest& request, int16_t version);
OffsetCommitResponse decode_offset_commit_response(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const OffsetCommitResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
