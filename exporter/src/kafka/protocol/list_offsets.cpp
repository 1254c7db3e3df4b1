#include "kafka/protocol/list_offsets.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
void encode(wire::Writer& w, const ListOffsetsRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::list_offsets, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::list_offsets, version);
  w.int32(request.replica_id);
  if (version >= 2) w.int8(request.isolation_level);
  w.array_length(request.topics.size(), flexible);
  for (const auto& t : request.topics) {
    w.string(t.name, flexible);
    w.array_length(t.partitions.size(), flexible);
    for (const auto& p : t.partitions) {
      w.int32(p.partition_index);
      if (version >= 4) w.int32(p.current_leader_epoch);
      w.int64(p.timestamp);
      if (flexible) w.no_tagged_fields();
    }
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

ListOffsetsResponse decode_list_offsets_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::list_offsets, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::list_offsets, version);
  ListOffsetsResponse out;
  if (version >= 2) out.throttle_time_ms = r.int32("throttle_time_ms");
  // name length (2, or 1 compact) and partitions count (4, or 1 compact).
  const size_t nt = r.count("topics", flexible, flexible ? 3 : 6);
  out.topics.reserve(nt);
  for (size_t i = 0; i < nt; ++i) {
    auto s = r.scope("topics", i);
    ListOffsetsTopicResponse t;
    t.name = r.string("name", flexible);
    // index 4, error 2, timestamp 8, offset 8.
    const size_t np = r.count("partitions", flexible, 22);
    t.partitions.reserve(np);
    for (size_t j = 0; j < np; ++j) {
      auto ps = r.scope("partitions", j);
      ListOffsetsPartitionResponse p;
      p.partition_index = r.int32("partition_index");
      p.error_code = r.int16("error_code");
      p.timestamp = r.int64("timestamp");
      p.offset = r.int64("offset");
      if (version >= 4) p.leader_epoch = r.int32("leader_epoch");
      if (flexible) r.skip_tagged_fields();
      t.partitions.push_back(p);
    }
    if (flexible) r.skip_tagged_fields();
    out.topics.push_back(std::move(t));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

}  // namespace lagwatch::kafka::protocol
