#include "evaluate/cluster_evaluation.hpp"

namespace lagwatch::evaluate {
namespace {

// The broker's recent end offsets for rule 2 ("was the consumer caught up lately?"): the
// newest `n` points of the partition's history.
std::vector<int64_t> recent_end_offsets(const store::PartitionHistories& histories, const std::string& topic,
                                        int32_t partition, size_t n) {
  std::vector<int64_t> out;
  const auto* h = histories.find(topic, partition);
  if (!h) return out;
  const auto& pts = h->points();
  size_t from = pts.size() > n ? pts.size() - n : 0;
  for (size_t i = from; i < pts.size(); ++i) out.push_back(pts[i].log_end_offset);
  return out;
}

}  // namespace

std::vector<GroupEvaluation> evaluate_cluster(const model::ClusterSnapshot& snapshot,
                                              const std::vector<model::GroupLag>& lag,
                                              const store::GroupWindows& windows,
                                              const store::PartitionHistories& histories,
                                              const EvaluationSettings& settings, int64_t now_ms) {
  std::map<std::string, const model::Group*> groups;
  for (const auto& g : snapshot.groups) groups[g.name] = &g;

  std::vector<GroupEvaluation> out;
  out.reserve(lag.size());
  for (const auto& g : lag) {
    GroupEvaluation ev;
    ev.group = g.group;
    if (auto it = groups.find(g.group); it != groups.end()) {
      for (const auto& m : it->second->members) {
        for (const auto& tp : m.assignment) ev.owners[tp] = {m.host, m.client_id};
      }
    }
    std::vector<PartitionResult> results;
    for (const auto& p : g.partitions) {
      // Without this poll's end offset there is no current lag to judge.
      if (!p.lag) continue;
      const auto* w = windows.find(g.group, p.topic, p.partition);
      if (!w || w->empty()) continue;
      PartitionInput in;
      in.window.assign(w->begin(), w->end());
      in.broker_offsets = recent_end_offsets(histories, p.topic, p.partition, windows.window_size());
      in.current_lag = *p.lag;
      in.now_ms = now_ms;
      in.allowed_lag = settings.allowed_lag;
      in.window_size = windows.window_size();
      in.min_completeness = settings.min_completeness;
      results.push_back(evaluate_partition_result(p.topic, p.partition, in));
      ev.windows[{p.topic, p.partition}] = std::move(in.window);
    }
    ev.verdict = evaluate_group(std::move(results));
    out.push_back(std::move(ev));
  }
  return out;
}

}  // namespace lagwatch::evaluate
