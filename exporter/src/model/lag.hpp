// Consumer lag, per group and partition, as lagwatch reports it.
//
// lag = log end offset - committed offset, clamped at 0. A committed offset can be ahead of
// the end offset we read (the end offset was read a moment before the commit), and a
// negative lag means nothing to a user: peers that export it get bug reports. A partition
// without a commit, or whose end offset is unknown this poll, has no lag at all rather than
// a made-up -1: it is counted instead.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "model/snapshot.hpp"

namespace lagwatch::model {

// Where lag in seconds comes from: whatever remembers when each log end offset was seen
// (store::PartitionHistories implements it). model sits below store and asks through this.
class LagSecondsSource {
 public:
  struct Seconds {
    double seconds = 0;
    bool lower_bound = false;  // the committed offset is older than what the source remembers
  };
  virtual ~LagSecondsSource() = default;
  // nullopt when the source knows nothing of the partition.
  virtual std::optional<Seconds> lag_seconds(const std::string& topic, int32_t partition, int64_t committed,
                                             int64_t now_ms) const = 0;
};

int64_t offset_lag(int64_t log_end_offset, int64_t committed_offset);

struct PartitionLag {
  std::string topic;
  int32_t partition = 0;
  int64_t committed_offset = 0;
  std::optional<int64_t> log_end_offset;  // absent: unknown this poll, so no lag either
  std::optional<int64_t> lag;
  double lag_seconds = 0;
  bool lag_seconds_lower_bound = false;  // committed offset older than the history, and not anchored
  // model/retention_risk.hpp: seconds before the oldest unread record may be deleted (absent:
  // nothing unread or no limit), which limit says so, and whether unread records are gone.
  std::optional<double> seconds_until_deleted;
  std::string deletion_limit;  // "time", "size" or "deleted"
  bool data_lost = false;
};

// How a group's members share one topic it consumes (DescribeGroups / ConsumerGroupDescribe).
struct TopicAssignment {
  int members = 0;   // members assigned at least one of its partitions
  int assigned = 0;  // partitions some member owns
  // Partitions with lag (> 0) that no member owns: nothing will consume them until the next
  // rebalance, the classic cause of a consumer that looks stuck while its members are fine.
  int unassigned_with_lag = 0;
};

struct GroupLag {
  std::string group;
  std::string state;
  bool described = false;
  size_t members = 0;
  std::string protocol = "classic";
  std::optional<int32_t> epoch;
  uint64_t rebalances = 0;
  // Per topic the group consumes, only where the group was described.
  std::map<std::string, TopicAssignment> assignment;
  std::vector<PartitionLag> partitions;  // partitions with a commit, sorted by topic, partition
  // Per topic the group consumes: partitions of that topic with no commit from this group.
  std::map<std::string, int> uncommitted_partitions;
  std::string error;

  int64_t total_lag() const;
  double max_lag_seconds() const;
  // The smallest seconds_until_deleted over the partitions not lost already; nullopt when none has one.
  std::optional<double> min_seconds_until_deleted() const;
  int data_lost_partitions() const;
};

// Record timestamps (ms) by (topic, partition, offset), read from Kafka for consumers that are
// behind further than the end-offset history reaches.
using RecordTimes = std::map<std::tuple<std::string, int32_t, int64_t>, int64_t>;

// The (topic, partition, committed offset) of every partition whose lag in seconds is only a
// lower bound: the records worth reading.
std::vector<std::tuple<std::string, int32_t, int64_t>> lower_bound_partitions(const std::vector<GroupLag>& lag);

// Replaces lower-bound lag in seconds by now - the record's timestamp where it is known.
void anchor_lag_seconds(std::vector<GroupLag>& lag, const RecordTimes& times, int64_t now_ms);

// Joins committed offsets with log end offsets (and their history, for seconds).
// `histories` may be null (no lag in seconds then).
std::vector<GroupLag> compute_lag(const ClusterSnapshot& snapshot, const LagSecondsSource* histories);

}  // namespace lagwatch::model
