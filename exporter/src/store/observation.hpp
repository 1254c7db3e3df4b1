// One offset observation of a partition, as the Burrow-style windows keep them: the group's
// committed offset, when it was seen, and the lag at that time (nullopt when the end offset was
// unknown then). The evaluator's rules (evaluate/partition_rules.hpp) read windows of these.
#pragma once

#include <cstdint>
#include <optional>

namespace lagwatch::store {

struct Observation {
  int64_t offset = 0;
  int64_t timestamp_ms = 0;
  std::optional<int64_t> lag;

  bool operator==(const Observation&) const = default;
};

}  // namespace lagwatch::store
