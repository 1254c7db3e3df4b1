// Log directory sizes from DescribeLogDirs, KMinion's log-dir metrics under lagwatch's names.
// A replica is counted in the directory that holds it; a future replica (the target of an
// intra-broker move) is counted in its directory's size too, since it uses that disk, but not
// in the topic's size, which is what the topic's data weighs on the cluster.
#include <map>

#include "model/topic_checklist.hpp"
#include "publish/collectors.hpp"

namespace lagwatch::publish {

void collect_log_dirs(const Views& views, Families& out) {
  auto dir_size = out.gauge("lagwatch_log_dir_size_bytes", "Bytes of all replicas in a broker's log directory.");
  auto dir_error = out.gauge("lagwatch_log_dir_error",
                             "1 if the broker reports an error for a log directory (a failed disk), else 0.");
  auto dir_total =
      out.gauge("lagwatch_log_dir_total_bytes", "Size of the volume holding a log directory (Kafka 3.3+).");
  auto dir_usable =
      out.gauge("lagwatch_log_dir_usable_bytes", "Free bytes on the volume holding a log directory (Kafka 3.3+).");
  auto broker_size = out.gauge("lagwatch_broker_log_size_bytes", "Bytes of all replicas on a broker.");
  auto topic_size = out.gauge("lagwatch_topic_log_size_bytes",
                              "Bytes of a topic's replicas over all brokers (every copy counted: RF x the data).");
  auto topic_max = out.gauge("lagwatch_topic_partition_max_size_bytes",
                             "Bytes of the largest replica of a topic (the partition-size checklist rule's input).");
  auto replica_size = out.gauge("lagwatch_log_dir_partition_size_bytes",
                                "Bytes of one partition replica on one broker (log_dirs.partition_series: true).");

  for (const auto& [cluster, view] : views) {
    const auto& snap = *view->snapshot;
    if (!snap.metadata_ok || !snap.log_dirs_known) continue;
    std::map<int32_t, double> per_broker;
    std::map<std::string, double> per_topic;
    for (const auto& d : snap.log_dirs) {
      const std::string broker = std::to_string(d.broker);
      Labels l{{"cluster", cluster}, {"broker", broker}, {"log_dir", d.path}};
      out.add(dir_error, l, d.error.empty() ? 0 : 1);
      if (!d.error.empty()) continue;
      double sum = 0;
      for (const auto& r : d.replicas) {
        const auto bytes = static_cast<double>(r.size_bytes);
        sum += bytes;
        if (r.future) continue;
        per_topic[r.topic] += bytes;
        if (view->publish.partition_size_series) {
          out.add(replica_size,
                  {{"cluster", cluster},
                   {"broker", broker},
                   {"topic", r.topic},
                   {"partition", std::to_string(r.partition)}},
                  bytes);
        }
      }
      out.add(dir_size, l, sum);
      if (d.total_bytes && *d.total_bytes >= 0) out.add(dir_total, l, static_cast<double>(*d.total_bytes));
      if (d.usable_bytes && *d.usable_bytes >= 0) out.add(dir_usable, l, static_cast<double>(*d.usable_bytes));
      per_broker[d.broker] += sum;
    }
    for (const auto& [b, bytes] : per_broker)
      out.add(broker_size, {{"cluster", cluster}, {"broker", std::to_string(b)}}, bytes);
    for (const auto& [t, bytes] : per_topic) out.add(topic_size, {{"cluster", cluster}, {"topic", t}}, bytes);
    for (const auto& [t, bytes] : model::largest_replicas(snap)) {
      out.add(topic_max, {{"cluster", cluster}, {"topic", t}}, static_cast<double>(bytes));
    }
  }
}

}  // namespace lagwatch::publish
