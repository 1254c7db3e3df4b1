#include "kafka/requests/metadata.hpp"

#include <algorithm>

#include "kafka/protocol/error_codes.hpp"
#include "kafka/protocol/metadata.hpp"

namespace lagwatch::kafka {

ClusterMetadata fetch_metadata(ClusterClient& client) {
  protocol::MetadataResponse response;
  net::Call call;
  call.key = wire::ApiKey::metadata;
  call.encode = [](int16_t version) {
    protocol::MetadataRequest request;  // all topics, no auto-creation
    wire::Writer w;
    protocol::encode(w, request, version);
    return w.take();
  };
  call.on_answer = [&](wire::Reader& r, int16_t version) { response = protocol::decode_metadata_response(r, version); };
  client.pool().run(std::span(&call, 1));
  if (!call.answered) throw KafkaError("Metadata: " + call.error);

  ClusterMetadata md;
  md.cluster_id = response.cluster_id.value_or("");
  if (response.controller_id >= 0) md.controller_id = response.controller_id;
  std::vector<net::BrokerAddress> addresses;
  for (const auto& b : response.brokers) {
    if (b.port < 1 || b.port > 65535) continue;  // not a reachable broker; never dialed
    md.brokers.push_back({b.node_id, b.host, b.port, b.rack.value_or("")});
    addresses.push_back({b.node_id, b.host, static_cast<uint16_t>(b.port)});
  }
  std::sort(md.brokers.begin(), md.brokers.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  client.pool().set_brokers(addresses);

  for (const auto& t : response.topics) {
    if (!t.name || t.name->empty()) continue;
    model::Topic topic;
    topic.name = *t.name;
    for (const auto& p : t.partitions) {
      model::Partition part;
      part.id = p.partition_index;
      part.leader = p.leader_id;
      part.replicas = p.replica_nodes;
      part.isr = p.isr_nodes;
      // LEADER_NOT_AVAILABLE / LISTENER_NOT_FOUND come with leader -1: offline, which the
      // leader already says; the code is kept for the partition's error text.
      if (p.error_code != 0) part.error = protocol::describe_error(p.error_code);
      topic.partitions.push_back(std::move(part));
    }
    if (t.error_code != 0 && topic.partitions.empty()) continue;  // e.g. a topic being deleted
    std::sort(topic.partitions.begin(), topic.partitions.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    md.topics.push_back(std::move(topic));
  }
  std::sort(md.topics.begin(), md.topics.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return md;
}

}  // namespace lagwatch::kafka
