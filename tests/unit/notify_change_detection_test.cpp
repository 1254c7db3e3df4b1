// Which notifications a sequence of polls calls for (notify/change_detection.hpp): transitions,
// min_severity, send_resolved, repeats, filters, start-up, clusters down, vanished groups.
#include <gtest/gtest.h>

#include "notify/change_detection.hpp"
#include "synthetic_view.hpp"

namespace lagwatch::notify {
namespace {

using evaluate::Status;
using testing::one_partition;
using testing::synthetic_view;

constexpr int64_t kT0 = 1'800'000'000'000;  // some Unix ms
constexpr int64_t kPoll = 30'000;

// Feeds one view per call to detect_changes with the same state, as a notifier does.
class Detector {
 public:
  explicit Detector(DetectionRules rules = {}, const std::vector<std::string>& allow = {},
                    const std::vector<std::string>& deny = {})
      : rules_(rules), filter_(allow, deny, "test") {}

  std::vector<Notification> poll(const testing::SyntheticGroups& groups, bool up = true) {
    now_ += kPoll;
    return detect_changes(state_, *synthetic_view("prod", now_, groups, up), rules_, filter_);
  }
  std::vector<Notification> poll_status(Status s) { return poll({{"billing", one_partition(s)}}); }

  int64_t now() const { return now_; }
  const ClusterState& state() const { return state_; }

 private:
  DetectionRules rules_;
  config::NameFilter filter_;
  ClusterState state_;
  int64_t now_ = kT0;
};

// "firing billing WARN<-OK" style summaries make failures readable.
std::vector<std::string> summary(const std::vector<Notification>& ns) {
  std::vector<std::string> out;
  for (const auto& n : ns) {
    out.push_back(std::string(event_name(n.event)) + (n.repeat ? "(repeat)" : "") + " " + n.group + " " +
                  evaluate::status_name(n.status) + "<-" + evaluate::status_name(n.previous_status));
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(ChangeDetection, OkWarnErrOkSendsFiringFiringResolved) {
  Detector d;
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{});
  EXPECT_EQ(summary(d.poll_status(Status::WARN)), Lines{"firing billing WARN<-OK"});
  EXPECT_EQ(summary(d.poll_status(Status::WARN)), Lines{});
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{"firing billing ERR<-WARN"});
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{});
  EXPECT_EQ(summary(d.poll_status(Status::WARN)), Lines{"firing billing WARN<-ERR"});
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{"resolved billing OK<-WARN"});
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{});
  // And again: a second incident is a new firing.
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{"firing billing ERR<-OK"});
}

TEST(ChangeDetection, StartUpWithOkGroupsSendsNothing) {
  Detector d;
  testing::SyntheticGroups many;
  for (int i = 0; i < 50; ++i) many["group-" + std::to_string(i)] = one_partition(Status::OK, 0, 0);
  EXPECT_TRUE(d.poll(many).empty());
  EXPECT_TRUE(d.poll(many).empty());
  EXPECT_EQ(d.state().size(), 50u);
}

TEST(ChangeDetection, GroupAlreadyFailingAtStartUpFiresOnceWithPreviousNotFound) {
  Detector d;
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{"firing billing ERR<-NOTFOUND"});
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{});
}

TEST(ChangeDetection, MinSeverityErrIgnoresWarnAndResolvesWhenBelow) {
  Detector d({Status::ERR, true, std::chrono::milliseconds(0)});
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{});
  EXPECT_EQ(summary(d.poll_status(Status::WARN)), Lines{});
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{"firing billing ERR<-WARN"});
  // Below min_severity again: the ERR notification is resolved, with the status it is now.
  EXPECT_EQ(summary(d.poll_status(Status::WARN)), Lines{"resolved billing WARN<-ERR"});
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{});
  EXPECT_EQ(summary(d.poll_status(Status::WARN)), Lines{});
}

TEST(ChangeDetection, SendResolvedFalseSendsNoResolvedButStillFiresNextTime) {
  Detector d({Status::WARN, false, std::chrono::milliseconds(0)});
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{"firing billing ERR<-NOTFOUND"});
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{});
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{"firing billing ERR<-OK"});
}

