
#include "model/cluster_health.hpp"
#include "publish/collectors.hpp"

namespace lagwatch::publish {

void collect_topics(const Views& views, Families& out) {
  auto partitions = out.gauge("kafka_topic_partitions", "Number of partitions of a topic.");
  auto end = out.gauge("kafka_topic_partition_current_offset",
                       "Log end offset of a partition: the offset the next produced record gets.");
  auto start = out.gauge("kafka_topic_partition_oldest_offset",
                         "Log start offset of a partition: the oldest offset still in the log.");
  auto leader = out.gauge("kafka_topic_partition_leader", "Broker id of the partition's leader (-1: none).");
  auto replicas = out.gauge("kafka_topic_partition_replicas", "Number of replicas of a partition.");
  auto isr = out.gauge("kafka_topic_partition_in_sync_replica", "Number of in-sync replicas of a partition.");
  auto preferred = out.gauge("kafka_topic_partition_leader_is_preferred",
                             "1 if the partition's leader is its preferred (first) replica.");
  auto urp = out.gauge("kafka_topic_partition_under_replicated_partition",
                       "1 if the partition has fewer in-sync replicas than replicas.");

  for (const auto& [cluster, view] : views) {
    const auto& snap = *view->snapshot;
    if (!snap.metadata_ok) continue;
    const auto live = model::live_broker_ids(snap);
    for (const auto& t : snap.topics) {
      out.add(partitions, {{"cluster", cluster}, {"topic", t.name}}, static_cast<double>(t.partitions.size()));
      for (const auto& p : t.partitions) {
        Labels l{{"cluster", cluster}, {"topic", t.name}, {"partition", std::to_string(p.id)}};
        if (p.log_end_offset) out.add(end, l, static_cast<double>(*p.log_end_offset));
        if (p.log_start_offset) out.add(start, l, static_cast<double>(*p.log_start_offset));
        out.add(leader, l, p.leader);
        out.add(replicas, l, static_cast<double>(p.replicas.size()));
        out.add(isr, l, static_cast<double>(p.isr.size()));
        const auto health = model::partition_health(p, live, std::nullopt);
        out.add(preferred, l, health.preferred_leader ? 1 : 0);
        out.add(urp, l, health.under_replicated ? 1 : 0);
      }
    }
  }
}

}  // namespace lagwatch::publish
