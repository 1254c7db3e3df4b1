// Fetch (API key 1), versions 4-12: lagwatch reads one record at a known offset (a group's
// committed offset) to learn its timestamp, so that lag can be reported in seconds as well as
// in messages. It is never a consumer: no fetch session (session_id 0, session_epoch -1), a
// short max_wait_ms, min_bytes 1 and a small partition_max_bytes.
//
// Fields lagwatch uses: per partition error_code, high_watermark, last_stable_offset,
// log_start_offset, aborted_transactions (read_committed), preferred_read_replica (v11+) and
// the raw record bytes, which record_batch.hpp decodes. The records are kept as raw bytes:
// the broker may cut the last batch short (max bytes), and only the batch decoder knows that.
//
// Version notes (FetchRequest.json / FetchResponse.json): v4 isolation_level,
// last_stable_offset and aborted_transactions; v5 log_start_offset; v7 fetch sessions
// (session_id, session_epoch, forgotten topics, top-level error_code); v9
// current_leader_epoch; v10 zstd may appear in the records; v11 rack_id and
// preferred_read_replica; v12 flexible, last_fetched_epoch in the request, and the tagged
// diverging_epoch / current_leader / snapshot_id in the response. v13 replaces topic names with
// topic ids, which is why lagwatch stops at 12.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/protocol/isolation_level.hpp"
#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct FetchRequestPartition {
  int32_t partition = 0;
  int32_t current_leader_epoch = -1;  // v9+; -1: not checked by the broker
  int64_t fetch_offset = 0;
  int32_t last_fetched_epoch = -1;  // v12+; only followers use it
  int64_t log_start_offset = -1;    // v5+; only followers use it
  int32_t partition_max_bytes = 0;
};

struct FetchRequestTopic {
  std::string topic;
  std::vector<FetchRequestPartition> partitions;
};

struct FetchRequestForgottenTopic {  // v7+, incremental sessions only
  std::string topic;
  std::vector<int32_t> partitions;
};

struct FetchRequest {
  int32_t replica_id = -1;  // -1: a consumer, not a follower
  int32_t max_wait_ms = 500;
  int32_t min_bytes = 1;
  int32_t max_bytes = 0x7fffffff;
  int8_t isolation_level = kReadUncommitted;
  int32_t session_id = 0;      // v7+; 0 with epoch -1: no fetch session (a full fetch)
  int32_t session_epoch = -1;  // v7+
  std::vector<FetchRequestTopic> topics;
  std::vector<FetchRequestForgottenTopic> forgotten_topics_data;  // v7+
  std::string rack_id;                                            // v11+
};

struct FetchResponseAbortedTransaction {
  int64_t producer_id = 0;
  int64_t first_offset = 0;
};

// v12 tagged fields of a partition.
struct FetchResponseEpochEndOffset {
  int32_t epoch = -1;
  int64_t end_offset = -1;
};
struct FetchResponseLeaderIdAndEpoch {
  int32_t leader_id = -1;
  int32_t leader_epoch = -1;
};
struct FetchResponseSnapshotId {
  int64_t end_offset = -1;
  int32_t epoch = -1;
};

struct FetchResponsePartition {
  int32_t partition_index = 0;
  int16_t error_code = 0;
  int64_t high_watermark = -1;
  int64_t last_stable_offset = -1;                              // v4+
  int64_t log_start_offset = -1;                                // v5+
  std::optional<FetchResponseEpochEndOffset> diverging_epoch;   // v12+, tag 0
  std::optional<FetchResponseLeaderIdAndEpoch> current_leader;  // v12+, tag 1
  std::optional<FetchResponseSnapshotId> snapshot_id;           // v12+, tag 2
  // v4+. Null (nullopt) in read_uncommitted answers; the aborted transactions overlapping the
  // returned records in read_committed ones.
  std::optional<std::vector<FetchResponseAbortedTransaction>> aborted_transactions;
  int32_t preferred_read_replica = -1;  // v11+
  // The record batches as the broker sent them (possibly ending in a partial batch). A null
  // record set reads as empty.
  std::vector<uint8_t> records;
};

struct FetchResponseTopic {
  std::string topic;
  std::vector<FetchResponsePartition> partitions;
};

struct FetchResponse {
  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;  // v7+
  int32_t session_id = 0;  // v7+
  std::vector<FetchResponseTopic> responses;
};

// Body only. `version` within wire::implemented_versions(fetch), else std::invalid_argument.
void encode(wire::Writer& w, const FetchRequest& request, int16_t version);
FetchResponse decode_fetch_response(wire::Reader& r, int16_t version);

}  // namespace lagwatch::kafka::protocol
