#include "kafka/protocol/metadata.hpp"

#include <stdexcept>

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

std::vector<int32_t> int32_array(wire::Reader& r, const char* field, bool compact) {
  const size_t n = r.count(field, compact, 4);
  std::vector<int32_t> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(r.int32(field));
  return out;
}

MetadataResponsePartition decode_partition(wire::Reader& r, int16_t version, bool flexible) {
  MetadataResponsePartition p;
  p.error_code = r.int16("error_code");
  p.partition_index = r.int32("partition_index");
  p.leader_id = r.int32("leader_id");
  if (version >= 7) p.leader_epoch = r.int32("leader_epoch");
  p.replica_nodes = int32_array(r, "replica_nodes", flexible);
  p.isr_nodes = int32_array(r, "isr_nodes", flexible);
  if (version >= 5) p.offline_replicas = int32_array(r, "offline_replicas", flexible);
  if (flexible) r.skip_tagged_fields();
  return p;
}

MetadataResponseTopic decode_topic(wire::Reader& r, int16_t version, bool flexible) {
  MetadataResponseTopic t;
  t.error_code = r.int16("error_code");
  if (version >= 12) {
    t.name = r.nullable_string("name", flexible);
  } else {
    t.name = r.string("name", flexible);
  }
  if (version >= 10) t.topic_id = r.uuid("topic_id");
  if (version >= 1) t.is_internal = r.boolean("is_internal");
  // error 2, index 4, leader 4, replicas and ISR counts (4 each, 1 each when compact).
  const size_t n = r.count("partitions", flexible, flexible ? 12 : 18);
  t.partitions.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("partitions", i);
    t.partitions.push_back(decode_partition(r, version, flexible));
  }
  if (version >= 8) t.topic_authorized_operations = r.int32("topic_authorized_operations");
  if (flexible) r.skip_tagged_fields();
  return t;
}

void write_int32_array(wire::Writer& w, const std::vector<int32_t>& v, bool compact) {
  w.array_length(v.size(), compact);
  for (int32_t x : v) w.int32(x);
}

}  // namespace

void encode(wire::Writer& w, const MetadataRequest& request, int16_t version) {
  wire::require_implemented(wire::ApiKey::metadata, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::metadata, version);
  if (!request.topics) {
    if (version == 0) {
      w.array_length(0, false);  // v0: an empty array means all topics
    } else {
      w.null_array(flexible);
    }
  } else {
    if (version == 0 && request.topics->empty())
      throw std::invalid_argument("Metadata v0 cannot ask for no topics (an empty array means all)");
    w.array_length(request.topics->size(), flexible);
    for (const auto& name : *request.topics) {
      if (version >= 10) w.uuid(kZeroTopicId);
      w.string(name, flexible);
      if (flexible) w.no_tagged_fields();
    }
  }
  if (version >= 4) w.boolean(request.allow_auto_topic_creation);
  if (version >= 8 && version <= 10) w.boolean(request.include_cluster_authorized_operations);
  if (version >= 8) w.boolean(request.include_topic_authorized_operations);
  if (flexible) w.no_tagged_fields();
}

MetadataResponse decode_metadata_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::metadata, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::metadata, version);
  MetadataResponse out;
  if (version >= 3) out.throttle_time_ms = r.int32("throttle_time_ms");
  // node id 4, host length (2, or 1 compact), port 4.
  const size_t nb = r.count("brokers", flexible, flexible ? 9 : 10);
  out.brokers.reserve(nb);
  for (size_t i = 0; i < nb; ++i) {
    auto s = r.scope("brokers", i);
    MetadataResponseBroker b;
    b.node_id = r.int32("node_id");
    b.host = r.string("host", flexible);
    b.port = r.int32("port");
    if (version >= 1) b.rack = r.nullable_string("rack", flexible);
    if (flexible) r.skip_tagged_fields();
    out.brokers.push_back(std::move(b));
  }
  if (version >= 2) out.cluster_id = r.nullable_string("cluster_id", flexible);
  if (version >= 1) out.controller_id = r.int32("controller_id");
  // error 2, name length (2, or 1 compact), partitions count (4, or 1 compact).
  const size_t nt = r.count("topics", flexible, flexible ? 4 : 8);
  out.topics.reserve(nt);
  for (size_t i = 0; i < nt; ++i) {
    auto s = r.scope("topics", i);
    out.topics.push_back(decode_topic(r, version, flexible));
  }
  if (version >= 8 && version <= 10) out.cluster_authorized_operations = r.int32("cluster_authorized_operations");
  if (flexible) r.skip_tagged_fields();
  return out;
}

