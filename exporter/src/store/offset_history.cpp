#include "store/offset_history.hpp"

#include <algorithm>

namespace lagwatch::store {

// No reservation up front: an idle partition keeps two points whatever its age, and most
// partitions of a large cluster are idle or slow, so memory follows activity, not max_points.
OffsetHistory::OffsetHistory(size_t max_points) : max_points_(std::max<size_t>(max_points, 4)) {}

void OffsetHistory::add(int64_t time_ms, int64_t log_end_offset) {
  if (!points_.empty()) {
    const auto& last = points_.back();
    if (time_ms < last.time_ms) return;  // clock stepped back: ignore rather than corrupt order
    if (log_end_offset < last.log_end_offset) points_.clear();
  }
  // Idle stretch: A(t1,x) B(t2,x) + C(t3,x) -> A(t1,x) B(t3,x). Keeping the stretch's first
  // point remembers when it went idle; moving its last point remembers it is still idle, which
  // is where a consumer's offset (== x) was appended.
  size_t n = points_.size();
  if (n >= 2 && points_[n - 1].log_end_offset == log_end_offset && points_[n - 2].log_end_offset == log_end_offset) {
    points_[n - 1].time_ms = time_ms;
    return;
  }
  points_.push_back({time_ms, log_end_offset});
  if (points_.size() > max_points_) thin();
}

void OffsetHistory::thin() {
  // Drop every second point of the older half, keeping the very first (the history's span).
  size_t half = points_.size() / 2;
  std::vector<OffsetPoint> kept;
  kept.reserve(points_.size());
  for (size_t i = 0; i < half; ++i) {
    if (i == 0 || i % 2 == 0) kept.push_back(points_[i]);
  }
  kept.insert(kept.end(), points_.begin() + static_cast<std::ptrdiff_t>(half), points_.end());
  points_.swap(kept);
}

std::optional<AppendTime> OffsetHistory::append_time(int64_t offset) const {
  if (points_.empty() || offset >= points_.back().log_end_offset) return std::nullopt;
  // The record at `offset` was appended when the end offset went from `offset` to offset+1.
  const int64_t target = offset + 1;
  auto it = std::lower_bound(points_.begin(), points_.end(), target,
                             [](const OffsetPoint& p, int64_t v) { return p.log_end_offset < v; });
  // `it` is the first point whose end offset reached target; it exists since target <= last.
  // Appended at or before the oldest point: how much earlier is unknown.
  if (it == points_.begin()) return AppendTime{static_cast<double>(it->time_ms), true};
  const auto& hi = *it;
  const auto& lo = *(it - 1);
  double span = static_cast<double>(hi.log_end_offset - lo.log_end_offset);
  double frac = static_cast<double>(target - lo.log_end_offset) / span;
  return AppendTime{lo.time_ms + frac * static_cast<double>(hi.time_ms - lo.time_ms), false};
}

LagSeconds lag_seconds(const OffsetHistory& history, int64_t committed, int64_t now_ms) {
  auto t = history.append_time(committed);
  if (!t) return {};
  double s = (static_cast<double>(now_ms) - t->time_ms) / 1000.0;
  return {std::max(0.0, s), t->before_history};
}

std::optional<double> append_rate(const OffsetHistory& history, int64_t window_ms) {
  const auto& pts = history.points();
  if (pts.size() < 2) return std::nullopt;
  const OffsetPoint& last = pts.back();
  // The oldest point still inside the window (the history is oldest first).
  size_t first = pts.size() - 2;
  while (first > 0 && last.time_ms - pts[first - 1].time_ms <= window_ms) --first;
  const int64_t dt = last.time_ms - pts[first].time_ms;
  if (dt <= 0) return std::nullopt;
  return static_cast<double>(last.log_end_offset - pts[first].log_end_offset) * 1000.0 / static_cast<double>(dt);
}

}  // namespace lagwatch::store
