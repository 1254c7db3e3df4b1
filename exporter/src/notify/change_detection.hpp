// Which notifications a poll calls for: compares each group's new status with what this
// notifier last saw and last sent. No I/O, no clock (the poll's evaluation time is "now"),
// no threads: the notifier calls it under its own lock.
//
// The rules, per group that passes the notifier's cluster and group filters, with
// "active" meaning status >= min_severity (WARN < ERR):
//
//   new status        | before                       | sends
//   ------------------+------------------------------+-------------------------------------
//   active            | not notified                 | firing (previous = last status seen,
//                     |                              | NOTFOUND if the group is new)
//   active, changed   | notified with another status | firing (WARN -> ERR, ERR -> WARN)
//   active, same      | notified, repeat_interval>0  | firing with repeat=true once
//                     | and passed since last sent   | repeat_interval has passed
//   not active        | notified                     | resolved (if send_resolved)
//   not active        | not notified                 | nothing (so no flood at start-up)
//
// "State" is kept rather than comparing two views because what was *sent* matters: a group
// that went OK -> WARN -> ERR -> OK under min_severity ERR gets one firing and one resolved.
//
// Unknown is not OK. A poll where the cluster did not answer Metadata changes nothing (no
// resolved flood when a cluster goes down, no repeats either: there is no new information).
// A group absent from an answered poll, or NOTFOUND in it (no commits, or its offsets could
// not be read this time), keeps its state; after kVanishedPolls such polls in a row it is
// forgotten, and if it had been notified a "resolved" with status NOTFOUND is sent (when
// send_resolved), so that a deleted group does not leave an alert open forever.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/name_filter.hpp"
#include "core/cluster_view.hpp"
#include "evaluate/status.hpp"
#include "notification/notification.hpp"

namespace lagwatch::notify {

// Answered polls in a row without a known status after which a group counts as gone.
inline constexpr int kVanishedPolls = 3;

struct DetectionRules {
  evaluate::Status min_severity = evaluate::Status::WARN;  // WARN or ERR
  bool send_resolved = true;
  std::chrono::milliseconds repeat_interval{0};  // 0: never repeat
};

// What the notifier remembers about one group.
struct GroupState {
  evaluate::Status last_status = evaluate::Status::NOTFOUND;  // last known (OK, WARN or ERR)
  bool notified = false;                                      // a firing was decided and no resolved since
  evaluate::Status notified_status = evaluate::Status::NOTFOUND;
  int64_t last_sent_ms = 0;  // evaluation time of the last firing decided
  int unknown_polls = 0;     // answered polls in a row without a known status
};

// By group name, for one cluster.
using ClusterState = std::map<std::string, GroupState>;

// The notifications `view` calls for, oldest state in `state`, which is updated. Groups whose
// name fails `groups` are ignored (and never enter the state). The result is sorted by group.
std::vector<Notification> detect_changes(ClusterState& state, const core::ClusterView& view,
                                         const DetectionRules& rules, const config::NameFilter& groups);

// The facts of one group as a notification would carry them (event and statuses left to the
// caller). Exposed for tests and for rendering examples.
Notification facts_of(const std::string& cluster, const evaluate::GroupEvaluation& evaluation,
                      const model::GroupLag* lag, int64_t timestamp_ms);

}  // namespace lagwatch::notify
