// Applies the Burrow rules to every group of one cluster, from the lag of this poll, the
// groups' offset windows and the partitions' end-offset histories. No I/O: the poller calls
// it after each poll and publishes the result with the cluster's view.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "evaluate/evaluation_settings.hpp"
#include "evaluate/group_status.hpp"
#include "model/lag.hpp"
#include "store/group_windows.hpp"
#include "store/partition_histories.hpp"

namespace lagwatch::evaluate {

struct Owner {
  std::string host;
  std::string client_id;
};

struct GroupEvaluation {
  std::string group;
  GroupVerdict verdict;  // NOTFOUND when no partition could be evaluated
  // Per partition: the window as evaluated, and the member that owns it (if known).
  std::map<std::pair<std::string, int32_t>, std::vector<Observation>> windows;
  std::map<std::pair<std::string, int32_t>, Owner> owners;
};

std::vector<GroupEvaluation> evaluate_cluster(const model::ClusterSnapshot& snapshot,
                                              const std::vector<model::GroupLag>& lag,
                                              const store::GroupWindows& windows,
                                              const store::PartitionHistories& histories,
                                              const EvaluationSettings& settings, int64_t now_ms);

}  // namespace lagwatch::evaluate
