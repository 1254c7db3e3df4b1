// Metadata: brokers, controller, topics and partitions with leader, replicas and ISR. One
// request per poll, to any broker; its broker list is where every later request goes.
#pragma once

#include <optional>

#include "kafka/kafka_error.hpp"
#include "kafka/requests/cluster_client.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::kafka {

struct ClusterMetadata {
  std::vector<model::Broker> brokers;    // sorted by id
  std::vector<model::Topic> topics;      // sorted by name; partitions sorted by id; no offsets yet
  std::optional<int32_t> controller_id;  // Metadata v1+; absent when not reported (-1)
  std::string cluster_id;                // v2+
};

// Throws KafkaError when no broker answers.
ClusterMetadata fetch_metadata(ClusterClient& client);

}  // namespace lagwatch::kafka
