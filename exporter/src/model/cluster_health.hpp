// Cluster health as any client can see it, without JMX: computed from Metadata (and, where
// the brokers offer DescribeConfigs, topic configs). Pure functions of a snapshot.
//
// Kafka's own definitions, followed here:
// - under-replicated: fewer in-sync replicas than replicas;
// - offline: no leader (-1), or a leader that is not among the live brokers. Decided from the
//   leader alone: a partition whose only replica died keeps ISR == replicas (e.g. [3] / [3])
//   and would look healthy to an ISR-only test;
// - under min ISR / at min ISR: ISR size below / equal to the topic's min.insync.replicas;
// - preferred leader: the leader is the first replica of the assignment;
// - a broker is down when replica sets name it but the broker list does not (a killed
//   broker leaves the list once its session expires, but stays in assignments).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/snapshot.hpp"

namespace lagwatch::model {

struct PartitionHealth {
  bool under_replicated = false;
  bool offline = false;
  bool preferred_leader = false;
  std::optional<bool> under_min_isr;  // unknown without the topic's min.insync.replicas
  std::optional<bool> at_min_isr;
};

PartitionHealth partition_health(const Partition& p, const std::set<int32_t>& live_brokers,
                                 std::optional<int> min_insync_replicas);

struct BrokerHealth {
  int32_t id = -1;
  bool live = false;             // in the broker list of the last Metadata
  int leader_partitions = 0;     // partitions this broker leads
  int replica_partitions = 0;    // partitions with a replica on this broker
  int under_replicated_led = 0;  // under-replicated partitions this broker leads (JMX's view)
  double leader_share = 0;       // leader_partitions / all partitions with a live leader
};

struct ClusterHealth {
  int partitions = 0;
  int under_replicated = 0;
  int offline = 0;
  int not_preferred_leader = 0;
  std::optional<int> under_min_isr;  // absent when no topic's min.insync.replicas is known
  std::optional<int> at_min_isr;
  std::vector<BrokerHealth> brokers;  // live brokers and brokers seen only in replica sets, by id
  int brokers_down = 0;
};

// `min_isr` maps topic -> min.insync.replicas for the topics whose configs are known.
ClusterHealth cluster_health(const ClusterSnapshot& snapshot, const std::map<std::string, int>& min_isr = {});

std::set<int32_t> live_broker_ids(const ClusterSnapshot& snapshot);

}  // namespace lagwatch::model
