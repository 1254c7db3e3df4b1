// FindCoordinator: which broker coordinates each consumer group.
//
// Answers are cached in the client (ClusterClient::coordinators) until a request to the
// coordinator says it moved (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE,
// COORDINATOR_LOAD_IN_PROGRESS) or its connection fails, so a warm poll sends none. Brokers
// with FindCoordinator v4+ (Kafka 3.0+) take every group in one request; older ones take one
// group per request, all sent in the same round.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kafka/requests/cluster_client.hpp"

namespace lagwatch::kafka {

// Looks up every group of `groups` that has no cached coordinator. Returns, per group whose
// lookup failed, why.
std::map<std::string, std::string> find_coordinators(ClusterClient& client, const std::vector<std::string>& groups);

// Forgets the coordinators of these groups (they moved, or their broker failed).
void forget_coordinators(ClusterClient& client, const std::vector<std::string>& groups);

}  // namespace lagwatch::kafka
