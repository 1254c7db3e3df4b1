// Metadata request: brokers, topics, partitions with leader, replicas and ISR.
#pragma once

#include <chrono>
#include <optional>

#include "model/snapshot.hpp"
#include "rdkafka/client.hpp"

namespace lagwatch::rdkafka {

struct ClusterMetadata {
  std::vector<model::Broker> brokers;  // sorted by id
  std::vector<model::Topic> topics;    // sorted by name; partitions sorted by id; no offsets yet
  int32_t answering_broker = -1;
  std::optional<int32_t> controller_id;  // from Metadata v1+; absent when not reported
};

// Throws KafkaError when no broker answers within the client's request timeout.
ClusterMetadata fetch_metadata(const Client& client);

}  // namespace lagwatch::rdkafka
