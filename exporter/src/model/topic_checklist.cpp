#include "model/topic_checklist.hpp"

#include <algorithm>
#include <climits>

namespace lagwatch::model {

int replication_factor(const Topic& topic) {
  int rf = INT_MAX;
  for (const auto& p : topic.partitions) rf = std::min(rf, static_cast<int>(p.replicas.size()));
  return topic.partitions.empty() ? 0 : rf;
}

std::map<std::string, int64_t> largest_replicas(const ClusterSnapshot& snapshot) {
  std::map<std::string, int64_t> out;
  for (const auto& d : snapshot.log_dirs) {
    if (!d.error.empty()) continue;  // a failed directory's sizes are not current
    for (const auto& r : d.replicas) {
      if (r.future) continue;
      auto& m = out[r.topic];
      m = std::max(m, r.size_bytes);
    }
  }
  return out;
}

std::vector<ChecklistResult> topic_checklist(const Topic& topic, const std::optional<TopicConfig>& config,
                                             std::optional<int64_t> largest_replica, int64_t size_limit_bytes) {
  const int rf = replication_factor(topic);
  std::vector<ChecklistResult> out{{"replication_factor_below_3", rf < 3}};
  if (config && config->min_insync_replicas) {
    const int min_isr = *config->min_insync_replicas;
    out.push_back({"min_insync_below_2", min_isr < 2});
    out.push_back({"min_insync_not_below_rf", min_isr >= rf});
  }
  if (largest_replica) out.push_back({"partition_size_above_limit", *largest_replica > size_limit_bytes});
  return out;
}

}  // namespace lagwatch::model
