// DescribeQuorum: the KRaft metadata quorum (`__cluster_metadata` partition 0), asked of any
// broker, which forwards it to the active controller. A broker that does not offer the API is
// in ZooKeeper mode (ZooKeeper-mode brokers do not list it in ApiVersions), which is how
// lagwatch tells the two modes apart.
#pragma once

#include <optional>
#include <string>

#include "kafka/requests/cluster_client.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::kafka {

struct QuorumAnswer {
  bool unsupported = false;  // the broker asked does not offer DescribeQuorum: not KRaft
  std::optional<model::Quorum> quorum;
  // lagwatch may not ask (CLUSTER_AUTHORIZATION_FAILED: it needs DESCRIBE on the cluster).
  // Not an error of the cluster, so not in `error`.
  bool refused = false;
  std::string error;  // the request failed, or the quorum reported an error
};

QuorumAnswer describe_quorum(ClusterClient& client);

}  // namespace lagwatch::kafka
