// Burrow-style status of a whole consumer group, from its already evaluated partitions.
// Pure functions: no I/O, no Kafka.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "evaluate/partition_rules.hpp"
#include "evaluate/status.hpp"

namespace lagwatch::evaluate {

// One evaluated partition of a group.
struct PartitionResult {
  std::string topic;
  int32_t partition = 0;
  PartitionVerdict verdict;
  int64_t current_lag = 0;
  std::optional<Observation> start;  // first (oldest) observation of the window, if any
  std::optional<Observation> end;    // last (newest) observation of the window, if any
};

struct GroupVerdict {
  // NOTFOUND without partitions; else ERR if any partition is STOP, STALL or REWIND, WARN if
  // any is WARN, OK otherwise.
  Status status = Status::NOTFOUND;
  double completeness = 0;  // share of partitions whose window is full; 0 without partitions
  bool complete = false;    // every partition's window is full (false without partitions)
  int64_t total_lag = 0;    // sum of current_lag over the partitions (negative lags count as 0)
  // The partition with the highest current_lag; on a tie the first in (topic, partition)
  // order. Set whenever there is at least one partition, even if every lag is 0 (as Burrow).
  std::optional<PartitionResult> max_lag;
  size_t partition_count = 0;
  std::map<std::string, int64_t> lag_per_topic;  // every topic of the group, with its total lag
  std::vector<PartitionResult> partitions;       // sorted by topic, then partition
};

// Aggregates the partitions of one group. An empty vector (a group with no committed offsets,
// or one the caller does not know) gives NOTFOUND with everything else zero/empty.
GroupVerdict evaluate_group(std::vector<PartitionResult> partitions);

// Evaluates `in` with evaluate_partition and fills a PartitionResult for it: current_lag from
// in.current_lag, start and end from the window's first and last observations.
PartitionResult evaluate_partition_result(std::string topic, int32_t partition, const PartitionInput& in);

}  // namespace lagwatch::evaluate