TEST(ChangeDetection, RepeatIntervalResendsWhileNotOk) {
  // Polls every 30 s, repeat every 60 s.
  Detector d({Status::WARN, true, std::chrono::milliseconds(60'000)});
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{});
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{"firing billing ERR<-OK"});           // t
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{});                                   // t+30
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{"firing(repeat) billing ERR<-ERR"});  // t+60
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{});                                   // t+90
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{"firing(repeat) billing ERR<-ERR"});  // t+120
  // A change is sent at once, not as a repeat, and restarts the interval.
  EXPECT_EQ(summary(d.poll_status(Status::WARN)), Lines{"firing billing WARN<-ERR"});  // t+150
  EXPECT_EQ(summary(d.poll_status(Status::WARN)), Lines{});                            // t+180
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{"resolved billing OK<-WARN"});
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{});
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{});  // no repeats of OK
}

TEST(ChangeDetection, RepeatIntervalZeroNeverRepeats) {
  Detector d;
  EXPECT_EQ(summary(d.poll_status(Status::ERR)).size(), 1u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{}) << i;
}

TEST(ChangeDetection, AllowAndDenyFilterGroups) {
  Detector d({}, {"billing", "audit.*"}, {"audit-test"});
  const auto err = one_partition(Status::ERR);
  EXPECT_EQ(summary(d.poll({{"billing", err}, {"audit", err}, {"audit-test", err}, {"shipping", err}})),
            (Lines{"firing audit ERR<-NOTFOUND", "firing billing ERR<-NOTFOUND"}));
  EXPECT_EQ(d.state().size(), 2u);  // filtered groups are not even tracked
}

TEST(ChangeDetection, SeveralGroupsChangeIndependently) {
  Detector d;
  const auto ok = one_partition(Status::OK);
  const auto warn = one_partition(Status::WARN);
  const auto err = one_partition(Status::ERR);
  EXPECT_EQ(summary(d.poll({{"a", ok}, {"b", ok}, {"c", ok}})), Lines{});
  EXPECT_EQ(summary(d.poll({{"a", warn}, {"b", ok}, {"c", err}})), (Lines{"firing a WARN<-OK", "firing c ERR<-OK"}));
  EXPECT_EQ(summary(d.poll({{"a", warn}, {"b", err}, {"c", ok}})), (Lines{"firing b ERR<-OK", "resolved c OK<-ERR"}));
}

