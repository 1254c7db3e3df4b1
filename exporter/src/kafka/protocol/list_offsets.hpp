// ListOffsets (key 2): a partition's offset for a timestamp. lagwatch asks each partition's
// leader for the latest offset (timestamp -1: the high watermark, or the last stable offset
// with isolation_level 1) to compute consumer lag, and for the earliest (-2) to bound it;
// a real timestamp gives the first offset whose record time is at or after it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafka/protocol/isolation_level.hpp"
#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

// Special request timestamps.
inline constexpr int64_t kLatestTimestamp = -1;         // the next offset to be written (end)
inline constexpr int64_t kEarliestTimestamp = -2;       // the log start offset
inline constexpr int64_t kMaxTimestamp = -3;            // v7+: the record with the largest timestamp
inline constexpr int64_t kEarliestLocalTimestamp = -4;  // v8+: the local (not tiered) log start

struct ListOffsetsPartition {
  int32_t partition_index = 0;
  int32_t current_leader_epoch = -1;  // v4+; -1: no fencing
  int64_t timestamp = kLatestTimestamp;
};

struct ListOffsetsTopic {
  std::string name;
  std::vector<ListOffsetsPartition> partitions;
};

struct ListOffsetsRequest {
  int32_t replica_id = -1;                    // -1: a client, not a follower
  int8_t isolation_level = kReadUncommitted;  // v2+
  std::vector<ListOffsetsTopic> topics;
};

struct ListOffsetsPartitionResponse {
  int32_t partition_index = 0;
  int16_t error_code = 0;
  int64_t timestamp = -1;     // -1 for the latest/earliest answers, and when no record matches
  int64_t offset = -1;        // -1 when no record is at or after the requested timestamp
  int32_t leader_epoch = -1;  // v4+
};

struct ListOffsetsTopicResponse {
  std::string name;
  std::vector<ListOffsetsPartitionResponse> partitions;
};

struct ListOffsetsResponse {
  int32_t throttle_time_ms = 0;  // v2+
  std::vector<ListOffsetsTopicResponse> topics;
};

// Body only. v1-8 (v0, with its offsets array, is gone from Kafka 4.0).
void encode(wire::Writer& w, const ListOffsetsRequest& request, int16_t version);
ListOffsetsResponse decode_list_offsets_response(wire::Reader& r, int16_t version);

}  // namespace lagwatch::kafka::protocol
