#include "evaluate/group_status.hpp"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

namespace lagwatch::evaluate {
namespace {

int64_t add_sat(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::numeric_limits<int64_t>::max();  // both >= 0 here
  return r;
}

// Burrow's precedence: partition statuses above ERR (STOP, STALL, REWIND) count as ERR.
int severity(Status partition_status) {
  if (is_error(partition_status)) return status_code(Status::ERR);
  return status_code(partition_status);
}

}  // namespace

GroupVerdict evaluate_group(std::vector<PartitionResult> partitions) {
  GroupVerdict g;
  if (partitions.empty()) return g;

  std::stable_sort(partitions.begin(), partitions.end(), [](const PartitionResult& a, const PartitionResult& b) {
    return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
  });

  g.status = Status::OK;
  size_t complete = 0;
  const PartitionResult* max_lag = nullptr;
  for (const auto& p : partitions) {
    if (severity(p.verdict.status) > status_code(g.status)) g.status = static_cast<Status>(severity(p.verdict.status));
    const int64_t lag = std::max<int64_t>(p.current_lag, 0);
    g.total_lag = add_sat(g.total_lag, lag);
    auto& topic_lag = g.lag_per_topic[p.topic];
    topic_lag = add_sat(topic_lag, lag);
    if (max_lag == nullptr || p.current_lag > max_lag->current_lag) max_lag = &p;
    if (p.verdict.complete) ++complete;
  }
  g.max_lag = *max_lag;
  g.partition_count = partitions.size();
  g.completeness = static_cast<double>(complete) / static_cast<double>(partitions.size());
  g.complete = complete == partitions.size();
  g.partitions = std::move(partitions);
  return g;
}

PartitionResult evaluate_partition_result(std::string topic, int32_t partition, const PartitionInput& in) {
  PartitionResult r;
  r.topic = std::move(topic);
  r.partition = partition;
  r.verdict = evaluate_partition(in);
  r.current_lag = in.current_lag;
  if (!in.window.empty()) {
    r.start = in.window.front();
    r.end = in.window.back();
  }
  return r;
}

}  // namespace lagwatch::evaluate
