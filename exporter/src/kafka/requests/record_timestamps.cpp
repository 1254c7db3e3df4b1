#include "kafka/requests/record_timestamps.hpp"

#include "kafka/protocol/fetch.hpp"
#include "kafka/protocol/record_batch.hpp"

namespace lagwatch::kafka {
namespace {

// Enough for the batch holding the offset in nearly every topic; a larger batch comes back
// cut short, and then the batch header's base timestamp stands in (see record_batch.hpp).
constexpr int32_t kPartitionMaxBytes = 256 * 1024;
constexpr int32_t kMaxBytes = 8 * 1024 * 1024;

}  // namespace

std::map<RecordKey, int64_t> fetch_record_timestamps(ClusterClient& client, const std::vector<RecordKey>& wanted,
                                                     const Leaders& leaders) {
  std::map<RecordKey, int64_t> out;
  // Round k asks for the k-th wanted offset of each partition.
  std::map<std::pair<std::string, int32_t>, std::vector<int64_t>> per_partition;
  for (const auto& [t, p, o] : wanted) per_partition[{t, p}].push_back(o);

  for (size_t round = 0;; ++round) {
    std::map<int32_t, std::vector<RecordKey>> by_leader;
    for (const auto& [tp, offsets] : per_partition) {
      if (round >= offsets.size()) continue;
      auto leader = leaders.find(tp);
      if (leader == leaders.end() || leader->second < 0) continue;
      by_leader[leader->second].emplace_back(tp.first, tp.second, offsets[round]);
    }
    if (by_leader.empty()) break;
    std::vector<net::Call> calls;
    for (auto& [node, keys] : by_leader) {
      net::Call call;
      call.node = node;
      call.key = wire::ApiKey::fetch;
      const auto* k = &keys;
      call.encode = [k](int16_t version) {
        protocol::FetchRequest request;
        request.max_wait_ms = 0;  // answer with what is there; never wait for new records
        request.min_bytes = 1;
        request.max_bytes = kMaxBytes;
        request.isolation_level = protocol::kReadUncommitted;
        std::map<std::string, size_t> topic_index;
        for (const auto& [t, p, o] : *k) {
          auto [it, added] = topic_index.emplace(t, request.topics.size());
          if (added) request.topics.emplace_back().topic = t;
          auto& part = request.topics[it->second].partitions.emplace_back();
          part.partition = p;
          part.fetch_offset = o;
          part.partition_max_bytes = kPartitionMaxBytes;
        }
        wire::Writer w;
        protocol::encode(w, request, version);
        return w.take();
      };
      call.on_answer = [&out, k](wire::Reader& r, int16_t version) {
        const auto response = protocol::decode_fetch_response(r, version);
        std::map<std::pair<std::string, int32_t>, int64_t> asked;
        for (const auto& [t, p, o] : *k) asked[{t, p}] = o;
        for (const auto& t : response.responses) {
          for (const auto& p : t.partitions) {
            auto it = asked.find({t.topic, p.partition_index});
            if (it == asked.end() || p.error_code != 0) continue;
            try {
              if (auto ts = protocol::timestamp_at(p.records, it->second)) {
                out[{t.topic, p.partition_index, it->second}] = ts->timestamp;
              }
            } catch (const std::exception&) {
              // An undecodable batch leaves this offset without a timestamp; lag in seconds
              // stays the flagged lower bound for it.
            }
          }
        }
      };
      calls.push_back(std::move(call));
    }
    client.pool().run(calls);
  }
  return out;
}

}  // namespace lagwatch::kafka
