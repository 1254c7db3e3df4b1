// What one poll of one cluster saw: an immutable picture built by the collector and then
// shared, read-only, by the metrics renderer and the HTTP API. Nothing here talks to Kafka.
//
// Names follow Kafka's vocabulary: the log end offset is the offset the next produced record
// will get (kafka_exporter's "current offset"), the log start offset is the oldest offset still
// in the log ("oldest offset"), and a committed offset is the next offset a group will read.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lagwatch::model {

using Clock = std::chrono::system_clock;

struct Broker {
  // A constructor rather than an aggregate, so that {id, host, port} stays valid as fields
  // are added.
  Broker(int32_t id_ = -1, std::string host_ = {}, int port_ = 0, std::string rack_ = {})
      : id(id_), host(std::move(host_)), port(port_), rack(std::move(rack_)) {}
  int32_t id = -1;
  std::string host;
  int port = 0;
  std::string rack;  // broker.rack, "" when unset
  std::string address() const { return host + ":" + std::to_string(port); }
};

struct Partition {
  int32_t id = 0;
  int32_t leader = -1;            // -1: no leader (offline)
  std::vector<int32_t> replicas;  // in assignment order; the first is the preferred leader
  std::vector<int32_t> isr;
  std::optional<int64_t> log_start_offset;  // absent when ListOffsets failed for it
  std::optional<int64_t> log_end_offset;
  std::string error;  // metadata or offsets error for this partition, if any
};

struct Topic {
  std::string name;
  std::vector<Partition> partitions;  // indexed by partition id where the metadata is complete
  const Partition* find(int32_t id) const;
};

// A topic's effective configuration, from DescribeConfigs (broker defaults applied).
struct TopicConfig {
  std::optional<int> min_insync_replicas;
  std::optional<int64_t> retention_ms;     // -1: unlimited
  std::optional<int64_t> retention_bytes;  // per partition; -1: unlimited
  std::string cleanup_policy;
  bool remote_storage = false;  // remote.storage.enable (tiered storage, Kafka 3.6+)
};

// One replica's size in one log directory (DescribeLogDirs).
struct ReplicaSize {
  std::string topic;
  int32_t partition = 0;
  int64_t size_bytes = 0;
  int64_t offset_lag = 0;  // behind the log end offset (a future replica being moved)
  bool future = false;     // the target copy of an intra-broker move, not the live replica
};

struct LogDir {
  int32_t broker = -1;
  std::string path;
  std::string error;                    // the directory's error (e.g. KAFKA_STORAGE_ERROR: the disk failed)
  std::optional<int64_t> total_bytes;   // volume size (Kafka 3.3+)
  std::optional<int64_t> usable_bytes;  // free space on the volume (Kafka 3.3+)
  std::vector<ReplicaSize> replicas;
};

// The KRaft metadata quorum as DescribeQuorum reports it: its leader is the active controller.
struct QuorumReplica {
  int32_t id = -1;
  int64_t log_end_offset = -1;
  std::optional<int64_t> last_fetch_ms;      // Unix ms of its last fetch from the leader (v1+)
  std::optional<int64_t> last_caught_up_ms;  // Unix ms it was last caught up with the leader (v1+)
};

struct Quorum {
  int32_t leader_id = -1;  // -1: no leader
  int32_t leader_epoch = -1;
  int64_t high_watermark = -1;
  std::vector<QuorumReplica> voters;
  std::vector<QuorumReplica> observers;  // brokers (and controllers that are not voters)
};

struct GroupMember {
  // As Broker: {member_id, client_id, host, assignment} stays valid as fields are added.
  GroupMember(std::string member = {}, std::string client = {}, std::string host_ = {},
              std::vector<std::pair<std::string, int32_t>> assignment_ = {}, int32_t generation_ = -1)
      : member_id(std::move(member)),
        client_id(std::move(client)),
        host(std::move(host_)),
        assignment(std::move(assignment_)),
        generation(generation_) {}
  std::string member_id;
  std::string client_id;
  std::string host;
  std::vector<std::pair<std::string, int32_t>> assignment;  // (topic, partition)
  // A classic member's subscription names the generation it last owned partitions in
  // (ConsumerProtocol v2+); -1 when the client does not say.
  int32_t generation = -1;
};