TEST(ChangeDetection, ClusterDownChangesNothing) {
  Detector d({Status::WARN, true, std::chrono::milliseconds(30'000)});
  EXPECT_EQ(summary(d.poll_status(Status::ERR)).size(), 1u);
  // Down for many polls: no resolved flood, no repeats, nothing forgotten.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(summary(d.poll({}, /*up=*/false)), Lines{}) << i;
  EXPECT_EQ(d.state().size(), 1u);
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{"resolved billing OK<-ERR"});
}

TEST(ChangeDetection, VanishedNotifiedGroupIsResolvedAfterThreePolls) {
  Detector d;
  EXPECT_EQ(summary(d.poll_status(Status::ERR)).size(), 1u);
  for (int i = 1; i < kVanishedPolls; ++i) EXPECT_EQ(summary(d.poll({})), Lines{}) << i;
  auto gone = d.poll({});
  EXPECT_EQ(summary(gone), Lines{"resolved billing NOTFOUND<-ERR"});
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_FALSE(gone[0].worst.has_value());
  EXPECT_EQ(gone[0].timestamp_ms, d.now());
  EXPECT_TRUE(d.state().empty());
  EXPECT_EQ(summary(d.poll({})), Lines{});
  // If it comes back failing, that is a new incident.
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{"firing billing ERR<-NOTFOUND"});
}

TEST(ChangeDetection, VanishedOkGroupIsForgottenSilently) {
  Detector d;
  d.poll_status(Status::OK);
  for (int i = 0; i < kVanishedPolls + 2; ++i) EXPECT_EQ(summary(d.poll({})), Lines{}) << i;
  EXPECT_TRUE(d.state().empty());
}

TEST(ChangeDetection, NotFoundForAPollIsUnknownNotResolved) {
  Detector d;
  EXPECT_EQ(summary(d.poll_status(Status::ERR)).size(), 1u);
  // A group whose offsets could not be read this poll is NOTFOUND (no partitions).
  EXPECT_EQ(summary(d.poll({{"billing", {}}})), Lines{});
  EXPECT_EQ(summary(d.poll({{"billing", {}}})), Lines{});
  EXPECT_EQ(summary(d.poll_status(Status::ERR)), Lines{});  // still the same incident
  EXPECT_EQ(summary(d.poll_status(Status::OK)), Lines{"resolved billing OK<-ERR"});
}

TEST(ChangeDetection, NotificationCarriesTheGroupsFacts) {
  Detector d;
  using P = testing::SyntheticPartition;
  auto ns = d.poll({{"billing",
                     {P{"orders", 0, Status::WARN, 900, 40.25}, P{"orders", 1, Status::OK, 0, 0},
                      P{"payments", 2, Status::STOP, 300, 95.5}, P{"payments", 0, Status::STALL, 300, 80}}}});
  ASSERT_EQ(ns.size(), 1u);
  const Notification& n = ns[0];
  EXPECT_EQ(n.cluster, "prod");
  EXPECT_EQ(n.group, "billing");
  EXPECT_EQ(n.event, Event::firing);
  EXPECT_FALSE(n.repeat);
  EXPECT_EQ(n.status, Status::ERR);
  EXPECT_EQ(n.total_lag, 1500);
  EXPECT_DOUBLE_EQ(n.max_lag_seconds, 95.5);
  EXPECT_EQ(n.partition_count, 4u);
  EXPECT_EQ(n.timestamp_ms, d.now());
  // Worst: an error status beats WARN even with less lag; among errors the highest lag, then
  // the first by topic and partition (payments/0 STALL and payments/2 STOP both have 300).
  ASSERT_TRUE(n.worst.has_value());
  EXPECT_EQ(n.worst->topic, "payments");
  EXPECT_EQ(n.worst->partition, 0);
  EXPECT_EQ(n.worst->status, Status::STALL);
  EXPECT_EQ(n.worst->lag, 300);
  EXPECT_DOUBLE_EQ(n.worst->lag_seconds, 80);
  // Not OK partitions, sorted by topic then partition.
  ASSERT_EQ(n.partitions_not_ok.size(), 3u);
  EXPECT_EQ(n.partitions_not_ok[0].topic, "orders");
  EXPECT_EQ(n.partitions_not_ok[0].status, Status::WARN);
  EXPECT_DOUBLE_EQ(n.partitions_not_ok[0].lag_seconds, 40.25);
  EXPECT_EQ(n.partitions_not_ok[1].partition, 0);
  EXPECT_EQ(n.partitions_not_ok[2].partition, 2);
  EXPECT_EQ(n.partitions_not_ok[2].status, Status::STOP);
}

TEST(ChangeDetection, WorstAmongEqualStatusesIsTheHighestLag) {
  Detector d;
  using P = testing::SyntheticPartition;
  auto ns =
      d.poll({{"g", {P{"a", 0, Status::WARN, 5, 1}, P{"a", 1, Status::WARN, 50, 2}, P{"b", 0, Status::OK, 500, 3}}}});
  ASSERT_EQ(ns.size(), 1u);
  ASSERT_TRUE(ns[0].worst.has_value());
  EXPECT_EQ(ns[0].worst->partition, 1);
  EXPECT_EQ(ns[0].worst->lag, 50);
}

TEST(ChangeDetection, ClustersHaveSeparateStates) {
  DetectionRules rules;
  config::NameFilter all;
  ClusterState prod;
  ClusterState staging;
  auto err = synthetic_view("prod", kT0, {{"billing", one_partition(Status::ERR)}});
  auto err2 = synthetic_view("staging", kT0, {{"billing", one_partition(Status::ERR)}});
  EXPECT_EQ(detect_changes(prod, *err, rules, all).size(), 1u);
  EXPECT_EQ(detect_changes(staging, *err2, rules, all).size(), 1u);
  EXPECT_EQ(detect_changes(prod, *err, rules, all).size(), 0u);
}

}  // namespace
}  // namespace lagwatch::notify
