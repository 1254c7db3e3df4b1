// OffsetFetch: committed offsets of consumer groups, from each group's coordinator.
//
// Coordinators with OffsetFetch v8+ (Kafka 3.0+) take all of their groups in one request;
// older ones one group per request, all in the same round. A group whose coordinator moved
// (NOT_COORDINATOR and kin, or a failed connection) is looked up again and asked once more
// within the same poll.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kafka/requests/cluster_client.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::kafka {

using PartitionNames = std::vector<std::pair<std::string, int32_t>>;

struct GroupOffsetsRequest {
  std::string group;
  // Partitions to ask for. Null: every partition the group committed on (OffsetFetch v2+
  // with null topics). Shared, because the same list may be named for many groups.
  std::shared_ptr<const PartitionNames> partitions;
};

struct GroupOffsetsResult {
  std::string group;
  std::vector<model::CommittedOffset> offsets;  // only partitions with a commit (offset >= 0)
  std::string error;                            // empty on success
};

struct GroupOffsetsOutcome {
  std::vector<GroupOffsetsResult> results;  // in request order
  int requests = 0;                         // OffsetFetch requests sent
};

GroupOffsetsOutcome fetch_group_offsets(ClusterClient& client, const std::vector<GroupOffsetsRequest>& requests);

}  // namespace lagwatch::kafka
