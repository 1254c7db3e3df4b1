#include "store/partition_histories.hpp"

namespace lagwatch::store {

void PartitionHistories::record(const model::ClusterSnapshot& snapshot) {
  if (!snapshot.metadata_ok) return;  // an unreachable cluster says nothing about its partitions
  const int64_t now_ms = snapshot.offsets_read_ms();
  std::map<std::pair<std::string, int32_t>, OffsetHistory> next;
  for (const auto& topic : snapshot.topics) {
    for (const auto& p : topic.partitions) {
      auto key = std::make_pair(topic.name, p.id);
      auto node = histories_.extract(key);
      OffsetHistory h = node ? std::move(node.mapped()) : OffsetHistory(points_);
      if (p.log_end_offset) h.add(now_ms, *p.log_end_offset);
      next.emplace(std::move(key), std::move(h));
    }
  }
  histories_.swap(next);
}

const OffsetHistory* PartitionHistories::find(const std::string& topic, int32_t partition) const {
  auto it = histories_.find({topic, partition});
  return it == histories_.end() ? nullptr : &it->second;
}

std::optional<model::LagSecondsSource::Seconds> PartitionHistories::lag_seconds(const std::string& topic,
                                                                                int32_t partition, int64_t committed,
                                                                                int64_t now_ms) const {
  const auto* h = find(topic, partition);
  if (!h) return std::nullopt;
  const auto s = store::lag_seconds(*h, committed, now_ms);
  return Seconds{s.seconds, s.lower_bound};
}

std::optional<double> PartitionHistories::offsets_per_second(const std::string& topic, int32_t partition) const {
  const auto* h = find(topic, partition);
  if (!h) return std::nullopt;
  return store::append_rate(*h);
}

}  // namespace lagwatch::store
