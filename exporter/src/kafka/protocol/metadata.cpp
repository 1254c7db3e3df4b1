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

}  // namespace lagwatch::kafka::protocol
