#include <librdkafka/rdkafka.h>

#include <chrono>

#include "publish/collectors.hpp"

namespace lagwatch::publish {

void collect_exporter(const Views& views, Families& out) {
  auto build = out.gauge("lagwatch_build_info", "lagwatch's version and the librdkafka it runs on (always 1).");
  out.add(build, {{"version", LAGWATCH_VERSION}, {"librdkafka", rd_kafka_version_str()}}, 1);

  auto up = out.gauge("lagwatch_cluster_up", "1 if the cluster answered Metadata on the last poll, else 0.");
  auto polls = out.counter("lagwatch_polls_total", "Polls of a cluster completed, successful or not.");
  auto errors = out.counter("lagwatch_poll_errors_total",
                            "Failed Kafka requests during polls, by kind (metadata, list_offsets, list_groups, "
                            "group_offsets, cluster, log_dirs).");
  auto duration = out.gauge("lagwatch_poll_duration_seconds", "Duration of the last poll of a cluster.");
  auto last_success = out.gauge("lagwatch_last_successful_poll_timestamp_seconds",
                                "Unix time of the last poll in which every request was answered.");
  auto groups = out.gauge("lagwatch_consumergroups", "Consumer groups tracked in a cluster.");
  auto parts = out.gauge("lagwatch_partitions", "Partitions tracked in a cluster (after topic filters).");
  auto requests = out.gauge("lagwatch_poll_requests", "Kafka requests made by the last poll, by API.");
  auto unsupported =
      out.gauge("lagwatch_kafka_api_unsupported",
                "1 for a Kafka API the cluster's brokers do not offer, or that failed on its last attempt "
                "(DescribeConfigs); the metrics that depend on it are absent.");

  for (const auto& [cluster, view] : views) {
    const auto& snap = *view->snapshot;
    Labels c{{"cluster", cluster}};
    out.add(up, c, view->stats.up ? 1 : 0);
    out.add(polls, c, static_cast<double>(view->stats.polls));
    for (const char* kind : {"metadata", "list_offsets", "list_groups", "group_offsets", "cluster", "log_dirs"}) {
      auto it = view->stats.errors_by_kind.find(kind);
      out.add(errors, {{"cluster", cluster}, {"kind", kind}},
              it == view->stats.errors_by_kind.end() ? 0.0 : static_cast<double>(it->second));
    }
    out.add(duration, c, view->stats.last_duration_seconds);
    out.add(last_success, c, view->stats.last_success_unix_seconds);
    out.add(groups, c, static_cast<double>(snap.groups.size()));
    out.add(parts, c, static_cast<double>(snap.partition_count()));
    for (const auto& [api, n] : snap.requests) {
      out.add(requests, {{"cluster", cluster}, {"api", api}}, static_cast<double>(n));
    }
    for (const auto& api : snap.unsupported_apis) {
      out.add(unsupported, {{"cluster", cluster}, {"api", api}}, 1);
    }
  }
}

}  // namespace lagwatch::publish
