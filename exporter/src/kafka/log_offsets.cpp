#include "kafka/log_offsets.hpp"

#include <future>
#include <map>

namespace lagwatch::kafka {
namespace {

constexpr int64_t kLatest = -1;    // RD_KAFKA_OFFSET_END as a ListOffsets timestamp
constexpr int64_t kEarliest = -2;  // RD_KAFKA_OFFSET_BEGINNING as a ListOffsets timestamp

struct Slot {
  model::Topic* topic;
  model::Partition* partition;
};

struct BrokerResult {
  std::vector<std::optional<int64_t>> start, end;
  std::vector<std::string> partition_errors;
  std::string error;
};

// One ListOffsets round trip for all of one leader's partitions.
rd_kafka_resp_err_t list_offsets(const Client& client, const std::vector<Slot>& slots, int64_t which,
                                 std::vector<std::optional<int64_t>>& out, std::vector<std::string>& errs) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(slots.size())));
  for (const auto& s : slots) {
    rd_kafka_topic_partition_list_add(list.get(), s.topic->name.c_str(), s.partition->id)->offset = which;
  }
  rd_kafka_resp_err_t err =
      rd_kafka_offsets_for_times(client.get(), list.get(), static_cast<int>(client.request_timeout().count()));
  out.assign(slots.size(), std::nullopt);
  // The list comes back in request order; per-partition errors are kept even on overall failure.
  for (int i = 0; i < list->cnt && static_cast<size_t>(i) < slots.size(); ++i) {
    const auto& e = list->elems[i];
    if (e.err == RD_KAFKA_RESP_ERR_NO_ERROR && e.offset >= 0 && err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      out[i] = e.offset;
    } else if (e.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      errs[i] = error_text(e.err);
    }
  }
  return err;
}

BrokerResult query_broker(const Client& client, const std::vector<Slot>& slots) {
  BrokerResult r;
  r.partition_errors.assign(slots.size(), "");
  rd_kafka_resp_err_t e1 = list_offsets(client, slots, kLatest, r.end, r.partition_errors);
  if (e1 != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // Don't wait a second timeout on a broker that just failed to answer.
    r.error = error_text(e1);
    r.start.assign(slots.size(), std::nullopt);
    return r;
  }
  rd_kafka_resp_err_t e2 = list_offsets(client, slots, kEarliest, r.start, r.partition_errors);
  if (e2 != RD_KAFKA_RESP_ERR_NO_ERROR) r.error = error_text(e2);
  return r;
}

}  // namespace

LogOffsetsOutcome fetch_log_offsets(const Client& client, std::vector<model::Topic>& topics) {
  std::map<int32_t, std::vector<Slot>> by_leader;
  for (auto& t : topics) {
    for (auto& p : t.partitions) {
      if (p.leader >= 0) by_leader[p.leader].push_back({&t, &p});
    }
  }

  LogOffsetsOutcome outcome;
  // A handful of brokers in practice; cap the threads for the rare very large cluster.
  constexpr size_t kMaxParallel = 16;
  auto it = by_leader.begin();
  while (it != by_leader.end()) {
    std::vector<std::pair<int32_t, std::future<BrokerResult>>> wave;
    for (; it != by_leader.end() && wave.size() < kMaxParallel; ++it) {
      const auto& slots = it->second;
      wave.emplace_back(it->first,
                        std::async(std::launch::async, [&client, &slots] { return query_broker(client, slots); }));
    }
    for (auto& [leader, fut] : wave) {
      BrokerResult r = fut.get();
      const auto& slots = by_leader[leader];
      outcome.requests += r.error.empty() ? 2 : 1;
      for (size_t i = 0; i < slots.size(); ++i) {
        auto& p = *slots[i].partition;
        p.log_end_offset = r.end[i];
        p.log_start_offset = r.start[i];
        if (!r.partition_errors[i].empty()) {
          p.error = r.partition_errors[i];
        } else if (!p.log_end_offset && !r.error.empty()) {
          p.error = r.error;
        }
      }
      if (!r.error.empty()) {
        outcome.errors.push_back("ListOffsets to broker " + std::to_string(leader) + " (" +
                                 std::to_string(slots.size()) + " partitions): " + r.error);
      }
    }
  }
  return outcome;
}

}  // namespace lagwatch::kafka
