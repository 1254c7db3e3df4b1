#include "kafka/protocol/consumer_protocol.hpp"

#include <algorithm>

namespace lagwatch::kafka::protocol {
namespace {

int16_t read_version(wire::Reader& r) {
  const int16_t v = r.int16("version");
  if (v < 0) r.fail("version", "negative consumer protocol version " + std::to_string(v));
  return v;
}

std::vector<ConsumerProtocolTopicPartitions> read_topic_partitions(wire::Reader& r, const char* field) {
  // Smallest element: an empty topic name and an empty partition array.
  const size_t n = r.count(field, false, 6);
  std::vector<ConsumerProtocolTopicPartitions> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope(field, i);
    ConsumerProtocolTopicPartitions tp;
    tp.topic = r.string("topic", false);
    const size_t np = r.count("partitions", false, 4);
    tp.partitions.reserve(np);
    for (size_t j = 0; j < np; ++j) tp.partitions.push_back(r.int32("partitions"));
    out.push_back(std::move(tp));
  }
  return out;
}

}  // namespace

ConsumerProtocolAssignment decode_consumer_protocol_assignment(std::span<const uint8_t> bytes) {
  wire::Reader r(bytes);
  auto s = r.scope("assignment");
  ConsumerProtocolAssignment out;
  out.version = read_version(r);
  // Versions 0-3 of the assignment have the same fields (v1+ only changed what the
  // subscription carries), so every version reads alike.
  out.assigned_partitions = read_topic_partitions(r, "assigned_partitions");
  out.user_data = r.bytes("user_data", false);
  return out;
}

ConsumerProtocolSubscription decode_consumer_protocol_subscription(std::span<const uint8_t> bytes) {
  wire::Reader r(bytes);
  auto s = r.scope("subscription");
  ConsumerProtocolSubscription out;
  out.version = read_version(r);
  const int16_t v = std::min(out.version, kConsumerProtocolMaxVersion);
  const size_t n = r.count("topics", false, 2);
  out.topics.reserve(n);
  for (size_t i = 0; i < n; ++i) out.topics.push_back(r.string("topics", false));
  out.user_data = r.bytes("user_data", false);
  if (v >= 1) out.owned_partitions = read_topic_partitions(r, "owned_partitions");
  if (v >= 2) out.generation_id = r.int32("generation_id");
  if (v >= 3) out.rack_id = r.nullable_string("rack_id", false);
  return out;
}

}  // namespace lagwatch::kafka::protocol