struct CommittedOffset {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = -1;  // next offset the group will read
};

struct Group {
  std::string name;
  // Broker's group state ("Stable", "Empty", "Dead", ...), or "Unknown" where DescribeGroups
  // did not tell (unsupported, or the group's coordinator did not answer).
  std::string state = "Unknown";
  bool described = false;  // members below come from DescribeGroups or ConsumerGroupDescribe
  // "classic" (JoinGroup/SyncGroup) or "consumer" (KIP-848's protocol, ConsumerGroupDescribe).
  std::string protocol = "classic";
  // KIP-848 groups: the group epoch, bumped by the coordinator for every new target assignment.
  std::optional<int32_t> epoch;
  // Rebalances lagwatch has seen since it started (cumulative): epoch changes for "consumer"
  // groups, membership or assignment changes (or a newer member generation) for classic ones.
  uint64_t rebalances = 0;
  std::vector<GroupMember> members;
  std::vector<CommittedOffset> offsets;  // only partitions with a commit
  std::string error;                     // why offsets could not be read, if they could not
};

// Errors of one poll, by kind; each kind becomes a label value of lagwatch_poll_errors_total.
enum class ErrorKind { metadata, list_offsets, list_groups, group_offsets, cluster, log_dirs };
const char* to_string(ErrorKind k);

struct PollError {
  ErrorKind kind;
  std::string message;
};

struct ClusterSnapshot {
  std::string cluster;
  Clock::time_point started{};
  Clock::time_point finished{};
  Clock::time_point offsets_read_at{};  // when log end offsets were answered (history timestamps)
  bool metadata_ok = false;             // the cluster answered Metadata: it is "up"
  std::string cluster_id;               // Metadata v2+ / DescribeCluster; "" when unknown
  // KRaft mode: the brokers offer DescribeQuorum (ZooKeeper-mode brokers do not). nullopt
  // while no broker has told.
  std::optional<bool> kraft;
  std::vector<Broker> brokers;
  // The active controller: Metadata's controller id in ZooKeeper mode; in KRaft mode the
  // quorum's leader (Metadata names a random live broker there). Absent when not known.
  std::optional<int32_t> controller_id;
  std::optional<Quorum> quorum;  // KRaft, where DescribeQuorum answered
  // KRaft: brokers registered but fenced (DescribeCluster v2, Kafka 4.0+). Metadata leaves them
  // out of `brokers`: they serve nothing, yet the controller knows them.
  std::vector<int32_t> fenced_brokers;
  // The last DescribeLogDirs answer of each broker (read on its own, slower interval, so it
  // can be older than the rest of the snapshot); empty where it is unavailable.
  std::vector<LogDir> log_dirs;
  bool log_dirs_known = false;  // log_dirs holds an answer (an empty one means no directories)
  std::vector<Topic> topics;    // sorted by name
  // Configs of the topics above, where DescribeConfigs answered (it runs in the background,
  // so a topic may appear here a poll or two after it appears in `topics`).
  std::map<std::string, TopicConfig> topic_configs;
  std::vector<Group> groups;  // sorted by name
  std::vector<PollError> errors;
  // Requests written to the brokers since the previous poll, by Kafka API name
  // (lagwatch_poll_requests{api}).
  std::map<std::string, uint64_t> requests;
  // Kafka APIs this cluster does not offer (e.g. "ListGroups" on an old or mock broker).
  std::vector<std::string> unsupported_apis;

  const Topic* find_topic(const std::string& name) const;
  size_t partition_count() const;
  // offsets_read_at in Unix milliseconds: the "now" of lag, history and evaluation.
  int64_t offsets_read_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(offsets_read_at.time_since_epoch()).count();
  }
};

}  // namespace lagwatch::model
