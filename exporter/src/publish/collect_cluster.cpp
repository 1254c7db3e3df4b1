// What the cluster is: its id and mode, and on KRaft the metadata quorum that replaced
// ZooKeeper. The quorum's leader is the active controller; its voters are the controllers,
// its observers the brokers. Ages are measured on the leader's clock (its own entry's fetch
// time), so a skewed clock between lagwatch and the controllers does not distort them.
#include "publish/collectors.hpp"

namespace lagwatch::publish {
namespace {

// A voter that has not fetched from the leader for this long is counted as not live: well
// past controller.quorum.fetch.timeout.ms (2 s by default), after which followers call an
// election, yet short enough to show a stopped controller within a poll or two.
constexpr double kLiveFetchAgeSeconds = 15;

}  // namespace

void collect_cluster(const Views& views, Families& out) {
  auto info = out.gauge("lagwatch_cluster_info",
                        "The cluster's id and whether it runs in KRaft mode (always 1; kraft is \"unknown\" until a "
                        "broker has told).");
  auto fenced = out.gauge("lagwatch_broker_fenced",
                          "Present (1) for a KRaft broker that is registered but fenced (DescribeCluster v2): it "
                          "serves no partitions.");
  auto leader = out.gauge("lagwatch_kraft_quorum_leader_id",
                          "Node id of the KRaft metadata quorum's leader (the active controller); -1 without one.");
  auto epoch = out.gauge("lagwatch_kraft_quorum_leader_epoch", "Epoch of the KRaft quorum's current leader.");
  auto hwm = out.gauge("lagwatch_kraft_quorum_high_watermark", "High watermark of the __cluster_metadata log.");
  auto voters = out.gauge("lagwatch_kraft_quorum_voters", "Voters (controllers) of the KRaft quorum.");
  auto live = out.gauge("lagwatch_kraft_quorum_voters_live",
                        "Voters that are the leader or fetched from it within the last 15 s (needs DescribeQuorum "
                        "v1, Kafka 3.3+).");
  auto leo = out.gauge("lagwatch_kraft_quorum_replica_log_end_offset",
                       "Log end offset of a quorum replica's __cluster_metadata log, by role (voter, observer).");
  auto lag =
      out.gauge("lagwatch_kraft_quorum_replica_lag", "Records a quorum replica is behind the leader's log end offset.");
  auto fetch_age = out.gauge("lagwatch_kraft_quorum_replica_last_fetch_age_seconds",
                             "Seconds since a quorum replica last fetched from the leader (leader's clock; v1+).");
  auto caught_up_age = out.gauge("lagwatch_kraft_quorum_replica_last_caught_up_age_seconds",
                                 "Seconds since a quorum replica was last caught up with the leader (leader's clock; "
                                 "v1+).");

  for (const auto& [cluster, view] : views) {
    const auto& snap = *view->snapshot;
    if (!snap.metadata_ok) continue;
    out.add(info,
            {{"cluster", cluster},
             {"cluster_id", snap.cluster_id},
             {"kraft", snap.kraft ? (*snap.kraft ? "true" : "false") : "unknown"}},
            1);
    for (int32_t id : snap.fenced_brokers) out.add(fenced, {{"cluster", cluster}, {"broker", std::to_string(id)}}, 1);
    if (!snap.quorum) continue;
    const auto& q = *snap.quorum;
    Labels c{{"cluster", cluster}};
    out.add(leader, c, q.leader_id);
    out.add(epoch, c, q.leader_epoch);
    out.add(hwm, c, static_cast<double>(q.high_watermark));
    out.add(voters, c, static_cast<double>(q.voters.size()));

    const model::QuorumReplica* self = nullptr;
    for (const auto& v : q.voters) {
      if (v.id == q.leader_id) self = &v;
    }
    const int64_t leader_leo = self ? self->log_end_offset : q.high_watermark;
    // The leader's own entry carries its current time: in last_caught_up_timestamp (as the spec
    // says) and, on Kafka's implementation, in last_fetch_timestamp too.
    std::optional<int64_t> leader_now;
    if (self) leader_now = self->last_caught_up_ms ? self->last_caught_up_ms : self->last_fetch_ms;
    int live_voters = 0;
    bool live_known = leader_now.has_value();
    // A copy: clang before 16 cannot capture a structured binding in a lambda.
    const std::string& cluster_name = cluster;
    auto replica = [&](const model::QuorumReplica& r, const char* role) {
      Labels l{{"cluster", cluster_name}, {"node", std::to_string(r.id)}, {"role", role}};
      out.add(leo, l, static_cast<double>(r.log_end_offset));
      out.add(lag, l, static_cast<double>(std::max<int64_t>(0, leader_leo - r.log_end_offset)));
      if (leader_now && r.last_fetch_ms && *r.last_fetch_ms >= 0) {
        out.add(fetch_age, l, std::max(0.0, static_cast<double>(*leader_now - *r.last_fetch_ms) / 1000.0));
      }
      if (leader_now && r.last_caught_up_ms && *r.last_caught_up_ms >= 0) {
        out.add(caught_up_age, l, std::max(0.0, static_cast<double>(*leader_now - *r.last_caught_up_ms) / 1000.0));
      }
    };
    for (const auto& v : q.voters) {
      replica(v, "voter");
      if (v.id == q.leader_id && q.leader_id >= 0) {
        ++live_voters;
      } else if (leader_now && v.last_fetch_ms && *v.last_fetch_ms >= 0 &&
                 static_cast<double>(*leader_now - *v.last_fetch_ms) / 1000.0 <= kLiveFetchAgeSeconds) {
        ++live_voters;
      }
    }
    for (const auto& o : q.observers) replica(o, "observer");
    if (live_known) out.add(live, c, live_voters);
  }
}

}  // namespace lagwatch::publish
