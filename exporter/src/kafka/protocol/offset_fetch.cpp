#include "kafka/protocol/offset_fetch.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

void write_topics(wire::Writer& w, const std::optional<std::vector<OffsetFetchRequestTopic>>& topics, bool flexible) {
  if (!topics) {
    w.null_array(flexible);
    return;
  }
  w.array_length(topics->size(), flexible);
  for (const auto& t : *topics) {
    w.string(t.name, flexible);
    w.array_length(t.partition_indexes.size(), flexible);
    for (int32_t p : t.partition_indexes) w.int32(p);
    if (flexible) w.no_tagged_fields();
  }
}

std::vector<OffsetFetchResponseTopic> read_topics(wire::Reader& r, int16_t version, bool flexible) {
  // Smallest topic: an empty name and no partitions (plus the tag section).
  const size_t n = r.count("topics", flexible, flexible ? 3 : 6);
  std::vector<OffsetFetchResponseTopic> topics;
  topics.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("topics", i);
    OffsetFetchResponseTopic t;
    t.name = r.string("name", flexible);
    // Smallest partition: index, offset, (epoch,) null metadata, error code.
    const size_t np = r.count("partitions", flexible, version >= 5 ? 19 : 16);
    t.partitions.reserve(np);
    for (size_t j = 0; j < np; ++j) {
      auto ps = r.scope("partitions", j);
      OffsetFetchResponsePartition p;
      p.partition_index = r.int32("partition_index");
      p.committed_offset = r.int64("committed_offset");
      if (version >= 5) p.committed_leader_epoch = r.int32("committed_leader_epoch");
      p.metadata = r.nullable_string("metadata", flexible);
      p.error_code = r.int16("error_code");
      if (flexible) r.skip_tagged_fields();
      t.partitions.push_back(std::move(p));
    }
    if (flexible) r.skip_tagged_fields();
    topics.push_back(std::move(t));
  }
  return topics;
}

}  // namespace

void encode(wire::Writer& w, const OffsetFetchRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::offset_fetch, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::offset_fetch, version);
  if (request.require_stable && version < 7)
    throw std::invalid_argument("OffsetFetch v" + std::to_string(version) + " cannot require stable offsets (v7+)");
  if (version < 8) {
    if (request.groups.size() != 1)
      throw std::invalid_argument("OffsetFetch v" + std::to_string(version) + " carries exactly one group, not " +
                                  std::to_string(request.groups.size()));
    const auto& g = request.groups.front();
    if (!g.topics && version < 2)
      throw std::invalid_argument("OffsetFetch v" + std::to_string(version) + " cannot ask for all topics (v2+)");
    w.string(g.group_id, flexible);
    write_topics(w, g.topics, flexible);
  } else {
    w.array_length(request.groups.size(), flexible);
    for (const auto& g : request.groups) {
      w.string(g.group_id, flexible);
      // member_id / member_epoch are ignorable: v8 simply does not carry them.
      if (version >= 9) {
        w.nullable_string(g.member_id, flexible);
        w.int32(g.member_epoch);
      }
      write_topics(w, g.topics, flexible);
      if (flexible) w.no_tagged_fields();
    }
  }
  if (version >= 7) w.boolean(request.require_stable);
  if (flexible) w.no_tagged_fields();
}

OffsetFetchResponse decode_offset_fetch_response(wire::Reader& r, int16_t version, std::string_view group_id) {
  wire::require_implemented(wire::ApiKey::offset_fetch, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::offset_fetch, version);
  OffsetFetchResponse out;
  if (version >= 3) out.throttle_time_ms = r.int32("throttle_time_ms");
  if (version < 8) {
    OffsetFetchResponseGroup g;
    g.group_id = std::string(group_id);
    g.topics = read_topics(r, version, flexible);
    if (version >= 2) g.error_code = r.int16("error_code");
    out.groups.push_back(std::move(g));
  } else {
    // Smallest group: empty id, no topics, error code, tag section.
    const size_t n = r.count("groups", flexible, 5);
    out.groups.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      auto s = r.scope("groups", i);
      OffsetFetchResponseGroup g;
      g.group_id = r.string("group_id", flexible);
      g.topics = read_topics(r, version, flexible);
      g.error_code = r.int16("error_code");
      if (flexible) r.skip_tagged_fields();
      out.groups.push_back(std::move(g));
    }
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

}  // namespace lagwatch::kafka::protocol
