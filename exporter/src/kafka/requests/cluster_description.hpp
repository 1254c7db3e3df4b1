// DescribeCluster (KIP-700): the cluster id, and on Kafka 4.0+ (v2) the brokers that are
// registered but fenced, which Metadata does not list. Asked only on KRaft clusters: in
// ZooKeeper mode it says nothing Metadata has not said already.
#pragma once

#include <string>
#include <vector>

#include "kafka/requests/cluster_client.hpp"

namespace lagwatch::kafka {

struct ClusterDescription {
  bool unsupported = false;
  std::string cluster_id;
  std::vector<int32_t> fenced_brokers;  // v2+ only; empty before
  bool refused = false;                 // CLUSTER_AUTHORIZATION_FAILED: lagwatch may not ask (not an error)
  std::string error;
};

ClusterDescription describe_cluster(ClusterClient& client);

}  // namespace lagwatch::kafka
