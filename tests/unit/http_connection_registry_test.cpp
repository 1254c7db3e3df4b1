#include <gtest/gtest.h>

#include "http/connection_registry.hpp"

namespace lagwatch::http {
namespace {

using S = ConnectionState;

TEST(HttpConnectionRegistry, CountsAgainstTheCap) {
  ConnectionRegistry r(2);
  EXPECT_TRUE(r.has_room());
  const auto a = r.add({});
  r.add({});
  EXPECT_FALSE(r.has_room());
  EXPECT_EQ(r.open(), 2u);
  r.remove(a);
  EXPECT_TRUE(r.has_room());
  r.remove(a);  // twice is harmless
  EXPECT_EQ(r.open(), 1u);
}

TEST(HttpConnectionRegistry, VictimOrderIdleThenClosingThenHeadThenBodyNeverBusy) {
  ConnectionRegistry r(10);
  const auto busy = r.add({});
  const auto body = r.add({});
  const auto head_old = r.add({});
  const auto head_young = r.add({});
  const auto closing = r.add({});
  const auto idle_old = r.add({});
  const auto idle_young = r.add({});
  ASSERT_TRUE(r.set_state(busy, S::kBusy));
  ASSERT_TRUE(r.set_state(body, S::kReadingBody));
  ASSERT_TRUE(r.set_state(closing, S::kClosing));
  ASSERT_TRUE(r.set_state(idle_old, S::kIdle));
  ASSERT_TRUE(r.set_state(idle_young, S::kIdle));
  (void)head_old;
  (void)head_young;
  const S expected[] = {S::kIdle, S::kIdle, S::kClosing, S::kReadingHead, S::kReadingHead, S::kReadingBody};
  for (S s : expected) {
    const auto v = r.choose_victim();
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->state, s);
  }
  EXPECT_FALSE(r.choose_victim().has_value());  // only the busy one is left
  EXPECT_EQ(r.open(), 1u);
}

TEST(HttpConnectionRegistry, OldestInTheStateGoesFirstAndReenteringMakesItYoung) {
  ConnectionRegistry r(10);
  const auto a = r.add({});
  const auto b = r.add({});
  r.set_state(a, S::kIdle);
  r.set_state(b, S::kIdle);
  r.set_state(a, S::kBusy);
  r.set_state(a, S::kIdle);  // served a request: now the newest idle one
  EXPECT_EQ(r.choose_victim()->state, S::kIdle);
  EXPECT_FALSE(r.set_state(b, S::kReadingHead));  // b was the victim
  EXPECT_TRUE(r.set_state(a, S::kReadingHead));
}

TEST(HttpConnectionRegistry, AVictimNoLongerCountsAndCannotCarryOn) {
  ConnectionRegistry r(1);
  const auto a = r.add({});
  EXPECT_FALSE(r.has_room());
  ASSERT_TRUE(r.choose_victim().has_value());
  EXPECT_TRUE(r.has_room());
  EXPECT_FALSE(r.set_state(a, S::kBusy));
  r.remove(a);
  EXPECT_EQ(r.open(), 0u);
  EXPECT_EQ(r.in_state(S::kReadingHead), 0u);
}

}  // namespace
}  // namespace lagwatch::http
