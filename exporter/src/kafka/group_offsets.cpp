#include "kafka/group_offsets.hpp"

#include <algorithm>
#include <chrono>

#include "kafka/admin.hpp"

namespace lagwatch::kafka {
namespace {

using Clock = std::chrono::steady_clock;

// Sends partitions [from, to) of the request (all of them when it names none).
void submit(const Client& client, rd_kafka_queue_t* queue, const GroupOffsetsRequest& req, size_t from, size_t to,
            size_t index) {
  PartitionListPtr parts;
  if (req.partitions) {
    parts.reset(rd_kafka_topic_partition_list_new(static_cast<int>(to - from)));
    for (size_t i = from; i < to; ++i) {
      const auto& [topic, partition] = (*req.partitions)[i];
      rd_kafka_topic_partition_list_add(parts.get(), topic.c_str(), partition);
    }
  }
  GroupOffsetsRequestPtr request(rd_kafka_ListConsumerGroupOffsets_new(req.group.c_str(), parts.get()));
  // The index travels as the opaque pointer value; it is never dereferenced.
  auto opts = admin_options(client, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
                            reinterpret_cast<void*>(static_cast<uintptr_t>(index + 1)));
  rd_kafka_ListConsumerGroupOffsets_t* one[] = {request.get()};
  rd_kafka_ListConsumerGroupOffsets(client.get(), one, 1, opts.get(), queue);
}

void read_result(rd_kafka_event_t* ev, GroupOffsetsResult& out) {
  if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    out.error = rd_kafka_event_error_string(ev);
    return;
  }
  const auto* res = rd_kafka_event_ListConsumerGroupOffsets_result(ev);
  size_t n = 0;
  const auto** groups = rd_kafka_ListConsumerGroupOffsets_result_groups(res, &n);
  for (size_t i = 0; i < n; ++i) {
    if (const auto* err = rd_kafka_group_result_error(groups[i])) {
      out.error = rd_kafka_error_string(err);
      continue;
    }
    const auto* parts = rd_kafka_group_result_partitions(groups[i]);
    if (!parts) continue;
    for (int j = 0; j < parts->cnt; ++j) {
      const auto& p = parts->elems[j];
      // -1001 (RD_KAFKA_OFFSET_INVALID) means "no commit": not a lag of -1, just nothing.
      if (p.err == RD_KAFKA_RESP_ERR_NO_ERROR && p.offset >= 0) {
        out.offsets.push_back({p.topic, p.partition, p.offset});
      }
    }
  }
}

}  // namespace

std::vector<GroupOffsetsResult> fetch_group_offsets(const Client& client,
                                                    const std::vector<GroupOffsetsRequest>& requests, int concurrency) {
  std::vector<GroupOffsetsResult> results(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) results[i].group = requests[i].group;
  if (requests.empty()) return results;

  // A long named partition list is sent in slices: librdkafka 2.0.2 matches every partition of
  // an answer against the request's list by linear search, so one request naming n partitions
  // costs O(n^2) CPU (0.25 s at 10 000 partitions), while slices of kMaxNamed cost O(n x kMaxNamed).
  constexpr size_t kMaxNamed = 1000;
  struct Call {
    size_t request;
    size_t from = 0, to = 0;  // a slice of the request's named partitions
  };
  std::vector<Call> calls;
  for (size_t i = 0; i < requests.size(); ++i) {
    const auto& r = requests[i];
    if (!r.partitions) {
      calls.push_back({i});
      continue;
    }
    for (size_t from = 0; from < r.partitions->size(); from += kMaxNamed) {
      calls.push_back({i, from, std::min(r.partitions->size(), from + kMaxNamed)});
    }
    if (r.partitions->empty()) calls.push_back({i});
  }

  std::vector<bool> done(calls.size(), false);
  std::vector<Clock::time_point> sent(calls.size());
  QueuePtr queue(rd_kafka_queue_new(client.get()));
  size_t next = 0, in_flight = 0, finished = 0;
  const size_t limit = static_cast<size_t>(std::max(1, concurrency));
  // A call unanswered after kStraggler stops counting against `limit`, so a slow or dead
  // coordinator holds back only its own groups, not every group queued behind them; at most
  // kStragglerFactor x limit calls are ever in flight.
  constexpr auto kStraggler = std::chrono::milliseconds(250);
  constexpr size_t kStragglerFactor = 8;
  // Each call carries its own timeout; this guard only catches an event that never comes.
  const auto patience = client.request_timeout() + std::chrono::seconds(5);
  auto last_progress = Clock::now();

  while (finished < calls.size()) {
    const auto now = Clock::now();
    size_t young = 0;  // in flight for less than kStraggler
    for (size_t i = next; i-- > 0 && young < limit;) {
      if (now - sent[i] >= kStraggler) break;  // sent[] is non-decreasing in i
      if (!done[i]) ++young;
    }
    while (young < limit && in_flight < limit * kStragglerFactor && next < calls.size()) {
      const auto& call = calls[next];
      sent[next] = now;
      submit(client, queue.get(), requests[call.request], call.from, call.to, next);
      ++next;
      ++in_flight;
      ++young;
    }
    EventPtr ev(rd_kafka_queue_poll(queue.get(), 50));
    if (!ev) {
      if (Clock::now() - last_progress > patience) break;
      continue;
    }
    if (rd_kafka_event_type(ev.get()) != RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT) continue;
    auto index = static_cast<size_t>(reinterpret_cast<uintptr_t>(rd_kafka_event_opaque(ev.get()))) - 1;
    if (index >= calls.size() || done[index]) continue;
    GroupOffsetsResult part;
    read_result(ev.get(), part);
    auto& into = results[calls[index].request];
    if (!part.error.empty() && into.error.empty()) into.error = std::move(part.error);
    into.offsets.insert(into.offsets.end(), part.offsets.begin(), part.offsets.end());
    done[index] = true;
    --in_flight;
    ++finished;
    last_progress = Clock::now();
  }
  for (size_t i = 0; i < calls.size(); ++i) {
    auto& r = results[calls[i].request];
    if (!done[i] && r.error.empty()) {
      r.error = "OffsetFetch: no answer within " + std::to_string(patience.count()) + " ms";
    }
  }
  for (auto& r : results) {
    std::sort(r.offsets.begin(), r.offsets.end(), [](const auto& a, const auto& b) {
      return a.topic != b.topic ? a.topic < b.topic : a.partition < b.partition;
    });
  }
  return results;
}

}  // namespace lagwatch::kafka
