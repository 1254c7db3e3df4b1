// What one notification says about one consumer group: the facts a body template can use
// (notification/body_template.hpp). Built by change detection from a poll's evaluation, rendered
// and sent by the notifier's background thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "evaluate/status.hpp"

namespace lagwatch::notify {

enum class Event {
  firing,    // the group reached min_severity, changed between WARN and ERR, or a repeat
  resolved,  // a group that was notified fell below min_severity, or disappeared
};

// "firing" or "resolved".
const char* event_name(Event e);

struct PartitionFacts {
  std::string topic;
  int32_t partition = 0;
  evaluate::Status status = evaluate::Status::OK;  // OK, WARN, STOP, STALL or REWIND
  int64_t lag = 0;                                 // current lag in offsets
  double lag_seconds = 0;                          // age of the oldest unconsumed record
};

// Whether `a` is in a worse state than `b`: errors (STOP, STALL, REWIND) before WARN before OK,
// then the higher lag. The order of Notification::worst and of {{#top_partitions}}.
bool worse_partition(const PartitionFacts& a, const PartitionFacts& b);

struct Notification {
  std::string cluster;
  std::string group;
  Event event = Event::firing;
  // A firing sent again because repeat_interval passed with no change (same status as the last).
  bool repeat = false;
  // OK, WARN or ERR; NOTFOUND in a "resolved" for a group that disappeared.
  evaluate::Status status = evaluate::Status::OK;
  // The status before this change: the last one seen for a first notification, the one last
  // notified otherwise; NOTFOUND when the group was not known before.
  evaluate::Status previous_status = evaluate::Status::NOTFOUND;
  int64_t total_lag = 0;       // sum of the partitions' current lags
  double max_lag_seconds = 0;  // highest lag in seconds over the group's partitions
  size_t partition_count = 0;
  // The partition in the worst status (STOP/STALL/REWIND, then WARN, then OK), with the highest
  // lag among those; absent when the group has no partitions (a vanished group).
  std::optional<PartitionFacts> worst;
  std::vector<PartitionFacts> partitions_not_ok;  // sorted by topic, then partition
  int64_t timestamp_ms = 0;                       // evaluation time of the poll (Unix ms)
};

}  // namespace lagwatch::notify
