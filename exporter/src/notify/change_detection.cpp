#include "notify/change_detection.hpp"

#include <algorithm>
#include <set>

namespace lagwatch::notify {
using evaluate::Status;

Notification facts_of(const std::string& cluster, const evaluate::GroupEvaluation& evaluation,
                      const model::GroupLag* lag, int64_t timestamp_ms) {
  Notification n;
  n.cluster = cluster;
  n.group = evaluation.group;
  n.status = evaluation.verdict.status;
  n.timestamp_ms = timestamp_ms;
  n.total_lag = evaluation.verdict.total_lag;
  n.partition_count = evaluation.verdict.partition_count;
  std::map<std::pair<std::string, int32_t>, double> seconds;
  if (lag != nullptr) {
    n.max_lag_seconds = lag->max_lag_seconds();
    for (const auto& p : lag->partitions) seconds[{p.topic, p.partition}] = p.lag_seconds;
  }
  for (const auto& p : evaluation.verdict.partitions) {
    PartitionFacts f;
    f.topic = p.topic;
    f.partition = p.partition;
    f.status = p.verdict.status;
    f.lag = std::max<int64_t>(p.current_lag, 0);
    if (auto it = seconds.find({p.topic, p.partition}); it != seconds.end()) f.lag_seconds = it->second;
    // Partitions come sorted by topic and partition; a later one wins only when strictly worse.
    if (!n.worst || worse_partition(f, *n.worst)) {
      n.worst = f;
    }
    if (f.status != Status::OK) n.partitions_not_ok.push_back(std::move(f));
  }
  return n;
}

std::vector<Notification> detect_changes(ClusterState& state, const core::ClusterView& view,
                                         const DetectionRules& rules, const config::NameFilter& groups) {
  std::vector<Notification> out;
  // A cluster that did not answer says nothing about its groups.
  if (!view.snapshot || !view.snapshot->metadata_ok) return out;
  const std::string& cluster = view.snapshot->cluster;
  const int64_t now_ms = view.snapshot->offsets_read_ms();

  std::map<std::string, const model::GroupLag*> lag_by_group;
  for (const auto& g : view.lag) lag_by_group[g.group] = &g;

  std::set<std::string> known;
  for (const auto& ev : view.evaluations) {
    const Status status = ev.verdict.status;
    if (status == Status::NOTFOUND || !groups.passes(ev.group)) continue;
    known.insert(ev.group);
    GroupState& st = state[ev.group];
    st.unknown_polls = 0;

    auto notification = [&](Event event, Status previous, bool repeat) {
      auto it = lag_by_group.find(ev.group);
      Notification n = facts_of(cluster, ev, it == lag_by_group.end() ? nullptr : it->second, now_ms);
      n.event = event;
      n.previous_status = previous;
      n.repeat = repeat;
      out.push_back(std::move(n));
    };

    const bool active = evaluate::status_code(status) >= evaluate::status_code(rules.min_severity);
    if (active) {
      const bool repeat_due =
          rules.repeat_interval.count() > 0 && now_ms - st.last_sent_ms >= rules.repeat_interval.count();
      if (!st.notified || status != st.notified_status || repeat_due) {
        const bool repeat = st.notified && status == st.notified_status;
        notification(Event::firing, st.notified ? st.notified_status : st.last_status, repeat);
        st.notified = true;
        st.notified_status = status;
        st.last_sent_ms = now_ms;
      }
    } else if (st.notified) {
      if (rules.send_resolved) notification(Event::resolved, st.notified_status, false);
      st.notified = false;
      st.notified_status = Status::NOTFOUND;
    }
    st.last_status = status;
  }

  for (auto it = state.begin(); it != state.end();) {
    if (known.contains(it->first) || ++it->second.unknown_polls < kVanishedPolls) {
      ++it;
      continue;
    }
    if (it->second.notified && rules.send_resolved) {
      Notification n;
      n.cluster = cluster;
      n.group = it->first;
      n.event = Event::resolved;
      n.status = Status::NOTFOUND;
      n.previous_status = it->second.notified_status;
      n.timestamp_ms = now_ms;
      out.push_back(std::move(n));
    }
    it = state.erase(it);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Notification& a, const Notification& b) { return a.group < b.group; });
  return out;
}

}  // namespace lagwatch::notify
