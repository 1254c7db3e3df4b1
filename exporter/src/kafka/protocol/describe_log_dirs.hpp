// DescribeLogDirs (key 35): each broker's log directories and the size of every partition
// replica in them (KIP-113). lagwatch reads partition_size per broker and partition to report
// how much disk each topic takes and which replicas are still catching up (offset_lag, and
// is_future_key for a replica being moved between directories); v4's total_bytes /
// usable_bytes (KIP-827) tell how full each directory's volume is. The request goes to every
// broker: each answers only for its own directories.
//
// Versions 0-4: v1 is v0 with throttling after the answer; v2 is the first flexible version;
// v3 adds the top-level error_code; v4 adds total_bytes and usable_bytes. Kafka 4.0 removed v0.
// The response encoder and request decoder are for lagwatch's test brokers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct DescribableLogDirTopic {
  std::string topic;
  std::vector<int32_t> partitions;
};

struct DescribeLogDirsRequest {
  std::optional<std::vector<DescribableLogDirTopic>> topics;  // null: every topic
};

struct DescribeLogDirsPartition {
  int32_t partition_index = 0;
  int64_t partition_size = 0;  // bytes of the replica's log segments
  // The current log: high watermark minus log end offset; a future log: how far it is behind
  // the current one.
  int64_t offset_lag = 0;
  bool is_future_key = false;  // a log AlterReplicaLogDirs is building to replace this one
};

struct DescribeLogDirsTopic {
  std::string name;
  std::vector<DescribeLogDirsPartition> partitions;
};

struct DescribeLogDirsResult {
  int16_t error_code = 0;  // KAFKA_STORAGE_ERROR (56) for an offline directory
  std::string log_dir;
  std::vector<DescribeLogDirsTopic> topics;
  int64_t total_bytes = -1;   // v4+; -1 before v4 or when the broker does not know
  int64_t usable_bytes = -1;  // v4+; as total_bytes
};

struct DescribeLogDirsResponse {
  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;  // v3+ (e.g. CLUSTER_AUTHORIZATION_FAILED); 0 before v3
  std::vector<DescribeLogDirsResult> results;
};

void encode(wire::Writer& w, const DescribeLogDirsRequest& request, int16_t version);
DescribeLogDirsResponse decode_describe_log_dirs_response(wire::Reader& r, int16_t version);

// Test brokers' side. A non-zero top-level error_code below v3 throws std::invalid_argument
// (the version cannot carry it); total_bytes and usable_bytes are left out below v4, as Kafka
// does (the spec marks them ignorable).
DescribeLogDirsRequest decode_describe_log_dirs_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const DescribeLogDirsResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
