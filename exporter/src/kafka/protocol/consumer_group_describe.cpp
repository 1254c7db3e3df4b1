#include "kafka/protocol/consumer_group_describe.hpp"

#include "kafka/wire/api.hpp"

namespace lagwatch::kafka::protocol {
namespace {

constexpr wire::ApiKey kKey = wire::ApiKey::consumer_group_describe;

// Every version is flexible (KIP-482 compact strings and arrays, a tag section closing each
// struct; the classic encodings are larger still), so the smallest elements are: a string (1);
// a partition (4); a topic-partitions entry = uuid + empty name + empty partitions + tags (19);
// a group = error code, null message, three empty strings, two epochs, empty members,
// operations and tags (20).
constexpr size_t kMinString = 1;
constexpr size_t kMinPartition = 4;
constexpr size_t kMinTopicPartitions = 19;
constexpr size_t kMinGroup = 20;
// A member: empty id, two nulls, epoch, two empty strings, empty subscriptions, null regex, two
// empty assignments (2 each) and tags (17), plus member_type from v1 (18).
size_t min_member(int16_t version) { return version >= 1 ? 18 : 17; }

ConsumerGroupDescribeAssignment decode_assignment(wire::Reader& r, bool flexible) {
  ConsumerGroupDescribeAssignment a;
  const size_t n = r.count("topic_partitions", flexible, kMinTopicPartitions);
  a.topic_partitions.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("topic_partitions", i);
    ConsumerGroupDescribeTopicPartitions tp;
    tp.topic_id = r.uuid("topic_id");
    tp.topic_name = r.string("topic_name", flexible);
    const size_t m = r.count("partitions", flexible, kMinPartition);
    tp.partitions.reserve(m);
    for (size_t j = 0; j < m; ++j) tp.partitions.push_back(r.int32("partitions"));
    if (flexible) r.skip_tagged_fields();
    a.topic_partitions.push_back(std::move(tp));
  }
  if (flexible) r.skip_tagged_fields();
  return a;
}

ConsumerGroupDescribeMember decode_member(wire::Reader& r, int16_t version, bool flexible) {
  ConsumerGroupDescribeMember m;
  m.member_id = r.string("member_id", flexible);
  m.instance_id = r.nullable_string("instance_id", flexible);
  m.rack_id = r.nullable_string("rack_id", flexible);
  m.member_epoch = r.int32("member_epoch");
  m.client_id = r.string("client_id", flexible);
  m.client_host = r.string("client_host", flexible);
  const size_t n = r.count("subscribed_topic_names", flexible, kMinString);
  m.subscribed_topic_names.reserve(n);
  for (size_t i = 0; i < n; ++i) m.subscribed_topic_names.push_back(r.string("subscribed_topic_names", flexible));
  m.subscribed_topic_regex = r.nullable_string("subscribed_topic_regex", flexible);
  {
    auto s = r.scope("assignment");
    m.assignment = decode_assignment(r, flexible);
  }
  {
    auto s = r.scope("target_assignment");
    m.target_assignment = decode_assignment(r, flexible);
  }
  if (version >= 1) m.member_type = r.int8("member_type");
  if (flexible) r.skip_tagged_fields();
  return m;
}

ConsumerGroupDescribeGroup decode_group(wire::Reader& r, int16_t version, bool flexible) {
  ConsumerGroupDescribeGroup g;
  g.error_code = r.int16("error_code");
  g.error_message = r.nullable_string("error_message", flexible);
  g.group_id = r.string("group_id", flexible);
  g.group_state = r.string("group_state", flexible);
  g.group_epoch = r.int32("group_epoch");
  g.assignment_epoch = r.int32("assignment_epoch");
  g.assignor_name = r.string("assignor_name", flexible);
  const size_t n = r.count("members", flexible, min_member(version));
  g.members.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("members", i);
    g.members.push_back(decode_member(r, version, flexible));
  }
  g.authorized_operations = r.int32("authorized_operations");
  if (flexible) r.skip_tagged_fields();
  return g;
}

void encode_assignment(wire::Writer& w, const ConsumerGroupDescribeAssignment& a, bool flexible) {
  w.array_length(a.topic_partitions.size(), flexible);
  for (const auto& tp : a.topic_partitions) {
    w.uuid(tp.topic_id);
    w.string(tp.topic_name, flexible);
    w.array_length(tp.partitions.size(), flexible);
    for (int32_t p : tp.partitions) w.int32(p);
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

}  // namespace

void encode(wire::Writer& w, const ConsumerGroupDescribeRequest& request, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  w.array_length(request.group_ids.size(), flexible);
  for (const auto& g : request.group_ids) w.string(g, flexible);
  w.boolean(request.include_authorized_operations);
  if (flexible) w.no_tagged_fields();
}

ConsumerGroupDescribeResponse decode_consumer_group_describe_response(wire::Reader& r, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  ConsumerGroupDescribeResponse out;
  out.throttle_time_ms = r.int32("throttle_time_ms");
  const size_t n = r.count("groups", flexible, kMinGroup);
  out.groups.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto s = r.scope("groups", i);
    out.groups.push_back(decode_group(r, version, flexible));
  }
  if (flexible) r.skip_tagged_fields();
  return out;
}

ConsumerGroupDescribeRequest decode_consumer_group_describe_request(wire::Reader& r, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  ConsumerGroupDescribeRequest out;
  const size_t n = r.count("group_ids", flexible, kMinString);
  out.group_ids.reserve(n);
  for (size_t i = 0; i < n; ++i) out.group_ids.push_back(r.string("group_ids", flexible));
  out.include_authorized_operations = r.boolean("include_authorized_operations");
  if (flexible) r.skip_tagged_fields();
  return out;
}

void encode(wire::Writer& w, const ConsumerGroupDescribeResponse& response, int16_t version) {
  wire::require_implemented(kKey, version);
  const bool flexible = wire::is_flexible(kKey, version);
  w.int32(response.throttle_time_ms);
  w.array_length(response.groups.size(), flexible);
  for (const auto& g : response.groups) {
    w.int16(g.error_code);
    w.nullable_string(g.error_message, flexible);
    w.string(g.group_id, flexible);
    w.string(g.group_state, flexible);
    w.int32(g.group_epoch);
    w.int32(g.assignment_epoch);
    w.string(g.assignor_name, flexible);
    w.array_length(g.members.size(), flexible);
    for (const auto& m : g.members) {
      w.string(m.member_id, flexible);
      w.nullable_string(m.instance_id, flexible);
      w.nullable_string(m.rack_id, flexible);
      w.int32(m.member_epoch);
      w.string(m.client_id, flexible);
      w.string(m.client_host, flexible);
      w.array_length(m.subscribed_topic_names.size(), flexible);
      for (const auto& t : m.subscribed_topic_names) w.string(t, flexible);
      w.nullable_string(m.subscribed_topic_regex, flexible);
      encode_assignment(w, m.assignment, flexible);
      encode_assignment(w, m.target_assignment, flexible);
      if (version >= 1) w.int8(m.member_type);
      if (flexible) w.no_tagged_fields();
    }
    w.int32(g.authorized_operations);
    if (flexible) w.no_tagged_fields();
  }
  if (flexible) w.no_tagged_fields();
}

}  // namespace lagwatch::kafka::protocol
