// One poll of one cluster: Metadata, then log offsets per leader broker, then the groups
// (listed per broker, described and their committed offsets read per coordinator), then topic
// configs every few polls, assembled into a ClusterSnapshot. Every request goes through
// lagwatch's own Kafka client (kafka/requests); none through librdkafka.
//
// An API the brokers lack (ListGroups and DescribeGroups on librdkafka's mock) is reported as
// unsupported rather than as a failure every poll.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "kafka/requests/cluster_client.hpp"
#include "kafka/requests/record_timestamps.hpp"
#include "model/lag.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::collect {

class ClusterCollector {
 public:
  // Throws kafka::KafkaError when the client cannot be set up (a refused property, an
  // unreadable TLS file, a malformed bootstrap address).
  ClusterCollector(const config::ClusterConfig& cluster, const config::PollConfig& poll,
                   const config::LogDirsConfig& log_dirs = {});

  // Never throws: what failed is recorded in the snapshot's errors.
  model::ClusterSnapshot poll();

  // Timestamps of the records at these (topic, partition, offset)s, for lag in seconds beyond
  // the end-offset history. Cached (a record's timestamp never changes) and bounded per poll.
  model::RecordTimes record_timestamps(const std::vector<std::tuple<std::string, int32_t, int64_t>>& wanted);

  const std::string& name() const { return cluster_.name; }

  // From any thread: the poll in progress stops at once (its open requests fail) and every
  // later poll returns at once. cancelled() tells the poller not to publish it.
  void cancel() {
    cancelled_.store(true);
    client_->cancel();
  }
  bool cancelled() const { return cancelled_.load(); }

 private:
  void collect_groups(model::ClusterSnapshot& snap);
  void describe_groups(model::ClusterSnapshot& snap, std::map<std::string, model::Group>& groups,
                       const std::map<std::string, std::string>& listed_types);
  void count_rebalances(std::vector<model::Group>& groups);
  void collect_quorum(model::ClusterSnapshot& snap);
  void collect_log_dirs(model::ClusterSnapshot& snap);
  void collect_topic_configs(model::ClusterSnapshot& snap);
  void fetch_offsets(model::ClusterSnapshot& snap);
  bool topic_selected(const std::string& topic) const;

  config::ClusterConfig cluster_;
  config::PollConfig poll_;
  config::LogDirsConfig log_dirs_config_;
  std::atomic<bool> cancelled_{false};
  std::unique_ptr<kafka::ClusterClient> client_;
  config::NameFilter group_filter_;
  config::NameFilter topic_filter_;
  std::map<std::string, model::TopicConfig> topic_configs_;  // last answer
  std::string topic_configs_error_;                          // last failure, if the last answer failed
  bool topic_configs_unsupported_ = false;
  std::set<std::string> config_topics_asked_;  // topics DescribeConfigs was asked about since they appeared
  int polls_until_config_refresh_ = 0;
  // The last DescribeLogDirs answer of each broker, and when the next is due.
  std::map<int32_t, std::vector<model::LogDir>> log_dirs_;
  bool log_dirs_unsupported_ = false;
  bool log_dirs_refused_ = false;     // some broker refused it (no ACL) at the last ask
  std::set<int32_t> log_dirs_asked_;  // brokers asked since they (re)joined the cluster
  std::chrono::steady_clock::time_point next_log_dirs_{};
  // Each group as last described (offsets left out), to count rebalances between polls.
  std::map<std::string, model::Group> last_described_;
  std::set<std::string> consumer_protocol_groups_;  // KIP-848 groups ConsumerGroupDescribe described
  // Groups ConsumerGroupDescribe said are not KIP-848 groups, and the polls they stay so.
  std::map<std::string, int> not_consumer_groups_;
  std::map<std::string, uint64_t> rebalances_;
  model::RecordTimes record_times_;  // cache, pruned to the last poll's wants
  kafka::Leaders leaders_;           // of the last poll, for the record reads that follow it
  // Groups of the last poll, kept through a partial group listing.
  std::vector<std::string> known_groups_;
  // Learned: this cluster answers "all committed offsets" (an empty partition list) with
  // nothing, so partitions must be named (librdkafka 2.0.2 against its own mock broker).
  bool name_partitions_ = false;
  // Learned: an empty partition list came back with commits for some group (Kafka does this),
  // so an empty answer to it means "no commits" and is not asked again with partitions named.
  bool all_partitions_answered_ = false;
  // Only when partitions must be named: the topics each group had commits on at the last poll,
  // and every topic of the last poll. A group is asked for the partitions of its own topics
  // plus any topic created since; naming every partition of a large cluster for every group
  // would cost O(partitions) per group on the wire and O(partitions^2) inside librdkafka.
  // A group with no known topics yet is asked for every partition.
  std::map<std::string, std::set<std::string>> committed_topics_;
  std::set<std::string> last_topics_;
};

}  // namespace lagwatch::collect
