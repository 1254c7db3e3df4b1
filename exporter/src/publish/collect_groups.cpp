#include <map>

#include "model/group_state.hpp"
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
                         "Consumer group seen by lagwatch (always 1), with the broker's group state and the group's "
                         "protocol (classic, or consumer for KIP-848 groups).");
  auto state_code = out.gauge("lagwatch_consumergroup_state",
                              "Group state as a number: 0 Unknown, 1 Stable, 2 PreparingRebalance, 3 "
                              "CompletingRebalance, 4 Empty, 5 Dead, 6 Assigning, 7 Reconciling, 8 NotReady.");
  auto epoch = out.gauge("lagwatch_consumergroup_epoch",
                         "Group epoch of a KIP-848 (consumer protocol) group: bumped for every new target assignment.");
  auto rebalances = out.counter("lagwatch_consumergroup_rebalances_total",
                                "Rebalances lagwatch has seen since it started: group epoch changes (consumer "
                                "protocol), membership or assignment changes (classic), between two polls.");
  auto topic_members = out.gauge("lagwatch_consumergroup_topic_members",
                                 "Members of a group assigned at least one partition of a topic.");
  auto assigned =
      out.gauge("lagwatch_consumergroup_assigned_partitions", "Partitions of a topic some member of the group owns.");
  auto unassigned = out.gauge("lagwatch_consumergroup_unassigned_partitions",
                              "Partitions of a topic with lag that no member of the group owns: nothing consumes "
                              "them until the next rebalance.");
  auto until_loss =
      out.gauge("lagwatch_consumergroup_partition_seconds_until_data_loss",
                "Estimated seconds before retention may delete the oldest record the group has not read on a "
                "partition, if the group made no more progress (docs/data-loss.md); absent without lag or limit.");
  auto min_until_loss = out.gauge("lagwatch_consumergroup_seconds_until_data_loss",
                                  "Smallest lagwatch_consumergroup_partition_seconds_until_data_loss of a group.");
  auto lost = out.gauge("lagwatch_consumergroup_partition_data_lost",
                        "Present (1) where the committed offset is below the log start offset: records the group "
                        "never read were deleted.");
  auto lost_count = out.gauge("lagwatch_consumergroup_data_lost_partitions",
                              "Partitions on which the group's committed offset is below the log start offset.");

  for (const auto& [cluster, view] : views) {
    for (const auto& g : view->lag) {
      Labels group_labels{{"cluster", cluster}, {"consumergroup", g.group}};
      out.add(state, {{"cluster", cluster}, {"consumergroup", g.group}, {"state", g.state}, {"protocol", g.protocol}},
              1);
      out.add(state_code, group_labels, model::group_state_code(g.state));
      out.add(rebalances, group_labels, static_cast<double>(g.rebalances));
      if (g.epoch) out.add(epoch, group_labels, *g.epoch);
      if (g.described) out.add(members, group_labels, static_cast<double>(g.members));
      for (const auto& [topic, a] : g.assignment) {
        Labels l{{"cluster", cluster}, {"consumergroup", g.group}, {"topic", topic}};
        out.add(topic_members, l, a.members);
        out.add(assigned, l, a.assigned);
        out.add(unassigned, l, a.unassigned_with_lag);
      }

      std::map<std::string, std::pair<double, double>> per_topic;  // offset sum, lag sum
      for (const auto& p : g.partitions) {
        Labels l{{"cluster", cluster},
                 {"consumergroup", g.group},
                 {"topic", p.topic},
                 {"partition", std::to_string(p.partition)}};
        out.add(offset, l, static_cast<double>(p.committed_offset));
        auto& sums = per_topic[p.topic];
        sums.first += static_cast<double>(p.committed_offset);
        // Before the lag: a lost partition is flagged whether or not its end offset was read.
        if (p.data_lost) out.add(lost, l, 1);
        if (!p.lag) continue;
        sums.second += static_cast<double>(*p.lag);
        out.add(lag, l, static_cast<double>(*p.lag));
        out.add(lag_seconds, l, p.lag_seconds);
        if (p.lag_seconds_lower_bound) out.add(lag_seconds_lb, l, 1);  // sparse: present only when true
        if (p.seconds_until_deleted && !p.data_lost) out.add(until_loss, l, *p.seconds_until_deleted);
      }
      for (const auto& [topic, sums] : per_topic) {
        Labels l{{"cluster", cluster}, {"consumergroup", g.group}, {"topic", topic}};
        out.add(offset_sum, l, sums.first);
        out.add(lag_sum, l, sums.second);
      }
      for (const auto& [topic, n] : g.uncommitted_partitions) {
        out.add(uncommitted, {{"cluster", cluster}, {"consumergroup", g.group}, {"topic", topic}}, n);
      }
      if (!g.partitions.empty()) {
        out.add(max_lag_seconds, group_labels, g.max_lag_seconds());
        out.add(lost_count, group_labels, g.data_lost_partitions());
      }
      if (auto m = g.min_seconds_until_deleted()) out.add(min_until_loss, group_labels, *m);
    }
  }
}

}  // namespace lagwatch::publish
