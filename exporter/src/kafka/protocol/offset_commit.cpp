#include "kafka/protocol/offset_commit.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

constexpr int16_t kFirstTopicIdVersion = 10;

void write_topic_key(wire::Writer& w, const std::string& name, const std::string& topic_id, int16_t version,
                     bool flexible) {
  if (version < kFirstTopicIdVersion) {
    w.string(name, flexible);
    return;
  }
  if (topic_id.size() != 16) throw std::invalid_argument("OffsetCommit v10+ needs a 16-byte topic_id");
  w.uuid(topic_id);
}

}  // namespace

OffsetCommitRequest decode_offset_commit_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::offset_commit, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::offset_commit, version);
  OffsetCommitRequest out;
  out.group_id = r.string("group_id", flexible);
  out.generation_id_or_member_epoch = r.int32("generation_id_or_member_epoch");
  out.member_id = r.string("member_id", flexible);
  if (version >= 7) out.group_instance_id = r.nullable_string("group_instance_id", flexible);
  if (version <= 4) out.retention_time_ms = r.int64("retention_time_ms");
  // name 2 and partition count 4; compact: name 1, count 1, tagged fields 1.
  const size_t n = r.count("topics", flexible, flexible ? 3 : 6);
  out.topics.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("topics", i);
    OffsetCommitRequestTopic t;
    if (version >= kFirstTopicIdVersion) {
      t.topic_id = r.uuid("topic_id");
    } else {
      t.name = r.string("name", flexible);
    }
    // index 4, offset 8, metadata 2 (compact 1, plus tagged fields 1); v6+ an epoch 4 more.
    const size_t np = r.count("partitions", flexible, 14);
    t.partitions.reserve(np);
    for (size_t j = 0; j < np; ++j) {
      auto ps = r.scope("partitions", j);
      OffsetCommitRequestPartition p;
      p.partition_index = r.int32("partition_index");
      p.committed_offset = r.int64("committed_offset");
      if (version >= 6) p.committed_leader_epoch = r.int32("committed_leader_epoch");
      p.committed_metadata = r.nullable_string("committed_metadata", flexible);
      if (flexible) r.skip_tagged_fields();
      t.partitions.push_back(std::move(p));
    }
    if (flexible) r.skip_tagged_fields();
    out.topics.push_back(std::move(t));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const OffsetCommitRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::offset_commit, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::offset_commit, version);
  if (version < 7 && request.group_instance_id)
    throw std::invalid_argument("OffsetCommit v" + std::to_string(version) + " has no group_instance_id");
  w.string(request.group_id, flexible);
  w.int32(request.generation_id_or_member_epoch);
  w.string(request.member_id, flexible);
  if (version >= 7) w.nullable_string(request.group_instance_id, flexible);
  if (version <= 4) w.int64(request.retention_time_ms);
  w.array_length(request.topics.size(), flexible);
  for (const auto& t : request.topics) {
    write_topic_key(w, t.name, t.topic_id, version, flexible);
    w.array_length(t.partitions.size(), flexible);
    for (const auto& p : t.partitions) {
      w.int32(p.partition_index);
      w.int64(p.committed_offset);
      if (version >= 6) w.int32(p.committed_leader_epoch);
      w.nullable_string(p.committed_metadata, flexible);
      if (flexible) w.no_tagged_fields();
    }
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

OffsetCommitResponse decode_offset_commit_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::offset_commit, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::offset_commit, version);
  OffsetCommitResponse out;
  if (version >= 3) out.throttle_time_ms = r.int32("throttle_time_ms");
  const size_t n = r.count("topics", flexible, flexible ? 3 : 6);
  out.topics.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("topics", i);
    OffsetCommitResponseTopic t;
    if (version >= kFirstTopicIdVersion) {
      t.topic_id = r.uuid("topic_id");
    } else {
      t.name = r.string("name", flexible);
    }
    const size_t np = r.count("partitions", flexible, 6);  // index 4, error 2
    t.partitions.reserve(np);
    for (size_t j = 0; j < np; ++j) {
      auto ps = r.scope("partitions", j);
      OffsetCommitResponsePartition p;
      p.partition_index = r.int32("partition_index");
      p.error_code = r.int16("error_code");
      if (flexible) r.skip_tagged_fields();
      t.partitions.push_back(p);
    }
    if (flexible) r.skip_tagged_fields();
    out.topics.push_back(std::move(t));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const OffsetCommitResponse& response, int16_t version) {
  wire::require_implemented(wire::ApiKey::offset_commit, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::offset_commit, version);
  if (version >= 3) w.int32(response.throttle_time_ms);
  w.array_length(response.topics.size(), flexible);
  for (const auto& t : response.topics) {
    write_topic_key(w, t.name, t.topic_id, version, flexible);
    w.array_length(t.partitions.size(), flexible);
    for (const auto& p : t.partitions) {
      w.int32(p.partition_index);
      w.int16(p.error_code);
      if (flexible) w.no_tagged_fields();
    }
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

}  // namespace lagwatch::kafka::protocol
