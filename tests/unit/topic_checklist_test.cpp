#include "model/topic_checklist.hpp"

#include <gtest/gtest.h>

namespace lagwatch::model {
namespace {

Topic topic_with_rf(std::vector<int> replica_counts) {
  Topic t;
  t.name = "orders";
  int32_t id = 0;
  for (int n : replica_counts) {
    Partition p;
    p.id = id++;
    for (int r = 1; r <= n; ++r) p.replicas.push_back(r);
    t.partitions.push_back(p);
  }
  return t;
}

bool violated(const std::vector<ChecklistResult>& results, const std::string& rule) {
  for (const auto& r : results) {
    if (r.rule == rule) return r.violated;
  }
  ADD_FAILURE() << "rule " << rule << " not judged";
  return false;
}

TopicConfig min_isr(int n) {
  TopicConfig c;
  c.min_insync_replicas = n;
  return c;
}

TEST(TopicChecklist, HealthyTopicPassesEveryRule) {
  auto r = topic_checklist(topic_with_rf({3, 3}), min_isr(2));
  ASSERT_EQ(r.size(), 3u);
  for (const auto& x : r) EXPECT_FALSE(x.violated) << x.rule;
}

TEST(TopicChecklist, TheWeakestPartitionSetsTheReplicationFactor) {
  // A reassignment left one partition with 2 replicas: the topic is as weak as that one.
  auto t = topic_with_rf({3, 2, 3});
  EXPECT_EQ(replication_factor(t), 2);
  EXPECT_TRUE(violated(topic_checklist(t, std::nullopt), "replication_factor_below_3"));
}

TEST(TopicChecklist, MinIsrBelowTwo) {
  EXPECT_TRUE(violated(topic_checklist(topic_with_rf({3}), min_isr(1)), "min_insync_below_2"));
}

TEST(TopicChecklist, MinIsrEqualToRfCannotLoseABroker) {
  auto r = topic_checklist(topic_with_rf({3}), min_isr(3));
  EXPECT_TRUE(violated(r, "min_insync_not_below_rf"));
  EXPECT_FALSE(violated(r, "min_insync_below_2"));
  EXPECT_FALSE(violated(topic_checklist(topic_with_rf({3}), min_isr(2)), "min_insync_not_below_rf"));
}

TEST(TopicChecklist, RulesNeedingConfigsAreNotJudgedWithoutThem) {
  auto r = topic_checklist(topic_with_rf({1}), std::nullopt);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].rule, "replication_factor_below_3");
  EXPECT_TRUE(r[0].violated);
}

}  // namespace
}  // namespace lagwatch::model
