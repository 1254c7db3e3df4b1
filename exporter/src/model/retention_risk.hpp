// How long until Kafka deletes records a consumer group has not read yet, per partition.
//
// Kafka deletes a partition's oldest segments when they pass retention.ms (by the newest
// record timestamp in the segment) or when the partition is larger than retention.bytes. A
// group that falls further behind than that loses the records in between without any error:
// its next fetch resets to the log start (auto.offset.reset) or fails. lagwatch estimates, for
// each partition with lag, the seconds left before the oldest unread record (the one at the
// committed offset) may be deleted if the group made no more progress from now on:
//
//   by time: retention.ms - (age of the record at the committed offset)
//            = retention.ms - lag in seconds
//   by size: (retention.bytes / bytes per offset - unread offsets) / offsets appended per second
//            bytes per offset = the leader replica's size / (log end - log start offset)
//
// and takes the smaller. Kafka deletes a segment only once its newest record is past
// retention.ms, and only while the rest of the log still exceeds retention.bytes, so the record
// usually survives longer than this. It can come late where the age is lagwatch's append time
// and the records' timestamps are older (docs/data-loss.md). No estimate comes from a limit
// that would overstate the time left: retention.ms against lag in seconds that is only a lower
// bound, retention.bytes with tiered storage (only local bytes are known). A log compacted
// instead of deleted (cleanup.policy without "delete") gets none either.
//
// Data is already lost when the committed offset is below the log start offset: the records
// between were deleted before the group read them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/lag.hpp"
#include "model/snapshot.hpp"

namespace lagwatch::model {

// What one partition of one group needs for the estimate. Clock-free: the caller supplies
// lag in seconds (the record's age) and the append rate.
struct RetentionInput {
  int64_t committed_offset = 0;
  std::optional<int64_t> log_start_offset;
  std::optional<int64_t> log_end_offset;
  double lag_seconds = 0;  // age of the record at the committed offset; 0 when caught up
  // lag_seconds is only a lower bound (the committed offset is older than lagwatch's history
  // and its record was not read): the time left by retention.ms would be an upper bound, too
  // late to warn, so none is given.
  bool lag_seconds_lower_bound = false;
  // remote.storage.enable (KIP-405 tiered storage): retention.bytes then bounds local and
  // remote data, while DescribeLogDirs reports local bytes only, so no size estimate is given.
  bool tiered = false;
  bool deletes = true;                       // cleanup.policy includes "delete"
  std::optional<int64_t> retention_ms;       // -1 or absent: no limit known
  std::optional<int64_t> retention_bytes;    // -1 or absent: no limit known
  std::optional<int64_t> partition_bytes;    // the leader replica's size (DescribeLogDirs)
  std::optional<double> offsets_per_second;  // recent append rate of the partition
};

struct RetentionRisk {
  // Seconds left (0: may be deleted at any moment); nullopt: nothing unread, or no limit
  // that would delete it (unlimited retention, compaction only, no produce traffic for a
  // size limit).
  std::optional<double> seconds_left;
  const char* limit = "";  // "time" or "size": the limit that gives seconds_left
  bool data_lost = false;  // committed offset below the log start offset
};

RetentionRisk retention_risk(const RetentionInput& in);

// The recent append rate of a partition (store::PartitionHistories implements it from the
// end-offset history).
class AppendRateSource {
 public:
  virtual ~AppendRateSource() = default;
  virtual std::optional<double> offsets_per_second(const std::string& topic, int32_t partition) const = 0;
};

// Fills PartitionLag::seconds_until_deleted / data_lost for every group of `lag`, from the
// snapshot's offsets, topic configs and log dirs. `rates` may be null (no size estimate then).
void annotate_retention_risk(std::vector<GroupLag>& lag, const ClusterSnapshot& snapshot,
                             const AppendRateSource* rates);

}  // namespace lagwatch::model
