// lagwatch's own read-only Kafka client for one cluster: the connections (net/BrokerPool)
// plus what outlives a poll — where each group's coordinator is. The functions in this
// folder, one per Kafka request, turn lagwatch's questions into batched requests (one per
// broker or per coordinator, never one per partition) and the answers into model types.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kafka/net/broker_pool.hpp"

namespace lagwatch::kafka {

struct ClientSettings {
  std::string cluster;  // used in messages
  std::vector<std::string> bootstrap_servers;
  net::ConnectionOptions connection;
};

class ClusterClient {
 public:
  // Throws std::invalid_argument for a malformed bootstrap address.
  explicit ClusterClient(const ClientSettings& settings);

  net::BrokerPool& pool() { return pool_; }
  const std::string& cluster() const { return cluster_; }

  // Group -> coordinator node id, kept until an answer says the coordinator moved.
  std::map<std::string, int32_t>& coordinators() { return coordinators_; }

  // From any thread: the request round in progress ends, later ones fail at once.
  void cancel() { pool_.cancel(); }

 private:
  std::string cluster_;
  net::BrokerPool pool_;
  std::map<std::string, int32_t> coordinators_;
};

}  // namespace lagwatch::kafka