MetadataRequest decode_metadata_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(wire::ApiKey::metadata, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::metadata, version);
  MetadataRequest out;
  // Smallest topic: an empty name (2 bytes, or 1 compact); v10+ a 16-byte id before it and a
  // tagged-field section after.
  const int32_t n = r.array_length("topics", flexible, version >= 10 ? 18 : (flexible ? 1 : 2));
  if (n < 0 && version == 0) r.fail("topics", "null array (v1+ only)");
  if (n >= 0 && !(version == 0 && n == 0)) {
    out.topics.emplace();
    out.topics->reserve(static_cast<size_t>(n));
    for (int32_t i = 0; i < n; ++i) {
      auto s = r.scope("topics", static_cast<size_t>(i));
      if (version >= 10) {
        if (r.uuid("topic_id") != kZeroTopicId) r.fail("topic_id", "topics asked for by id are not supported");
        auto name = r.nullable_string("name", flexible);
        if (!name) r.fail("name", "topics asked for by id (null name) are not supported");
        out.topics->push_back(std::move(*name));
      } else {
        out.topics->push_back(r.string("name", flexible));
      }
      if (flexible) r.skip_tagged_fields();
    }
  }
  if (version >= 4) out.allow_auto_topic_creation = r.boolean("allow_auto_topic_creation");
  if (version >= 8 && version <= 10)
    out.include_cluster_authorized_operations = r.boolean("include_cluster_authorized_operations");
  if (version >= 8) out.include_topic_authorized_operations = r.boolean("include_topic_authorized_operations");
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const MetadataResponse& response, int16_t version) {
  wire::require_implemented(wire::ApiKey::metadata, version);
  const bool flexible = wire::is_flexible(wire::ApiKey::metadata, version);
  if (version >= 3) w.int32(response.throttle_time_ms);
  w.array_length(response.brokers.size(), flexible);
  for (const auto& b : response.brokers) {
    w.int32(b.node_id);
    w.string(b.host, flexible);
    w.int32(b.port);
    if (version >= 1) w.nullable_string(b.rack, flexible);
    if (flexible) w.no_tagged_fields();
  }
  if (version >= 2) w.nullable_string(response.cluster_id, flexible);
  if (version >= 1) w.int32(response.controller_id);
  w.array_length(response.topics.size(), flexible);
  for (const auto& t : response.topics) {
    w.int16(t.error_code);
    if (version >= 12) {
      w.nullable_string(t.name, flexible);
    } else {
      if (!t.name)
        throw std::invalid_argument("Metadata v" + std::to_string(version) + " cannot carry a null topic name (v12+)");
      w.string(*t.name, flexible);
    }
    if (version >= 10) w.uuid(t.topic_id);
    if (version >= 1) w.boolean(t.is_internal);
    w.array_length(t.partitions.size(), flexible);
    for (const auto& p : t.partitions) {
      w.int16(p.error_code);
      w.int32(p.partition_index);
      w.int32(p.leader_id);
      if (version >= 7) w.int32(p.leader_epoch);
      write_int32_array(w, p.replica_nodes, flexible);
      write_int32_array(w, p.isr_nodes, flexible);
      if (version >= 5) write_int32_array(w, p.offline_replicas, flexible);
      if (flexible) w.no_tagged_fields();
    }
    if (version >= 8) w.int32(t.topic_authorized_operations);
    if (flexible) w.no_tagged_fields();
  }
  if (version >= 8 && version <= 10) w.int32(response.cluster_authorized_operations);
  if (flexible) w.no_tagged_fields();
}

}  // namespace lagwatch::kafka::protocol
