#include "store/offset_history.hpp"

#include <gtest/gtest.h>

namespace lagwatch::store {
namespace {

TEST(OffsetHistory, InterpolatesTheAppendTimeBetweenTwoPolls) {
  OffsetHistory h;
  h.add(10'000, 100);
  h.add(20'000, 200);  // 100 records in 10 s: one every 100 ms
  // Record 149 took the end offset from 149 to 150: half way, at 15 s.
  auto t = h.append_time(149);
  ASSERT_TRUE(t);
  EXPECT_DOUBLE_EQ(t->time_ms, 15'000);
  EXPECT_FALSE(t->before_history);
  // Record 100 was the first appended after the first poll: at 10.1 s.
  EXPECT_DOUBLE_EQ(h.append_time(100)->time_ms, 10'100);
}

TEST(OffsetHistory, NothingWaitingMeansNoAppendTime) {
  OffsetHistory h;
  EXPECT_FALSE(h.append_time(0));  // empty history
  h.add(1'000, 50);
  EXPECT_FALSE(h.append_time(50));  // consumer at the end offset
  EXPECT_FALSE(h.append_time(70));  // or past it (commit raced the end-offset read)
}

TEST(OffsetHistory, OffsetsOlderThanTheHistoryAreALowerBound) {
  OffsetHistory h;
  h.add(5'000, 100);
  h.add(6'000, 110);
  auto t = h.append_time(40);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->before_history);
  EXPECT_DOUBLE_EQ(t->time_ms, 5'000);
}

TEST(OffsetHistory, IdleStretchKeepsItsFirstAndLastPoint) {
  OffsetHistory h;
  h.add(0, 10);
  h.add(1'000, 50);
  for (int i = 2; i <= 100; ++i) h.add(i * 1'000, 50);  // idle for 99 s
  ASSERT_EQ(h.points().size(), 3u);
  EXPECT_EQ(h.points()[1].time_ms, 1'000);
  EXPECT_EQ(h.points()[2].time_ms, 100'000);
  h.add(101'000, 60);
  // Record 50 was appended after the idle stretch, between 100 s and 101 s: not at 1 s.
  EXPECT_DOUBLE_EQ(h.append_time(50)->time_ms, 100'100);
}

TEST(OffsetHistory, ThinningKeepsTheSpanAndTheRecentResolution) {
  OffsetHistory h(16);
  for (int i = 0; i < 1000; ++i) h.add(i * 1'000, i * 10);
  EXPECT_LE(h.points().size(), 16u);
  EXPECT_EQ(h.points().front().time_ms, 0);  // the span survives
  EXPECT_EQ(h.points().back().time_ms, 999'000);
  // Newest points stay one poll apart.
  auto n = h.points().size();
  EXPECT_EQ(h.points()[n - 1].time_ms - h.points()[n - 2].time_ms, 1'000);
  // Steady rate: interpolation is still exact in the thinned part.
  EXPECT_NEAR(h.append_time(1'234)->time_ms, 123'500, 1e-6);
}

TEST(OffsetHistory, EndOffsetGoingBackwardsStartsAnewHistory) {
  OffsetHistory h;
  h.add(0, 1'000);
  h.add(1'000, 2'000);
  h.add(2'000, 5);  // topic re-created
  ASSERT_EQ(h.points().size(), 1u);
  EXPECT_EQ(h.points()[0].log_end_offset, 5);
}

TEST(OffsetHistory, ClockSteppingBackIsIgnored) {
  OffsetHistory h;
  h.add(10'000, 1);
  h.add(9'000, 2);
  ASSERT_EQ(h.points().size(), 1u);
}

TEST(LagSeconds, IsZeroWhenCaughtUpAndNeverNegative) {
  OffsetHistory h;
  h.add(0, 0);
  h.add(10'000, 100);
  EXPECT_EQ(lag_seconds(h, 100, 20'000).seconds, 0);
  EXPECT_EQ(lag_seconds(h, 150, 20'000).seconds, 0);
  // now earlier than the estimate (clock skew): clamped at 0, not negative.
  EXPECT_EQ(lag_seconds(h, 50, 1'000).seconds, 0);
  auto s = lag_seconds(h, 49, 20'000);  // record 49 appended at 5 s
  EXPECT_DOUBLE_EQ(s.seconds, 15.0);
  EXPECT_FALSE(s.lower_bound);
}

TEST(LagSeconds, EmptyHistoryGivesZeroNotNaN) {
  OffsetHistory h;
  auto s = lag_seconds(h, 10, 1'000);
  EXPECT_EQ(s.seconds, 0);
}

}  // namespace
}  // namespace lagwatch::store
