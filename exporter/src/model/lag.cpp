#include "model/lag.hpp"

#include <algorithm>
#include <set>

namespace lagwatch::model {
namespace {

std::map<std::string, TopicAssignment> topic_assignments(const Group& g, const std::vector<PartitionLag>& partitions,
                                                         const std::set<std::string>& topics) {
  std::map<std::string, TopicAssignment> out;
  std::set<std::pair<std::string, int32_t>> owned;
  for (const auto& t : topics) out[t];
  for (const auto& m : g.members) {
    std::set<std::string> member_topics;
    for (const auto& tp : m.assignment) {
      if (!topics.count(tp.first)) continue;  // a deleted or filtered-out topic
      if (owned.insert(tp).second) out[tp.first].assigned++;
      member_topics.insert(tp.first);
    }
    for (const auto& t : member_topics) out[t].members++;
  }
  for (const auto& p : partitions) {
    if (p.lag.value_or(0) > 0 && !owned.count({p.topic, p.partition})) out[p.topic].unassigned_with_lag++;
  }
  return out;
}

}  // namespace

int64_t offset_lag(int64_t log_end_offset, int64_t committed_offset) {
  return std::max<int64_t>(0, log_end_offset - committed_offset);
}

int64_t GroupLag::total_lag() const {
  int64_t sum = 0;
  for (const auto& p : partitions) sum += p.lag.value_or(0);
  return sum;
}

double GroupLag::max_lag_seconds() const {
  double m = 0;
  for (const auto& p : partitions) m = std::max(m, p.lag_seconds);
  return m;
}

std::optional<double> GroupLag::min_seconds_until_deleted() const {
  std::optional<double> m;
  for (const auto& p : partitions) {
    if (p.data_lost || !p.seconds_until_deleted) continue;  // lost already: data_lost_partitions says so
    if (!m || *p.seconds_until_deleted < *m) m = p.seconds_until_deleted;
  }
  return m;
}

int GroupLag::data_lost_partitions() const {
  int n = 0;
  for (const auto& p : partitions) n += p.data_lost ? 1 : 0;
  return n;
}

std::vector<std::tuple<std::string, int32_t, int64_t>> lower_bound_partitions(const std::vector<GroupLag>& lag) {
  std::set<std::tuple<std::string, int32_t, int64_t>> out;
  for (const auto& g : lag) {
    for (const auto& p : g.partitions) {
      if (p.lag_seconds_lower_bound) out.emplace(p.topic, p.partition, p.committed_offset);
    }
  }
  return {out.begin(), out.end()};
}

void anchor_lag_seconds(std::vector<GroupLag>& lag, const RecordTimes& times, int64_t now_ms) {
  for (auto& g : lag) {
    for (auto& p : g.partitions) {
      if (!p.lag_seconds_lower_bound) continue;
      auto it = times.find({p.topic, p.partition, p.committed_offset});
      if (it == times.end()) continue;
      // Never below the history's bound: a producer's clock (CreateTime) may run ahead.
      double anchored = static_cast<double>(now_ms - it->second) / 1000.0;
      p.lag_seconds = std::max(p.lag_seconds, anchored);
      p.lag_seconds_lower_bound = false;
    }
  }
}

std::vector<GroupLag> compute_lag(const ClusterSnapshot& snapshot, const LagSecondsSource* histories) {
  const int64_t now_ms = snapshot.offsets_read_ms();
  std::vector<GroupLag> out;
  out.reserve(snapshot.groups.size());
  for (const auto& g : snapshot.groups) {
    GroupLag gl;
    gl.group = g.name;
    gl.state = g.state;
    gl.described = g.described;
    gl.members = g.members.size();
    gl.protocol = g.protocol;
    gl.epoch = g.epoch;
    gl.rebalances = g.rebalances;
    gl.error = g.error;

    std::set<std::string> topics;
    std::set<std::pair<std::string, int32_t>> committed;
    for (const auto& c : g.offsets) {
      const Topic* topic = snapshot.find_topic(c.topic);
      if (!topic) continue;  // deleted or filtered out: nothing to compare against
      topics.insert(c.topic);
      committed.emplace(c.topic, c.partition);
      PartitionLag pl;
      pl.topic = c.topic;
      pl.partition = c.partition;
      pl.committed_offset = c.offset;
      if (const Partition* p = topic->find(c.partition); p && p->log_end_offset) {
        pl.log_end_offset = p->log_end_offset;
        pl.lag = offset_lag(*p->log_end_offset, c.offset);
        if (histories && *pl.lag > 0) {
          if (auto s = histories->lag_seconds(c.topic, c.partition, c.offset, now_ms)) {
            pl.lag_seconds = s->seconds;
            pl.lag_seconds_lower_bound = s->lower_bound;
          }
        }
      }
      gl.partitions.push_back(std::move(pl));
    }
    // Topics a member is assigned count as consumed too, commit or not.
    for (const auto& m : g.members) {
      for (const auto& [t, p] : m.assignment) {
        if (snapshot.find_topic(t)) topics.insert(t);
      }
    }
    for (const auto& t : topics) {
      const Topic* topic = snapshot.find_topic(t);
      int missing = 0;
      for (const auto& p : topic->partitions) missing += committed.count({t, p.id}) ? 0 : 1;
      gl.uncommitted_partitions[t] = missing;
    }
    std::sort(gl.partitions.begin(), gl.partitions.end(), [](const auto& a, const auto& b) {
      return a.topic != b.topic ? a.topic < b.topic : a.partition < b.partition;
    });
    if (g.described) gl.assignment = topic_assignments(g, gl.partitions, topics);
    out.push_back(std::move(gl));
  }
  return out;
}

}  // namespace lagwatch::model
