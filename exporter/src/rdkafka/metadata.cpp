#include "rdkafka/metadata.hpp"

#include <algorithm>

namespace lagwatch::rdkafka {

ClusterMetadata fetch_metadata(const Client& client) {
  const rd_kafka_metadata_t* raw = nullptr;
  // librdkafka sends Metadata to one broker; if that one just died the request times out
  // although the others would answer. A second attempt goes to a broker still connected.
  const int timeout_ms = static_cast<int>(client.request_timeout().count());
  rd_kafka_resp_err_t err = rd_kafka_metadata(client.get(), /*all_topics=*/1, nullptr, &raw, timeout_ms / 2);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    err = rd_kafka_metadata(client.get(), /*all_topics=*/1, nullptr, &raw, timeout_ms - timeout_ms / 2);
  }
  MetadataPtr md(raw);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) throw KafkaError("Metadata: " + error_text(err));

  ClusterMetadata out;
  out.answering_broker = md->orig_broker_id;
  // The Metadata answer just received carries the controller; 0 ms: read what it said.
  if (int32_t controller = rd_kafka_controllerid(client.get(), 0); controller >= 0) out.controller_id = controller;
  out.brokers.reserve(md->broker_cnt);
  for (int i = 0; i < md->broker_cnt; ++i) {
    const auto& b = md->brokers[i];
    out.brokers.push_back({b.id, b.host ? b.host : "", b.port, ""});
  }
  std::sort(out.brokers.begin(), out.brokers.end(), [](auto& a, auto& b) { return a.id < b.id; });

  out.topics.reserve(md->topic_cnt);
  for (int i = 0; i < md->topic_cnt; ++i) {
    const auto& t = md->topics[i];
    // A topic-level error (e.g. being deleted) with no partitions tells us nothing to export.
    if (t.partition_cnt == 0) continue;
    model::Topic topic;
    topic.name = t.topic;
    topic.partitions.reserve(t.partition_cnt);
    for (int j = 0; j < t.partition_cnt; ++j) {
      const auto& p = t.partitions[j];
      model::Partition part;
      part.id = p.id;
      part.leader = p.leader;
      part.replicas.assign(p.replicas, p.replicas + p.replica_cnt);
      part.isr.assign(p.isrs, p.isrs + p.isr_cnt);
      // LEADER_NOT_AVAILABLE comes with leader -1 on an offline partition; keep the text.
      if (p.err != RD_KAFKA_RESP_ERR_NO_ERROR) part.error = error_text(p.err);
      topic.partitions.push_back(std::move(part));
    }
    std::sort(topic.partitions.begin(), topic.partitions.end(), [](auto& a, auto& b) { return a.id < b.id; });
    out.topics.push_back(std::move(topic));
  }
  std::sort(out.topics.begin(), out.topics.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace lagwatch::rdkafka
