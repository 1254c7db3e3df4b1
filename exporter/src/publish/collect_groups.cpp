#include <map>

#include "publish/collectors.hpp"

namespace lagwatch::publish {

void collect_groups(const Views& views, Families& out) {
  auto offset = out.gauge("kafka_consumergroup_current_offset",
                          "Committed offset of a consumer group on a partition (the next offset it reads).");
  auto offset_sum = out.gauge("kafka_consumergroup_current_offset_sum",
                              "Sum of a consumer group's committed offsets over a topic's partitions.");
  auto lag = out.gauge("kafka_consumergroup_lag",
                       "Log end offset minus committed offset, never negative; absent without a commit.");
  auto lag_sum = out.gauge("kafka_consumergroup_lag_sum", "Sum of a consumer group's lag over a topic.");
  auto members = out.gauge("kafka_consumergroup_members",
                           "Members of a consumer group (absent where DescribeGroups is not supported).");
  auto lag_seconds = out.gauge("lagwatch_consumergroup_lag_seconds",
                               "Age of the oldest record the group has not consumed on a partition; 0 when caught up.");
  auto lag_seconds_lb = out.gauge("lagwatch_consumergroup_lag_seconds_is_lower_bound",
                                  "Present (1) where the committed offset is older than lagwatch's offset history, so "
                                  "lag in seconds is a lower bound.");
  auto max_lag_seconds =
      out.gauge("lagwatch_consumergroup_max_lag_seconds", "Largest lag in seconds over a consumer group's partitions.");
  auto uncommitted = out.gauge("lagwatch_consumergroup_uncommitted_partitions",
                               "Partitions of a topic the group consumes on which it has no committed offset.");
  auto state = out.gauge("lagwatch_consumergroup_info",
                         "Consumer group seen by lagwatch (always 1), with the broker's group state.");

  for (const auto& [cluster, view] : views) {
    for (const auto& g : view->lag) {
      Labels group_labels{{"cluster", cluster}, {"consumergroup", g.group}};
      out.add(state, {{"cluster", cluster}, {"consumergroup", g.group}, {"state", g.state}}, 1);
      if (g.described) out.add(members, group_labels, static_cast<double>(g.members));

      std::map<std::string, std::pair<double, double>> per_topic;  // offset sum, lag sum
      for (const auto& p : g.partitions) {
        Labels l{{"cluster", cluster},
                 {"consumergroup", g.group},
                 {"topic", p.topic},
                 {"partition", std::to_string(p.partition)}};
        out.add(offset, l, static_cast<double>(p.committed_offset));
        auto& sums = per_topic[p.topic];
        sums.first += static_cast<double>(p.committed_offset);
        if (!p.lag) continue;
        sums.second += static_cast<double>(*p.lag);
        out.add(lag, l, static_cast<double>(*p.lag));
        out.add(lag_seconds, l, p.lag_seconds);
        if (p.lag_seconds_lower_bound) out.add(lag_seconds_lb, l, 1);  // sparse: present only when true
      }
      for (const auto& [topic, sums] : per_topic) {
        Labels l{{"cluster", cluster}, {"consumergroup", g.group}, {"topic", topic}};
        out.add(offset_sum, l, sums.first);
        out.add(lag_sum, l, sums.second);
      }
      for (const auto& [topic, n] : g.uncommitted_partitions) {
        out.add(uncommitted, {{"cluster", cluster}, {"consumergroup", g.group}, {"topic", topic}}, n);
      }
      if (!g.partitions.empty()) out.add(max_lag_seconds, group_labels, g.max_lag_seconds());
    }
  }
}

}  // namespace lagwatch::publish
