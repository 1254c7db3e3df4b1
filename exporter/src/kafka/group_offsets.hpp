// OffsetFetch: committed offsets of consumer groups.
//
// librdkafka's ListConsumerGroupOffsets takes one group per call, so calls are pipelined on
// one queue with at most `concurrency` in flight, each bounded by the request timeout: 2000
// groups finish in a few round trips, and a slow coordinator holds only its own slots.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kafka/client.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::kafka {

struct GroupOffsetsRequest {
  std::string group;
  // Partitions to ask for. Null: every partition the group committed on (a real broker's
  // answer to an empty topic list; librdkafka 2.0.2's mock answers it with nothing). Shared,
  // because the same list of every partition may be named for many groups.
  std::shared_ptr<const std::vector<std::pair<std::string, int32_t>>> partitions;
};

struct GroupOffsetsResult {
  std::string group;
  std::vector<model::CommittedOffset> offsets;  // only partitions with a commit (offset >= 0)
  std::string error;                            // empty on success
};

std::vector<GroupOffsetsResult> fetch_group_offsets(const Client& client,
                                                    const std::vector<GroupOffsetsRequest>& requests, int concurrency);

}  // namespace lagwatch::kafka
