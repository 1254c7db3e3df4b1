// The recent history of one partition's log end offset: (time, offset) points, oldest first.
// It answers "when was offset N appended?", which turns a committed offset into lag in
// seconds.
//
// Compact by design, so that it spans hours in a few hundred points:
// - an idle stretch (end offset unchanged) keeps only its first and last point;
// - when the history is full, every second point of its older half is dropped, so old
//   history gets coarser instead of disappearing.
// A log end offset that goes backwards (topic deleted and re-created) starts a new history.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace lagwatch::store {

struct OffsetPoint {
  int64_t time_ms;
  int64_t log_end_offset;
};

struct AppendTime {
  double time_ms;
  // The offset is older than the history: time_ms is the oldest point, and the true
  // append time is earlier still (the estimate is a lower bound of the lag).
  bool before_history;
};

class OffsetHistory {
 public:
  explicit OffsetHistory(size_t max_points = 120);

  void add(int64_t time_ms, int64_t log_end_offset);

  // When the record at `offset` was appended, interpolated linearly between the two points
  // whose end offsets bracket it. nullopt when `offset` is at or past the newest end offset
  // (nothing is waiting) or the history is empty.
  std::optional<AppendTime> append_time(int64_t offset) const;

  const std::vector<OffsetPoint>& points() const { return points_; }

 private:
  void thin();

  size_t max_points_;
  std::vector<OffsetPoint> points_;
};

// Lag in seconds of a consumer whose next offset to read is `committed`: now minus the append
// time of the record at `committed`; 0 when caught up; never negative or NaN.
struct LagSeconds {
  double seconds = 0;
  bool lower_bound = false;
};
LagSeconds lag_seconds(const OffsetHistory& history, int64_t committed, int64_t now_ms);

// Offsets appended per second over the newest `window_ms` of the history (all of it when it is
// shorter); nullopt with fewer than two points or no time between them.
std::optional<double> append_rate(const OffsetHistory& history, int64_t window_ms = 15 * 60 * 1000);

}  // namespace lagwatch::store
