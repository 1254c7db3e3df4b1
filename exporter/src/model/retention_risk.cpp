#include "model/retention_risk.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace lagwatch::model {

RetentionRisk retention_risk(const RetentionInput& in) {
  RetentionRisk out;
  if (in.log_start_offset && in.committed_offset >= 0 && in.committed_offset < *in.log_start_offset) {
    out.data_lost = true;
    out.seconds_left = 0;
    out.limit = "deleted";
    return out;
  }
  if (!in.deletes || !in.log_end_offset || in.committed_offset >= *in.log_end_offset) return out;

  auto consider = [&](double seconds, const char* limit) {
    seconds = std::max(0.0, seconds);
    if (!out.seconds_left || seconds < *out.seconds_left) {
      out.seconds_left = seconds;
      out.limit = limit;
    }
  };
  if (in.retention_ms && *in.retention_ms >= 0 && !in.lag_seconds_lower_bound) {
    consider(static_cast<double>(*in.retention_ms) / 1000.0 - in.lag_seconds, "time");
  }
  if (!in.tiered && in.retention_bytes && *in.retention_bytes >= 0 && in.partition_bytes && in.log_start_offset &&
      *in.log_end_offset > *in.log_start_offset) {
    const double bytes_per_offset =
        static_cast<double>(*in.partition_bytes) / static_cast<double>(*in.log_end_offset - *in.log_start_offset);
    const double unread = static_cast<double>(*in.log_end_offset - in.committed_offset);
    if (bytes_per_offset > 0) {
      const double headroom = static_cast<double>(*in.retention_bytes) / bytes_per_offset - unread;
      if (headroom <= 0) {
        consider(0, "size");
      } else if (in.offsets_per_second && *in.offsets_per_second > 0) {
        consider(headroom / *in.offsets_per_second, "size");
      }
    }
  }
  return out;
}

void annotate_retention_risk(std::vector<GroupLag>& lag, const ClusterSnapshot& snapshot,
                             const AppendRateSource* rates) {
  // The leader's replica is the one whose retention decides (followers follow its log start).
  std::map<std::tuple<std::string, int32_t, int32_t>, int64_t> sizes;  // (topic, partition, broker)
  for (const auto& d : snapshot.log_dirs) {
    if (!d.error.empty()) continue;
    for (const auto& r : d.replicas) {
      if (!r.future) sizes[{r.topic, r.partition, d.broker}] = r.size_bytes;
    }
  }
  for (auto& g : lag) {
    for (auto& p : g.partitions) {
      const Topic* topic = snapshot.find_topic(p.topic);
      const Partition* part = topic ? topic->find(p.partition) : nullptr;
      if (!part) continue;
      RetentionInput in;
      in.committed_offset = p.committed_offset;
      in.log_start_offset = part->log_start_offset;
      in.log_end_offset = part->log_end_offset;
      in.lag_seconds = p.lag_seconds;
      in.lag_seconds_lower_bound = p.lag_seconds_lower_bound;
      if (auto c = snapshot.topic_configs.find(p.topic); c != snapshot.topic_configs.end()) {
        const auto& policy = c->second.cleanup_policy;
        in.deletes = policy.empty() || policy.find("delete") != std::string::npos;
        in.retention_ms = c->second.retention_ms;
        in.retention_bytes = c->second.retention_bytes;
        in.tiered = c->second.remote_storage;
      } else {
        // Without the topic's config there is no limit to estimate from; the data-loss flag
        // needs none.
        in.deletes = false;
      }
      if (auto s = sizes.find({p.topic, p.partition, part->leader}); s != sizes.end()) in.partition_bytes = s->second;
      if (rates) in.offsets_per_second = rates->offsets_per_second(p.topic, p.partition);
      const auto risk = retention_risk(in);
      p.seconds_until_deleted = risk.seconds_left;
      p.deletion_limit = risk.limit;
      p.data_lost = risk.data_lost;
    }
  }
}

}  // namespace lagwatch::model
