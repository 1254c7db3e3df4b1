// The "consumer" embedded protocol (clients/src/main/resources/common/message/
// ConsumerProtocolSubscription.json and ConsumerProtocolAssignment.json): what a classic
// consumer group's members put in JoinGroup metadata and what the leader hands out in
// SyncGroup, as DescribeGroups returns them in member_metadata / member_assignment.
// lagwatch decodes the assignment to know which member owns which partition, and the
// subscription for the topics a member asked for.
//
// Both start with an int16 version; each version only appends fields, so a version newer than
// lagwatch knows is read as the newest known one and the rest is ignored (as Kafka's own
// ConsumerProtocol does). Neither is ever flexible. Malformed bytes (including empty ones,
// which a non-Stable group's members carry) throw wire::DecodeError.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kafka/wire/reader.hpp"

namespace lagwatch::kafka::protocol {

struct ConsumerProtocolTopicPartitions {
  std::string topic;
  std::vector<int32_t> partitions;
};

struct ConsumerProtocolAssignment {
  int16_t version = 0;
  std::vector<ConsumerProtocolTopicPartitions> assigned_partitions;
  std::vector<uint8_t> user_data;  // null reads as empty
};

struct ConsumerProtocolSubscription {
  int16_t version = 0;
  std::vector<std::string> topics;
  std::vector<uint8_t> user_data;                                 // null reads as empty
  std::vector<ConsumerProtocolTopicPartitions> owned_partitions;  // v1+
  int32_t generation_id = -1;                                     // v2+
  std::optional<std::string> rack_id;                             // v3+
};

// The newest version whose fields these decoders read.
inline constexpr int16_t kConsumerProtocolMaxVersion = 3;

ConsumerProtocolAssignment decode_consumer_protocol_assignment(std::span<const uint8_t> bytes);
ConsumerProtocolSubscription decode_consumer_protocol_subscription(std::span<const uint8_t> bytes);

}  // namespace lagwatch::kafka::protocol
