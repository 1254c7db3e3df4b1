// ConsumerGroupDescribe (API 69, KIP-848), sent to a group's coordinator: a consumer group of the
// new rebalance protocol ("consumer" groups, Kafka 4.0+), which DescribeGroups reports without
// members or assignments. lagwatch reports group_state, group_epoch and assignment_epoch, and
// per member its member_id, client_id and client_host (to label who owns a partition), its
// current assignment (which partitions it owns) and its target assignment (what it will own once
// the group's reconciliation completes, so an owner in transit can be told apart from a stuck
// one). v1 (KIP-1099) adds member_type: a classic-protocol member of a consumer group.
//
// Both directions are here: requests are encoded and responses decoded by the client, and the
// test fault server and the demo broker front decode requests and encode responses.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"
#include "kafka/wire/writer.hpp"

namespace lagwatch::kafka::protocol {

struct ConsumerGroupDescribeRequest {
  std::vector<std::string> group_ids;
  bool include_authorized_operations = false;
  bool operator==(const ConsumerGroupDescribeRequest&) const = default;
};

// TopicPartitions: the partitions of one topic in an assignment.
struct ConsumerGroupDescribeTopicPartitions {
  std::string topic_id = std::string(16, '\0');  // 16 raw bytes
  std::string topic_name;
  std::vector<int32_t> partitions;
  bool operator==(const ConsumerGroupDescribeTopicPartitions&) const = default;
};

struct ConsumerGroupDescribeAssignment {
  std::vector<ConsumerGroupDescribeTopicPartitions> topic_partitions;
  bool operator==(const ConsumerGroupDescribeAssignment&) const = default;
};

struct ConsumerGroupDescribeMember {
  std::string member_id;
  std::optional<std::string> instance_id;  // nullable: null unless static membership
  std::optional<std::string> rack_id;      // nullable
  int32_t member_epoch = 0;
  std::string client_id;
  std::string client_host;
  std::vector<std::string> subscribed_topic_names;
  std::optional<std::string> subscribed_topic_regex;  // nullable
  ConsumerGroupDescribeAssignment assignment;
  ConsumerGroupDescribeAssignment target_assignment;
  int8_t member_type = -1;  // v1+: -1 unknown, 0 classic member, 1 consumer member
  bool operator==(const ConsumerGroupDescribeMember&) const = default;
};

struct ConsumerGroupDescribeGroup {
  int16_t error_code = 0;
  std::optional<std::string> error_message;  // nullable
  std::string group_id;
  std::string group_state;  // "Empty", "Assigning", "Reconciling", "Stable", "Dead", or ""
  int32_t group_epoch = 0;
  int32_t assignment_epoch = 0;
  std::string assignor_name;  // "uniform", "range", ...
  std::vector<ConsumerGroupDescribeMember> members;
  int32_t authorized_operations = std::numeric_limits<int32_t>::min();  // INT32_MIN: not requested
  bool operator==(const ConsumerGroupDescribeGroup&) const = default;
};

struct ConsumerGroupDescribeResponse {
  int32_t throttle_time_ms = 0;
  std::vector<ConsumerGroupDescribeGroup> groups;
  bool operator==(const ConsumerGroupDescribeResponse&) const = default;
};

// Client side.
void encode(wire::Writer& w, const ConsumerGroupDescribeRequest& request, int16_t version);
ConsumerGroupDescribeResponse decode_consumer_group_describe_response(wire::Reader& r, int16_t version);

// Server side (fault server, demo broker front). Fields the version lacks are not written.
ConsumerGroupDescribeRequest decode_consumer_group_describe_request(wire::Reader& r, int16_t version);
void encode(wire::Writer& w, const ConsumerGroupDescribeResponse& response, int16_t version);

}  // namespace lagwatch::kafka::protocol
