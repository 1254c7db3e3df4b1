// The incidents a student triggers on the demo cluster, each tied to a module of the course and
// to what should then show on /metrics and in Prometheus:
//
//   broker-down N   module 10, "test failover when a broker falls": broker N stops (its front
//                   refuses connections, the mock broker is down); each partition it led moves
//                   to a surviving replica, one with no other replica (clickstream, RF 1) goes
//                   offline, the groups it coordinated move to the controller, and the
//                   controller moves if it was N.  Alerts: KafkaBrokerDown,
//                   KafkaUnderReplicatedPartitions, KafkaOfflinePartitions.
//   broker-up N     broker N comes back and leads its partitions again (Kafka's preferred
//                   leader election).
//   broker-slow N   module 7: broker N's followers fall behind (it leaves the ISR of every
//                   partition it follows, and answers 250 ms late); payments, whose
//                   min.insync.replicas equals its RF, goes under min ISR.
//                   Alerts: KafkaUnderReplicatedPartitions, KafkaUnderMinIsrPartitions.
//   consumer-stop G     module 7: every consumer of group G leaves: 0 members, offsets freeze,
//                       its partitions STOP.  Alerts: KafkaConsumerGroupNoMembers,
//                       KafkaConsumerGroupStatusErr.
//   consumer-stall G    G's consumers stay in the group but fetch and commit nothing: STALL.
//   consumer-slow G     G's consumers read 2 records/s each: lag grows, WARN.
//   consumer-scale G N  module 10, "simulate high lag and fix it": G runs N consumers (up to its
//                       topic's partitions); analytics (10 records/s each, 20 produced) catches up
//                       with 3.  Members and assignments follow.
//   rewind G            G's consumers go 200 records back on each partition and re-read at most
//                       10 records/s each: the committed offsets fall, REWIND.
//   burst T             3000 more records on topic T at once: a lag spike its groups absorb or not.
//   retention-risk G    the retention of G's topic drops to 10 minutes: the time until G's
//                       unread records are deleted falls (KafkaConsumerDataLossImminent). The mock
//                       deletes nothing: only the estimate moves.
//   partition-offline T P   module 7: partition P of topic T loses its leader while its brokers
//                           stay up (what an ISR that died with unclean election off looks
//                           like).  Alerts: KafkaOfflinePartitions. The default scenario
//                           runs it on inventory/2.
//   partition-online T P    the partition gets its first live replica back as leader.
//   reset               every broker up and keeping up, every leader back where it started,
//                       every group back to its own behaviour, every topic config as at start.
//
// trigger() returns what it did and what to watch, in a few lines for a terminal; it throws
// IncidentError naming what is wrong (an unknown incident, a missing or bad argument, a broker
// that is already down) and then changes nothing. Thread-safe: one incident at a time.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "demo/demo_cluster.hpp"
#include "demo/traffic.hpp"

namespace lagwatch::demo {

class IncidentError : public std::invalid_argument {
 public:
  using invalid_argument::invalid_argument;
};

struct IncidentInfo {
  std::string name;
  std::string argument;  // "N" (a broker id), "GROUP", "GROUP N", "TOPIC", "TOPIC PARTITION" or ""
  std::string summary;
};

// Every incident trigger() knows, in the order `lagwatch demo incident` lists them.
const std::vector<IncidentInfo>& incident_catalog();

class Incidents {
 public:
  Incidents(DemoCluster& cluster, Traffic& traffic);

  std::string trigger(const std::string& name, const std::vector<std::string>& args);
  // "broker-down 2", "broker-slow 3": what is in effect now.
  std::vector<std::string> active() const;

 private:
  int32_t broker_argument(const std::string& name, const std::vector<std::string>& args) const;
  std::string broker_down(int32_t broker);
  std::string broker_up(int32_t broker);
  std::string broker_slow(int32_t broker);
  std::string consumer_incident(const std::string& name, const std::vector<std::string>& args);
  std::string burst(const std::vector<std::string>& args);
  std::string partition_leader(const std::string& name, const std::vector<std::string>& args, bool offline);
  std::string reset();
  void set_leader(const front::PartitionKey& partition, int32_t leader);
  int32_t leader_now(const front::PartitionKey& partition, const front::PartitionLayout& layout) const;

  DemoCluster& cluster_;
  Traffic& traffic_;
  mutable std::mutex mu_;  // one incident at a time; guards what follows
  std::set<int32_t> down_;
  std::set<int32_t> slow_;
  std::set<std::string> changed_groups_;                 // by consumer incidents, until reset
  std::map<front::PartitionKey, int32_t> first_leader_;  // before an incident moved it
  std::map<front::PartitionKey, int32_t> leader_;        // as the incidents set it
  std::set<front::PartitionKey> offline_;                // by partition-offline, until undone
};

}  // namespace lagwatch::demo
