// What the demo broker front pretends about the cluster, on top of librdkafka's mock: which
// brokers are down or slow (set by the demo's incidents), which broker is the controller, the
// topics' configs, and the partition layout the mock reported last. The mock itself never
// shrinks an ISR, keeps a stopped broker in Metadata and names a controller that is none of its
// brokers (shared/docs/mock-cluster-notes.md); present() turns its Metadata answer into what a
// real Kafka answers in the same situation:
//
//   brokers          a broker that is down is not listed (a real one leaves Metadata once its
//                    session expires); the others are listed with their fronts' ports
//   controller_id    the live broker with the lowest id (-1 when every broker is down)
//   isr_nodes        the replicas that are up and keeping up: a down replica leaves every ISR,
//                    a slow follower leaves the ISR of the partitions it follows (its leader
//                    stays in). A partition without a leader keeps its ISR, as Kafka keeps the
//                    last ISR of an offline partition.
//   offline_replicas (v5+) the replicas that are down
//   replica_nodes    for a demo topic, the demo's own assignment (assignment()): librdkafka
//                    2.0.2's mock puts every partition on every broker whatever replication
//                    factor it is given, so a topic of RF 1 would not look like one
// Leadership itself is the mock's (the demo sets it to each partition's preferred replica at
// start, and the incidents move it there, so Produce and Fetch follow).
//
// Thread-safe: the fronts' I/O thread reads it, the incidents write it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kafka/protocol/metadata.hpp"

namespace lagwatch::demo::front {

// A topic as the demo creates it, with the configs its DescribeConfigs answer gives as set on
// the topic (source DYNAMIC_TOPIC_CONFIG); every other key answers the broker's value.
struct TopicSettings {
  std::string name;
  int partitions = 1;
  int replication_factor = 3;
  std::map<std::string, std::string> configs;
};

struct PartitionLayout {
  int32_t leader = -1;
  std::vector<int32_t> replicas;
};

using PartitionKey = std::pair<std::string, int32_t>;

class Simulation {
 public:
  Simulation(std::vector<int32_t> broker_ids, std::vector<TopicSettings> topics);

  const std::vector<int32_t>& broker_ids() const { return broker_ids_; }
  const std::vector<TopicSettings>& topics() const { return topics_; }
  // The configs set on a demo topic (its settings, with changes by set_topic_config), or
  // nullopt for a topic that is not one of the demo's.
  std::optional<std::map<std::string, std::string>> topic_configs(const std::string& name) const;
  // An incident's change to a topic's config (retention-risk); reset_topic_configs() undoes
  // every one.
  void set_topic_config(const std::string& topic, const std::string& key, const std::string& value);
  void reset_topic_configs();

  void set_down(int32_t broker, bool down);
  void set_slow(int32_t broker, bool slow);
  bool down(int32_t broker) const;
  bool slow(int32_t broker) const;
  std::vector<int32_t> live_brokers() const;
  int32_t controller() const;  // -1: none

  // A demo topic's replicas for `partition`, the preferred leader first, as Kafka's
  // round-robin assignment would place them: brokers partition, partition+1, ... (mod the
  // broker count), `replication_factor` of them. Empty for a topic that is not the demo's.
  std::vector<int32_t> assignment(const std::string& topic, int32_t partition) const;

  // Remembers the mock's layout from one of its Metadata answers (before present()).
  void observe(const kafka::protocol::MetadataResponse& mock_answer);
  std::map<PartitionKey, PartitionLayout> layout() const;
  std::optional<std::string> cluster_id() const;

  // Bytes of record batches produced to a partition, as the fronts relay Produce requests: what
  // the demo's DescribeLogDirs answer reports as each replica's size. At most
  // kMaxSizedPartitions partitions are counted (a client may produce to any topic name).
  void produced(const std::string& topic, int32_t partition, int64_t bytes);
  std::map<PartitionKey, int64_t> log_sizes() const;
  static constexpr size_t kMaxSizedPartitions = 100000;

  // Rewrites the mock's answer as described above; `front_ports` maps broker id to the port of
  // its front. Brokers without a front keep their port.
  void present(kafka::protocol::MetadataResponse& answer, const std::map<int32_t, uint16_t>& front_ports) const;

 private:
  const std::vector<int32_t> broker_ids_;
  const std::vector<TopicSettings> topics_;
  mutable std::mutex mu_;  // guards what follows
  std::set<int32_t> down_;
  std::set<int32_t> slow_;
  std::map<std::string, std::map<std::string, std::string>> config_changes_;
  std::map<PartitionKey, int64_t> log_sizes_;
  std::map<PartitionKey, PartitionLayout> layout_;
  std::optional<std::string> cluster_id_;
};

}  // namespace lagwatch::demo::front
