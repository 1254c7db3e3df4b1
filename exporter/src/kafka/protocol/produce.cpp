#include "kafka/protocol/produce.hpp"

#include <string>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

constexpr int16_t kFirstTopicIdVersion = 13;

// RECORDS is nullable BYTES (COMPACT_NULLABLE_BYTES when flexible): a length (-1 or 0 for
// null), then that many bytes, which are skipped.
void skip_records(wire::Reader& r, bool flexible, ProducePartitionData& p) {
  const int64_t n = flexible ? int64_t(r.uvarint("records")) - 1 : int64_t(r.int32("records"));
  if (n < -1) r.fail("records", "records length " + std::to_string(n));
  if (n == -1) {
    p.records_null = true;
    return;
  }
  r.raw(static_cast<size_t>(n), "records");
  p.records_bytes = static_cast<size_t>(n);
}

}  // namespace

ProduceRequest decode_produce_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::produce, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::produce, version);
  ProduceRequest out;
  out.transactional_id = r.nullable_string("transactional_id", flexible);
  out.acks = r.int16("acks");
  out.timeout_ms = r.int32("timeout_ms");
  // name 2 and partition count 4; compact: name 1, count 1, tagged fields 1.
  const size_t n = r.count("topic_data", flexible, flexible ? 3 : 6);
  out.topic_data.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("topic_data", i);
    ProduceTopicData t;
    if (version >= kFirstTopicIdVersion) {
      t.topic_id = r.uuid("topic_id");
    } else {
      t.name = r.string("name", flexible);
    }
    // index 4 and records length 4; compact: index 4, length 1, tagged fields 1.
    const size_t np = r.count("partition_data", flexible, flexible ? 6 : 8);
    t.partitions.reserve(np);
    for (size_t j = 0; j < np; ++j) {
      auto ps = r.scope("partition_data", j);
      ProducePartitionData p;
      p.index = r.int32("index");
      skip_records(r, flexible, p);
      if (flexible) r.skip_tagged_fields();
      t.partitions.push_back(p);
    }
    if (flexible) r.skip_tagged_fields();
    out.topic_data.push_back(std::move(t));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

}  // namespace lagwatch::kafka::protocol
