// The log end offset history of every partition of one cluster, fed once per poll. It is the
// part of lagwatch's state that outlives a poll; everything else is rebuilt each cycle.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "model/lag.hpp"
#include "model/retention_risk.hpp"
#include "model/snapshot.hpp"
#include "store/offset_history.hpp"

namespace lagwatch::store {

class PartitionHistories : public model::LagSecondsSource, public model::AppendRateSource {
 public:
  explicit PartitionHistories(size_t points_per_partition) : points_(points_per_partition) {}

  // Adds this poll's end offsets; forgets partitions that are gone from the cluster.
  void record(const model::ClusterSnapshot& snapshot);

  const OffsetHistory* find(const std::string& topic, int32_t partition) const;
  // model::compute_lag's source of lag in seconds: store::lag_seconds on the partition's history.
  std::optional<Seconds> lag_seconds(const std::string& topic, int32_t partition, int64_t committed,
                                     int64_t now_ms) const override;
  // model::annotate_retention_risk's append rate: store::append_rate on the partition's history.
  std::optional<double> offsets_per_second(const std::string& topic, int32_t partition) const override;
  size_t size() const { return histories_.size(); }

 private:
  size_t points_;
  std::map<std::pair<std::string, int32_t>, OffsetHistory> histories_;
};

}  // namespace lagwatch::store
