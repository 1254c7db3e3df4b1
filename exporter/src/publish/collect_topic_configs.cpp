#include "model/topic_checklist.hpp"
#include "publish/collectors.hpp"

namespace lagwatch::publish {

void collect_topic_configs(const Views& views, Families& out) {
  auto rf =
      out.gauge("lagwatch_topic_replication_factor", "Replication factor of a topic (smallest over its partitions).");
  auto min_isr = out.gauge("lagwatch_topic_min_insync_replicas",
                           "Effective min.insync.replicas of a topic (needs DescribeConfigs).");
  auto retention = out.gauge("lagwatch_topic_retention_seconds",
                             "Effective retention.ms of a topic, in seconds; -1 means unlimited.");
  auto retention_bytes = out.gauge("lagwatch_topic_retention_bytes",
                                   "Effective retention.bytes of a topic (per partition); -1 means unlimited.");
  auto info = out.gauge("lagwatch_topic_config_info", "Topic configuration as labels (always 1): cleanup_policy.");
  auto checklist = out.gauge("lagwatch_topic_checklist_violation",
                             "1 if a topic violates a production checklist rule (label rule), 0 if it passes; rules "
                             "that need an unavailable config are absent.");
  for (const auto& [cluster, view] : views) {
    const auto& snap = *view->snapshot;
    if (!snap.metadata_ok) continue;
    const auto largest = model::largest_replicas(snap);
    for (const auto& t : snap.topics) {
      // Judged only for a topic the log dirs list: one created since the last DescribeLogDirs,
      // or on brokers that answered with no directories (no ACL on Kafka < 3.0), is not known.
      std::optional<int64_t> sizes;
      if (auto it = largest.find(t.name); it != largest.end()) sizes = it->second;
      Labels l{{"cluster", cluster}, {"topic", t.name}};
      out.add(rf, l, model::replication_factor(t));
      std::optional<model::TopicConfig> cfg;
      if (auto it = snap.topic_configs.find(t.name); it != snap.topic_configs.end()) cfg = it->second;
      if (cfg && cfg->min_insync_replicas) out.add(min_isr, l, *cfg->min_insync_replicas);
      if (cfg && cfg->retention_ms) {
        out.add(retention, l, *cfg->retention_ms < 0 ? -1.0 : static_cast<double>(*cfg->retention_ms) / 1000.0);
      }
      if (cfg && cfg->retention_bytes) out.add(retention_bytes, l, static_cast<double>(*cfg->retention_bytes));
      if (cfg && !cfg->cleanup_policy.empty()) {
        out.add(info, {{"cluster", cluster}, {"topic", t.name}, {"cleanup_policy", cfg->cleanup_policy}}, 1);
      }
      for (const auto& r : model::topic_checklist(t, cfg, sizes, view->publish.partition_size_limit_bytes)) {
        out.add(checklist, {{"cluster", cluster}, {"topic", t.name}, {"rule", r.rule}}, r.violated ? 1 : 0);
      }
    }
  }
}

}  // namespace lagwatch::publish
