// Burrow's sliding windows: per group and partition, the last N observations of the committed
// offset (its value, when it was seen, and the lag then), fed once per poll.
//
// What counts as an observation decides what the rules can tell apart:
// - the committed offset changed: always an observation;
// - unchanged, and the group has live members (known from DescribeGroups): an observation
//   too, the consumer is alive but not moving (STALL material);
// - unchanged and no members, or membership unknown: nothing, so the last observation ages
//   and the window's silence grows until the STOP rule sees it.
// Lagwatch sees commits by polling, so an observation's time is the poll's, not the commit's:
// a consumer that committed 1 s after the previous poll is timed at the next poll.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "model/lag.hpp"
#include "store/observation.hpp"

namespace lagwatch::store {

class GroupWindows {
 public:
  using Key = std::tuple<std::string, std::string, int32_t>;  // group, topic, partition
  // A vector, not a deque: a window holds about 10 observations, and a deque's first chunk
  // alone is 512 bytes, times every committed partition of every group.
  using Window = std::vector<Observation>;

  explicit GroupWindows(size_t window_size) : size_(window_size) {}

  // `now_ms` is the poll's time. Groups absent from `lag` are forgotten; a group whose
  // offsets could not be read this poll keeps its windows untouched.
  void record(const std::vector<model::GroupLag>& lag, int64_t now_ms);

  const Window* find(const std::string& group, const std::string& topic, int32_t partition) const;
  size_t size() const { return windows_.size(); }
  size_t window_size() const { return size_; }

 private:
  size_t size_;
  std::map<Key, Window> windows_;
};

}  // namespace lagwatch::store
