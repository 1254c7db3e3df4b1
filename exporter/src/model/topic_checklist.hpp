// The production checklist, per topic: replication factor at least 3, min.insync.replicas at
// least 2, and min.insync.replicas below the replication factor (a topic whose min ISR equals
// its RF stops accepting acks=all writes as soon as one broker is down).
//
// partition_size_above_limit: a replica of the topic is larger than the configured limit
// (log_dirs.partition_size_limit, 25 GB by default: the course's sizing rule), from
// DescribeLogDirs. Large partitions make reassignment, recovery and retention slow.
//
// A rule that needs a config lagwatch does not have (DescribeConfigs unavailable) is not
// judged rather than reported as passing.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/snapshot.hpp"

namespace lagwatch::model {

struct ChecklistResult {
  // replication_factor_below_3, min_insync_below_2, min_insync_not_below_rf,
  // partition_size_above_limit
  std::string rule;
  bool violated = false;
};

// The smallest replica count over the topic's partitions (a reassignment in progress can
// leave partitions with different counts; the weakest one is what matters).
int replication_factor(const Topic& topic);

// The largest non-future replica of each topic over the snapshot's healthy log dirs, in bytes
// (lagwatch_topic_partition_max_size_bytes and the partition-size rule).
std::map<std::string, int64_t> largest_replicas(const ClusterSnapshot& snapshot);

// `largest_replica`: the topic's largest replica in bytes, absent without DescribeLogDirs.
std::vector<ChecklistResult> topic_checklist(const Topic& topic, const std::optional<TopicConfig>& config,
                                             std::optional<int64_t> largest_replica = std::nullopt,
                                             int64_t size_limit_bytes = 25'000'000'000);

}  // namespace lagwatch::model
