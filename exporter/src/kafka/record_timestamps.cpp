#include "kafka/record_timestamps.hpp"

#include <set>

namespace lagwatch::kafka {

std::map<std::string, std::string> record_reader_properties(const std::string& cluster) {
  return {
      // Needed by librdkafka's consumer API; with manual assignment and no commits no group
      // is ever joined or created on the brokers.
      {"group.id", "lagwatch-record-reader-" + cluster},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "false"},
      // One record is all we need: keep fetches and the prefetch queue small.
      {"fetch.max.bytes", "1048576"},
      {"max.partition.fetch.bytes", "65536"},
      {"queued.max.messages.kbytes", "1024"},
      // Offset gone by retention: the oldest record left is the best anchor there is.
      {"auto.offset.reset", "earliest"},
  };
}

namespace {

// One assignment: the first record at or after one offset per partition.
void read_round(const Client& consumer, const std::map<std::pair<std::string, int32_t>, int64_t>& offsets,
                std::chrono::milliseconds timeout, std::map<RecordKey, int64_t>& out) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& [tp, offset] : offsets) {
    rd_kafka_topic_partition_list_add(list.get(), tp.first.c_str(), tp.second)->offset = offset;
  }
  if (rd_kafka_assign(consumer.get(), list.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) return;

  std::set<std::pair<std::string, int32_t>> pending;
  for (const auto& [tp, _] : offsets) pending.insert(tp);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pending.empty() && std::chrono::steady_clock::now() < deadline) {
    std::unique_ptr<rd_kafka_message_t, Deleter<rd_kafka_message_destroy>> msg(
        rd_kafka_consumer_poll(consumer.get(), 100));
    if (!msg || msg->err || !msg->rkt) continue;
    std::pair<std::string, int32_t> tp{rd_kafka_topic_name(msg->rkt), msg->partition};
    auto it = offsets.find(tp);
    if (it == offsets.end() || !pending.count(tp) || msg->offset < it->second) continue;
    rd_kafka_timestamp_type_t type;
    int64_t ts = rd_kafka_message_timestamp(msg.get(), &type);
    if (ts >= 0) out[{tp.first, tp.second, it->second}] = ts;
    pending.erase(tp);
  }
  rd_kafka_assign(consumer.get(), nullptr);
}

}  // namespace

std::map<RecordKey, int64_t> fetch_record_timestamps(const Client& consumer, const std::vector<RecordKey>& wanted,
                                                     std::chrono::milliseconds timeout) {
  // Several groups may wait at different offsets of one partition, and a partition takes one
  // offset per assignment: round k reads every partition's k-th wanted offset. Few rounds per
  // call; what is left is read on a later poll.
  constexpr size_t kMaxRounds = 4;
  std::map<std::pair<std::string, int32_t>, std::vector<int64_t>> by_partition;
  for (const auto& [t, p, o] : wanted) by_partition[{t, p}].push_back(o);
  std::map<RecordKey, int64_t> out;
  for (size_t round = 0; round < kMaxRounds; ++round) {
    std::map<std::pair<std::string, int32_t>, int64_t> offsets;
    for (const auto& [tp, list] : by_partition) {
      if (round < list.size()) offsets.emplace(tp, list[round]);
    }
    if (offsets.empty()) break;
    read_round(consumer, offsets, timeout / static_cast<int>(kMaxRounds), out);
  }
  return out;
}

}  // namespace lagwatch::kafka
