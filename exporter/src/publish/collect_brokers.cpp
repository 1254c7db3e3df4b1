#include "publish/collectors.hpp"

namespace lagwatch::publish {

void collect_brokers(const Views& views, Families& out) {
  auto brokers = out.gauge("kafka_brokers", "Number of brokers in the Kafka cluster.");
  auto info = out.gauge("kafka_broker_info", "Information about a Kafka broker (always 1).");
  for (const auto& [cluster, view] : views) {
    const auto& snap = *view->snapshot;
    if (!snap.metadata_ok) continue;  // unknown, not zero: lagwatch_cluster_up says why
    out.add(brokers, {{"cluster", cluster}}, static_cast<double>(snap.brokers.size()));
    for (const auto& b : snap.brokers) {
      out.add(info, {{"cluster", cluster}, {"id", std::to_string(b.id)}, {"address", b.address()}, {"rack", b.rack}},
              1);
    }
  }
}

}  // namespace lagwatch::publish
