#include "kafka/requests/log_offsets.hpp"

#include <map>

#include "kafka/protocol/error_codes.hpp"
#include "kafka/protocol/list_offsets.hpp"

namespace lagwatch::kafka {
namespace {

constexpr int64_t kLatest = -1;
constexpr int64_t kEarliest = -2;

struct Slot {
  model::Topic* topic;
  model::Partition* partition;
};

}  // namespace

LogOffsetsOutcome fetch_log_offsets(ClusterClient& client, std::vector<model::Topic>& topics) {
  std::map<int32_t, std::vector<Slot>> by_leader;
  for (auto& t : topics) {
    for (auto& p : t.partitions) {
      if (p.leader >= 0) by_leader[p.leader].push_back({&t, &p});
    }
  }

  // (topic, partition) -> slot, to place answers that come back in any order.
  std::map<std::pair<std::string, int32_t>, model::Partition*> where;
  for (auto& [leader, slots] : by_leader) {
    for (auto& s : slots) where[{s.topic->name, s.partition->id}] = s.partition;
  }

  std::vector<net::Call> calls;
  std::vector<std::pair<int32_t, int64_t>> call_info;  // leader, which
  for (auto& [leader, slots] : by_leader) {
    for (int64_t which : {kLatest, kEarliest}) {
      net::Call call;
      call.node = leader;
      call.key = wire::ApiKey::list_offsets;
      const auto* s = &slots;
      call.encode = [s, which](int16_t version) {
        protocol::ListOffsetsRequest request;
        request.replica_id = -1;
        request.isolation_level = 0;  // read_uncommitted: the high watermark, as consumers' lag uses
        std::map<std::string, size_t> topic_index;
        for (const auto& slot : *s) {
          auto [it, added] = topic_index.emplace(slot.topic->name, request.topics.size());
          if (added) request.topics.emplace_back().name = slot.topic->name;
          auto& p = request.topics[it->second].partitions.emplace_back();
          p.partition_index = slot.partition->id;
          p.timestamp = which;
        }
        wire::Writer w;
        protocol::encode(w, request, version);
        return w.take();
      };
      call.on_answer = [&where, which](wire::Reader& r, int16_t version) {
        const auto response = protocol::decode_list_offsets_response(r, version);
        for (const auto& t : response.topics) {
          for (const auto& p : t.partitions) {
            auto it = where.find({t.name, p.partition_index});
            if (it == where.end()) continue;  // not asked: ignore
            auto& part = *it->second;
            if (p.error_code != 0) {
              part.error = protocol::describe_error(p.error_code);
              continue;
            }
            if (p.offset < 0) continue;
            (which == kLatest ? part.log_end_offset : part.log_start_offset) = p.offset;
          }
        }
      };
      calls.push_back(std::move(call));
      call_info.emplace_back(leader, which);
    }
  }
  client.pool().run(calls);

  LogOffsetsOutcome outcome;
  outcome.requests = static_cast<int>(calls.size());
  std::map<int32_t, std::string> failed;
  for (size_t i = 0; i < calls.size(); ++i) {
    if (calls[i].answered) continue;
    auto& e = failed[call_info[i].first];
    if (e.empty()) e = calls[i].error;
  }
  for (const auto& [leader, error] : failed) {
    const auto& slots = by_leader[leader];
    for (const auto& s : slots) {
      if (!s.partition->log_end_offset && s.partition->error.empty()) s.partition->error = error;
    }
    outcome.errors.push_back("ListOffsets to broker " + std::to_string(leader) + " (" + std::to_string(slots.size()) +
                             " partitions): " + error);
  }
  return outcome;
}

}  // namespace lagwatch::kafka
