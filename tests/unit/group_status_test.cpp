#include "evaluate/group_status.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "evaluate/status.hpp"

namespace lagwatch::evaluate {
namespace {

// An evaluated partition with the given status and lag; complete unless told otherwise.
PartitionResult part(std::string topic, int32_t partition, Status status, int64_t lag, bool complete = true) {
  PartitionResult r;
  r.topic = std::move(topic);
  r.partition = partition;
  r.verdict.status = status;
  r.verdict.rule = "test";
  r.verdict.complete = complete;
  r.verdict.completeness = complete ? 1.0 : 0.5;
  r.current_lag = lag;
  return r;
}

// ---- status names and numbers ---------------------------------------------------------------

TEST(EvaluateStatus, NumbersAreBurrows) {
  // burrow_kafka_* metrics expose these values: they must never change.
  EXPECT_EQ(status_code(Status::NOTFOUND), 0);
  EXPECT_EQ(status_code(Status::OK), 1);
  EXPECT_EQ(status_code(Status::WARN), 2);
  EXPECT_EQ(status_code(Status::ERR), 3);
  EXPECT_EQ(status_code(Status::STOP), 4);
  EXPECT_EQ(status_code(Status::STALL), 5);
  EXPECT_EQ(status_code(Status::REWIND), 6);
}

TEST(EvaluateStatus, NamesRoundTrip) {
  const std::vector<std::string> names = {"NOTFOUND", "OK", "WARN", "ERR", "STOP", "STALL", "REWIND"};
  for (int v = 0; v <= 6; ++v) {
    const auto s = static_cast<Status>(v);
    EXPECT_EQ(status_name(s), names[static_cast<size_t>(v)]);
    EXPECT_EQ(status_from_name(status_name(s)), s);
  }
  EXPECT_STREQ(status_name(static_cast<Status>(42)), "UNKNOWN");
}

TEST(EvaluateStatus, FromNameIsCaseInsensitiveWithLongAliases) {
  EXPECT_EQ(status_from_name("warn"), Status::WARN);
  EXPECT_EQ(status_from_name("Stall"), Status::STALL);
  EXPECT_EQ(status_from_name("WARNING"), Status::WARN);
  EXPECT_EQ(status_from_name("error"), Status::ERR);
  EXPECT_EQ(status_from_name(""), std::nullopt);
  EXPECT_EQ(status_from_name("UNKNOWN"), std::nullopt);
  EXPECT_EQ(status_from_name("OK "), std::nullopt);
  EXPECT_EQ(status_from_name("STOPPED"), std::nullopt);
}

TEST(EvaluateStatus, ErrorStatuses) {
  EXPECT_TRUE(is_error(Status::STOP));
  EXPECT_TRUE(is_error(Status::STALL));
  EXPECT_TRUE(is_error(Status::REWIND));
  EXPECT_FALSE(is_error(Status::WARN));
  EXPECT_FALSE(is_error(Status::ERR));  // a group status, not a partition one
  EXPECT_FALSE(is_error(Status::OK));
}

// ---- group status ---------------------------------------------------------------------------

TEST(GroupStatus, NoPartitionsIsNotFound) {
  // A group without evaluated partitions is unknown to us: NOTFOUND, and nothing to total.
  const auto g = evaluate_group({});
  EXPECT_EQ(g.status, Status::NOTFOUND);
  EXPECT_EQ(g.partition_count, 0u);
  EXPECT_EQ(g.total_lag, 0);
  EXPECT_FALSE(g.max_lag.has_value());
  EXPECT_DOUBLE_EQ(g.completeness, 0.0);
  EXPECT_FALSE(g.complete);
  EXPECT_TRUE(g.lag_per_topic.empty());
  EXPECT_TRUE(g.partitions.empty());
}

TEST(GroupStatus, AllOkIsOk) {
  const auto g = evaluate_group({part("a", 0, Status::OK, 0), part("a", 1, Status::OK, 3)});
  EXPECT_EQ(g.status, Status::OK);
  EXPECT_TRUE(g.complete);
  EXPECT_DOUBLE_EQ(g.completeness, 1.0);
}

TEST(GroupStatus, AnyWarnIsWarn) {
  const auto g =
      evaluate_group({part("a", 0, Status::OK, 0), part("a", 1, Status::WARN, 30), part("b", 0, Status::OK, 1)});
  EXPECT_EQ(g.status, Status::WARN);
}

TEST(GroupStatus, StallStopAndRewindAreErr) {
  // STOP, STALL and REWIND are all reported as the group status ERR (Burrow caps at ERR).
  for (Status s : {Status::STOP, Status::STALL, Status::REWIND}) {
    const auto g = evaluate_group({part("a", 0, Status::OK, 0), part("a", 1, s, 30)});
    EXPECT_EQ(g.status, Status::ERR) << status_name(s);
  }
}

TEST(GroupStatus, ErrBeatsWarnInAnyOrder) {
  EXPECT_EQ(evaluate_group({part("a", 0, Status::STALL, 1), part("a", 1, Status::WARN, 1)}).status, Status::ERR);
  EXPECT_EQ(evaluate_group({part("a", 0, Status::WARN, 1), part("a", 1, Status::STALL, 1)}).status, Status::ERR);
}

TEST(GroupStatus, CompletenessIsTheShareOfFullWindows) {
  // 3 of 4 partitions have a full window: 0.75, and the group is not complete.
  const auto g = evaluate_group({part("a", 0, Status::OK, 0), part("a", 1, Status::OK, 0, false),
                                 part("a", 2, Status::OK, 0), part("a", 3, Status::OK, 0)});
  EXPECT_DOUBLE_EQ(g.completeness, 0.75);
  EXPECT_FALSE(g.complete);
}

TEST(GroupStatus, MaxLagPartition) {
  const auto g =
      evaluate_group({part("a", 0, Status::OK, 10), part("b", 2, Status::WARN, 900), part("a", 1, Status::OK, 50)});
  ASSERT_TRUE(g.max_lag.has_value());
  EXPECT_EQ(g.max_lag->topic, "b");
  EXPECT_EQ(g.max_lag->partition, 2);
  EXPECT_EQ(g.max_lag->current_lag, 900);
  EXPECT_EQ(g.max_lag->verdict.status, Status::WARN);
}

TEST(GroupStatus, MaxLagTieGoesToFirstTopicPartition) {
  // Same lag on b/0 and a/3: the first in (topic, partition) order, a/3, whatever the input order.
  const auto g =
      evaluate_group({part("b", 0, Status::OK, 7), part("a", 3, Status::OK, 7), part("a", 1, Status::OK, 2)});
  EXPECT_EQ(g.max_lag->topic, "a");
  EXPECT_EQ(g.max_lag->partition, 3);
  // All lags zero: there is still a max-lag partition (as Burrow reports it).
  const auto z = evaluate_group({part("x", 1, Status::OK, 0), part("x", 0, Status::OK, 0)});
  ASSERT_TRUE(z.max_lag.has_value());
  EXPECT_EQ(z.max_lag->partition, 0);
}

TEST(GroupStatus, TotalsPerTopicAndPartitionCount) {
  const auto g = evaluate_group({part("orders", 0, Status::OK, 100), part("orders", 1, Status::OK, 250),
                                 part("payments", 0, Status::OK, 0), part("audit", 4, Status::OK, 7),
                                 part("audit", 2, Status::OK, -3)});  // negative lag counts as 0
  EXPECT_EQ(g.partition_count, 5u);
  EXPECT_EQ(g.total_lag, 357);
  const std::map<std::string, int64_t> expected = {{"audit", 7}, {"orders", 350}, {"payments", 0}};
  EXPECT_EQ(g.lag_per_topic, expected);
}

TEST(GroupStatus, PartitionsAreSortedByTopicThenPartition) {
  const auto g =
      evaluate_group({part("b", 1, Status::OK, 0), part("a", 10, Status::OK, 0), part("a", 2, Status::OK, 0)});
  ASSERT_EQ(g.partitions.size(), 3u);
  EXPECT_EQ(g.partitions[0].topic + "/" + std::to_string(g.partitions[0].partition), "a/2");
  EXPECT_EQ(g.partitions[1].topic + "/" + std::to_string(g.partitions[1].partition), "a/10");
  EXPECT_EQ(g.partitions[2].topic + "/" + std::to_string(g.partitions[2].partition), "b/1");
}

TEST(GroupStatus, TotalLagSaturates) {
  const int64_t big = std::numeric_limits<int64_t>::max() - 1;
  const auto g = evaluate_group({part("a", 0, Status::OK, big), part("a", 1, Status::OK, big)});
  EXPECT_EQ(g.total_lag, std::numeric_limits<int64_t>::max());
}

TEST(GroupStatus, EvaluatePartitionResultFillsStartEndAndLag) {
  PartitionInput in;
  for (int64_t i = 0; i < 10; ++i) in.window.push_back({1000, i * 60000, 400});  // stuck: STALL
  in.current_lag = 400;
  in.now_ms = 560000;
  const auto r = evaluate_partition_result("orders", 3, in);
  EXPECT_EQ(r.topic, "orders");
  EXPECT_EQ(r.partition, 3);
  EXPECT_EQ(r.current_lag, 400);
  EXPECT_EQ(r.verdict.status, Status::STALL);
  ASSERT_TRUE(r.start && r.end);
  EXPECT_EQ(*r.start, in.window.front());
  EXPECT_EQ(*r.end, in.window.back());
  // Fed into a group with a healthy partition: the group is ERR.
  PartitionInput healthy;
  healthy.current_lag = 0;
  const auto h = evaluate_partition_result("orders", 0, healthy);
  EXPECT_FALSE(h.start.has_value());
  EXPECT_EQ(evaluate_group({h, r}).status, Status::ERR);
}

}  // namespace
}  // namespace lagwatch::evaluate
