#include "model/cluster_health.hpp"

#include <algorithm>

namespace lagwatch::model {

std::set<int32_t> live_broker_ids(const ClusterSnapshot& snapshot) {
  std::set<int32_t> ids;
  for (const auto& b : snapshot.brokers) ids.insert(b.id);
  return ids;
}

PartitionHealth partition_health(const Partition& p, const std::set<int32_t>& live_brokers,
                                 std::optional<int> min_insync_replicas) {
  PartitionHealth h;
  h.under_replicated = p.isr.size() < p.replicas.size();
  h.offline = p.leader < 0 || !live_brokers.count(p.leader);
  h.preferred_leader = !h.offline && !p.replicas.empty() && p.replicas.front() == p.leader;
  if (min_insync_replicas) {
    const auto isr = static_cast<int>(p.isr.size());
    h.under_min_isr = isr < *min_insync_replicas;
    h.at_min_isr = isr == *min_insync_replicas;
  }
  return h;
}

ClusterHealth cluster_health(const ClusterSnapshot& snapshot, const std::map<std::string, int>& min_isr) {
  ClusterHealth out;
  const auto live = live_broker_ids(snapshot);
  std::map<int32_t, BrokerHealth> brokers;
  for (int32_t id : live) {
    brokers[id].id = id;
    brokers[id].live = true;
  }
  int led_by_live = 0;
  for (const auto& t : snapshot.topics) {
    std::optional<int> topic_min_isr;
    if (auto it = min_isr.find(t.name); it != min_isr.end()) topic_min_isr = it->second;
    for (const auto& p : t.partitions) {
      ++out.partitions;
      auto h = partition_health(p, live, topic_min_isr);
      out.under_replicated += h.under_replicated;
      out.offline += h.offline;
      out.not_preferred_leader += !h.offline && !h.preferred_leader;
      // An offline partition is counted as offline only: like the brokers' JMX counts, which
      // only a leader reports, the min-ISR counts cover partitions that have a leader.
      if (h.under_min_isr) out.under_min_isr = out.under_min_isr.value_or(0) + (!h.offline && *h.under_min_isr);
      if (h.at_min_isr) out.at_min_isr = out.at_min_isr.value_or(0) + (!h.offline && *h.at_min_isr);
      for (int32_t r : p.replicas) {
        brokers[r].id = r;
        brokers[r].replica_partitions++;
      }
      if (!h.offline) {
        ++led_by_live;
        brokers[p.leader].leader_partitions++;
        brokers[p.leader].under_replicated_led += h.under_replicated;
      }
    }
  }
  for (auto& [id, b] : brokers) {
    b.leader_share = led_by_live ? static_cast<double>(b.leader_partitions) / led_by_live : 0.0;
    out.brokers_down += !b.live;
    out.brokers.push_back(b);
  }
  return out;
}

}  // namespace lagwatch::model
