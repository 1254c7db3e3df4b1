#include "evaluate/status.hpp"
#include "publish/collectors.hpp"

namespace lagwatch::publish {
namespace {

using evaluate::Status;

constexpr Status kGroupStatuses[] = {Status::NOTFOUND, Status::OK, Status::WARN, Status::ERR};

}  // namespace

void collect_evaluation(const Views& views, Families& out) {
  // lagwatch's own: the group status one-hot, so `== 1` selects a state and a dashboard can
  // colour by the label; the partition status as Burrow's index, one series per partition.
  auto status = out.gauge("lagwatch_consumergroup_status",
                          "1 for the group's current Burrow-style status (label status: NOTFOUND, OK, WARN, ERR), "
                          "0 for the others.");
  auto partition_status = out.gauge(
      "lagwatch_consumergroup_partition_status",
      "Burrow-style status of a group's partition as Burrow's index: 1 OK, 2 WARN, 4 STOP, 5 STALL, 6 REWIND.");
  auto completeness = out.gauge("lagwatch_consumergroup_window_completeness",
                                "Share of the group's partitions whose evaluation window is full (0 to 1).");

  // Burrow's own families, names and labels as Burrow's /metrics has them.
  auto b_status = out.gauge("burrow_kafka_consumer_status",
                            "Status of the consumer group as Burrow's index: 0 NOTFOUND, 1 OK, 2 WARN, 3 ERR.");
  auto b_lag_total = out.gauge("burrow_kafka_consumer_lag_total", "Sum of the current lag of the group's partitions.");
  auto b_partition_status =
      out.gauge("burrow_kafka_topic_partition_status",
                "Status of a group's partition as Burrow's index: 1 OK, 2 WARN, 4 STOP, 5 STALL, 6 REWIND.");
  auto b_offset =
      out.gauge("burrow_kafka_consumer_current_offset", "Latest committed offset of the group on a partition.");
  auto b_lag = out.gauge("burrow_kafka_consumer_partition_lag", "Current lag of the group on a partition.");
  auto b_topic_offset = out.gauge("burrow_kafka_topic_partition_offset", "Log end offset of a partition.");

  for (const auto& [cluster, view] : views) {
    for (const auto& ev : view->evaluations) {
      const auto& v = ev.verdict;
      for (Status s : kGroupStatuses) {
        out.add(status, {{"cluster", cluster}, {"consumergroup", ev.group}, {"status", evaluate::status_name(s)}},
                v.status == s ? 1 : 0);
      }
      out.add(completeness, {{"cluster", cluster}, {"consumergroup", ev.group}}, v.completeness);
      out.add(b_status, {{"cluster", cluster}, {"consumer_group", ev.group}}, evaluate::status_code(v.status));
      out.add(b_lag_total, {{"cluster", cluster}, {"consumer_group", ev.group}}, static_cast<double>(v.total_lag));
      for (const auto& p : v.partitions) {
        const std::string partition = std::to_string(p.partition);
        double code = evaluate::status_code(p.verdict.status);
        out.add(partition_status,
                {{"cluster", cluster}, {"consumergroup", ev.group}, {"topic", p.topic}, {"partition", partition}},
                code);
        Labels b{{"cluster", cluster}, {"consumer_group", ev.group}, {"topic", p.topic}, {"partition", partition}};
        out.add(b_partition_status, b, code);
        if (p.end) out.add(b_offset, b, static_cast<double>(p.end->offset));
        out.add(b_lag, b, static_cast<double>(p.current_lag));
      }
    }
    const auto& snap = *view->snapshot;
    if (!snap.metadata_ok) continue;
    for (const auto& t : snap.topics) {
      for (const auto& p : t.partitions) {
        if (!p.log_end_offset) continue;
        out.add(b_topic_offset, {{"cluster", cluster}, {"topic", t.name}, {"partition", std::to_string(p.id)}},
                static_cast<double>(*p.log_end_offset));
      }
    }
  }
}

}  // namespace lagwatch::publish
