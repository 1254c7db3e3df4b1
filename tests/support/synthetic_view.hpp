// ClusterViews made up in a test, as a poller would publish them, without Kafka: each group
// is a list of partitions with a status, a lag and a lag in seconds, aggregated by the real
// evaluate_group.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/cluster_view.hpp"
#include "evaluate/group_status.hpp"

namespace lagwatch::testing {

struct SyntheticPartition {
  std::string topic;
  int32_t partition = 0;
  evaluate::Status status = evaluate::Status::OK;
  int64_t lag = 0;
  double lag_seconds = 0;
};

using SyntheticGroups = std::map<std::string, std::vector<SyntheticPartition>>;

// `now_ms` is the poll's evaluation time. `up` false: the cluster did not answer Metadata (and
// then, as in the poller, there are no evaluations whatever `groups` says).
inline std::shared_ptr<core::ClusterView> synthetic_view(const std::string& cluster, int64_t now_ms,
                                                         const SyntheticGroups& groups, bool up = true) {
  auto snap = std::make_shared<model::ClusterSnapshot>();
  snap->cluster = cluster;
  snap->metadata_ok = up;
  snap->offsets_read_at = model::Clock::time_point(std::chrono::milliseconds(now_ms));
  snap->started = snap->finished = snap->offsets_read_at;
  auto view = std::make_shared<core::ClusterView>();
  for (const auto& [name, parts] : groups) {
    model::GroupLag lag;
    lag.group = name;
    std::vector<evaluate::PartitionResult> results;
    for (const auto& p : parts) {
      model::PartitionLag pl;
      pl.topic = p.topic;
      pl.partition = p.partition;
      pl.lag = p.lag;
      pl.log_end_offset = 1000;
      pl.committed_offset = 1000 - p.lag;
      pl.lag_seconds = p.lag_seconds;
      lag.partitions.push_back(pl);
      evaluate::PartitionResult r;
      r.topic = p.topic;
      r.partition = p.partition;
      r.verdict.status = p.status;
      r.current_lag = p.lag;
      results.push_back(r);
    }
    if (up) {
      evaluate::GroupEvaluation ev;
      ev.group = name;
      ev.verdict = evaluate::evaluate_group(std::move(results));
      view->evaluations.push_back(std::move(ev));
    }
    view->lag.push_back(std::move(lag));
  }
  view->stats.up = up;
  view->snapshot = std::move(snap);
  return view;
}

// One group with one partition (topic "orders", partition 0) whose status makes the group's:
// OK -> OK, WARN -> WARN, ERR -> a STOP partition.
inline std::vector<SyntheticPartition> one_partition(evaluate::Status group_status, int64_t lag = 100,
                                                     double lag_seconds = 12.5) {
  const evaluate::Status p = group_status == evaluate::Status::ERR ? evaluate::Status::STOP : group_status;
  return {{"orders", 0, p, lag, lag_seconds}};
}

}  // namespace lagwatch::testing
