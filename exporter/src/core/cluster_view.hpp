// What the readers of a poll (metrics, the HTTP API, notifiers) see of one cluster: the last
// complete poll, the lag derived from it, the evaluation, and the poller's own counters.
// Immutable once published; readers hold a shared_ptr and never lock against the poller.
//
// core/ holds the types the modules above the poller share, as Burrow's core/protocol does:
// collect/ writes them, publish/, notify/ and http/ read them, and none of those includes
// collect/.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "evaluate/cluster_evaluation.hpp"
#include "model/lag.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::core {

struct PollStats {
  uint64_t polls = 0;                              // completed polls, successful or not
  std::map<std::string, uint64_t> errors_by_kind;  // cumulative, by model::ErrorKind name
  double last_duration_seconds = 0;
  double last_success_unix_seconds = 0;  // 0 until the cluster first answers
  bool up = false;                       // the last poll got Metadata
};

// What the configuration says about how a cluster's series are published.
struct PublishOptions {
  // Static labels added to every series of the cluster, after `cluster` (clusters[].labels).
  std::vector<std::pair<std::string, std::string>> labels;
  bool partition_size_series = false;                   // log_dirs.partition_series
  int64_t partition_size_limit_bytes = 25'000'000'000;  // log_dirs.partition_size_limit
};

struct ClusterView {
  std::shared_ptr<const model::ClusterSnapshot> snapshot;
  std::vector<model::GroupLag> lag;
  std::vector<evaluate::GroupEvaluation> evaluations;  // same order as lag (by group name)
  PollStats stats;
  size_t histories = 0;  // partitions with an end-offset history
  PublishOptions publish;
};

}  // namespace lagwatch::core
