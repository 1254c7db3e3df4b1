// Produce (key 0), request only: the demo broker front (exporter/src/demo/) counts the bytes
// clients produce to each partition of librdkafka's mock cluster, for the sizes its
// DescribeLogDirs answers report. Only sizes are read: each partition's records stay an opaque
// byte span (no batch is decoded), so a body of any size costs no allocation beyond the
// topic/partition lists. lagwatch's client never produces.
//
// Versions 3-13: Kafka 4.0 rejects v0-2 (its ApiVersions still advertises v0 because of a
// librdkafka bug, KAFKA-18659); v9 is the first flexible version; v13 names topics by id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"

namespace lagwatch::kafka::protocol {

struct ProducePartitionData {
  int32_t index = 0;
  size_t records_bytes = 0;  // the size of the records field (record batches)
  bool records_null = false;
};

struct ProduceTopicData {
  std::string name;      // v3-12
  std::string topic_id;  // v13+: 16 raw bytes
  std::vector<ProducePartitionData> partitions;
};

struct ProduceRequest {
  std::optional<std::string> transactional_id;  // v3+
  int16_t acks = -1;
  int32_t timeout_ms = 0;
  std::vector<ProduceTopicData> topic_data;
};

// Body only. Versions outside wire::implemented_versions(produce): std::invalid_argument.
ProduceRequest decode_produce_request(wire::Reader& r, int16_t version);

}  // namespace lagwatch::kafka::protocol
