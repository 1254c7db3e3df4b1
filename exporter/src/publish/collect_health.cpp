// Cluster health families. Where a broker-side JMX metric means the same thing, its name is
// used (lowercased as the Prometheus JMX exporter's usual Kafka rules produce it), labelled by
// `broker` instead of by scrape target, so an alert such as
// sum(kafka_server_replicamanager_underreplicatedpartitions) > 0 reads the same with either
// source. Everything else is lagwatch_*.
#include <algorithm>

#include "model/cluster_health.hpp"
#include "publish/collectors.hpp"

namespace lagwatch::publish {

void collect_health(const Views& views, Families& out) {
  auto urp = out.gauge("kafka_server_replicamanager_underreplicatedpartitions",
                       "Under-replicated partitions led by a broker (ISR smaller than replicas), as JMX reports it.");
  auto leaders = out.gauge("kafka_server_replicamanager_leadercount", "Partitions a broker leads.");
  auto replicas = out.gauge("kafka_server_replicamanager_partitioncount", "Partitions with a replica on a broker.");
  auto offline = out.gauge("kafka_controller_kafkacontroller_offlinepartitionscount",
                           "Partitions without a live leader in the cluster.");
  auto under_min =
      out.gauge("kafka_server_replicamanager_underminisrpartitioncount",
                "Partitions whose ISR is smaller than the topic's min.insync.replicas (needs DescribeConfigs).");
  auto at_min = out.gauge("kafka_server_replicamanager_atminisrpartitioncount",
                          "Partitions whose ISR equals the topic's min.insync.replicas (needs DescribeConfigs).");

  auto active_controller =
      out.gauge("kafka_controller_kafkacontroller_activecontrollercount",
                "1 for the active controller, 0 for the others: the live brokers in ZooKeeper mode, the quorum's "
                "voters in KRaft mode (label broker = node id). The sum over a cluster must be 1.");
  auto controller_id = out.gauge("lagwatch_cluster_controller_id",
                                 "Node id of the active controller (Metadata's in ZooKeeper mode, the quorum leader's "
                                 "in KRaft mode), -1 when none is known.");
  auto c_urp = out.gauge("lagwatch_cluster_under_replicated_partitions", "Under-replicated partitions in the cluster.");
  auto c_offline = out.gauge("lagwatch_cluster_offline_partitions",
                             "Partitions with no leader, or a leader that is not a live broker.");
  auto c_not_preferred = out.gauge("lagwatch_cluster_not_preferred_leader_partitions",
                                   "Online partitions whose leader is not their preferred (first) replica.");
  auto c_down = out.gauge("lagwatch_cluster_brokers_down",
                          "Brokers named in replica sets but missing from the cluster's broker list.");
  auto b_up = out.gauge("lagwatch_broker_up",
                        "1 if the broker is in the cluster's broker list, 0 if only replica sets name it.");
  auto b_share =
      out.gauge("lagwatch_broker_leader_share", "Share of the cluster's online partitions a broker leads (0 to 1).");
  auto p_under_min = out.gauge("lagwatch_topic_partition_under_min_isr",
                               "Present (1) for an online partition whose ISR is smaller than the topic's "
                               "min.insync.replicas (needs DescribeConfigs).");
  auto p_at_min = out.gauge(
      "lagwatch_topic_partition_at_min_isr",
      "Present (1) for an online partition whose ISR equals min.insync.replicas: one more loss blocks acks=all.");
  auto p_offline = out.gauge("lagwatch_topic_partition_offline",
                             "Present (1) for a partition with no leader or a leader that is not a live broker.");

  for (const auto& [cluster, view] : views) {
    const auto& snap = *view->snapshot;
    if (!snap.metadata_ok) continue;
    std::map<std::string, int> min_isr;
    for (const auto& [topic, cfg] : snap.topic_configs) {
      if (cfg.min_insync_replicas) min_isr[topic] = *cfg.min_insync_replicas;
    }
    const auto health = model::cluster_health(snap, min_isr);
    // On KRaft, Metadata's controller id is a random live broker: the controllers are the
    // quorum's voters and the active one is its leader (collect_cluster.cpp).
    const bool kraft = snap.kraft.value_or(false);
    if (kraft && snap.quorum) {
      for (const auto& v : snap.quorum->voters) {
        out.add(active_controller, {{"cluster", cluster}, {"broker", std::to_string(v.id)}},
                v.id == snap.quorum->leader_id ? 1 : 0);
      }
    }
    Labels c{{"cluster", cluster}};
    out.add(offline, c, health.offline);
    // On KRaft without DescribeQuorum (no ACL for it) the controller is unknown, not "none":
    // no series, rather than a -1 that reads as a quorum without a leader.
    const bool refused = kraft && std::find(snap.unsupported_apis.begin(), snap.unsupported_apis.end(),
                                            "DescribeQuorum") != snap.unsupported_apis.end();
    if (!refused) out.add(controller_id, c, snap.controller_id.value_or(-1));
    out.add(c_offline, c, health.offline);
    out.add(c_urp, c, health.under_replicated);
    out.add(c_not_preferred, c, health.not_preferred_leader);
    out.add(c_down, c, health.brokers_down);
    if (health.under_min_isr) out.add(under_min, c, *health.under_min_isr);
    if (health.at_min_isr) out.add(at_min, c, *health.at_min_isr);
    for (const auto& b : health.brokers) {
      Labels l{{"cluster", cluster}, {"broker", std::to_string(b.id)}};
      out.add(b_up, l, b.live ? 1 : 0);
      out.add(replicas, l, b.replica_partitions);
      if (!b.live) continue;
      if (!kraft) out.add(active_controller, l, snap.controller_id == b.id ? 1 : 0);
      out.add(urp, l, b.under_replicated_led);
      out.add(leaders, l, b.leader_partitions);
      out.add(b_share, l, b.leader_share);
    }
    const auto live = model::live_broker_ids(snap);
    for (const auto& t : snap.topics) {
      std::optional<int> topic_min_isr;
      if (auto it = min_isr.find(t.name); it != min_isr.end()) topic_min_isr = it->second;
      for (const auto& p : t.partitions) {
        const auto h = model::partition_health(p, live, topic_min_isr);
        Labels l{{"cluster", cluster}, {"topic", t.name}, {"partition", std::to_string(p.id)}};
        // Sparse: a series only for a partition in that state. On a healthy cluster these
        // would be one always-0 series per partition each, costing Prometheus memory for nothing;
        // the cluster and broker counts above say "none" explicitly.
        if (h.offline) {
          out.add(p_offline, l, 1);
          continue;
        }
        if (h.under_min_isr.value_or(0)) out.add(p_under_min, l, 1);
        if (h.at_min_isr.value_or(0)) out.add(p_at_min, l, 1);
      }
    }
  }
}

}  // namespace lagwatch::publish
