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
#include <vector>

namespace lagwatch::model {

using Clock = std::chrono::system_clock;

struct Broker {
  int32_t id = -1;
  std::string host;
  int port = 0;
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
  std::optional<int64_t> retention_ms;
  std::string cleanup_policy;
};

struct GroupMember {
  std::string member_id;
  std::string client_id;
  std::string host;
  std::vector<std::pair<std::string, int32_t>> assignment;  // (topic, partition)
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
  bool described = false;  // members below come from DescribeGroups
  std::vector<GroupMember> members;
  std::vector<CommittedOffset> offsets;  // only partitions with a commit
  std::string error;                     // why offsets could not be read, if they could not
};

// Errors of one poll, by kind; each kind becomes a label value of lagwatch_poll_errors_total.
enum class ErrorKind { metadata, list_offsets, list_groups, group_offsets };
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
  std::vector<Broker> brokers;
  std::optional<int32_t> controller_id;
  std::vector<Topic> topics;  // sorted by name
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
