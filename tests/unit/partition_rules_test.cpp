#include "evaluate/partition_rules.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace lagwatch::evaluate {
namespace {

constexpr std::nullopt_t kUnknown = std::nullopt;

// One observation; time in seconds to keep the windows readable.
Observation at(int64_t offset, int64_t t_s, std::optional<int64_t> lag) { return {offset, t_s * 1000, lag}; }

PartitionInput input(std::vector<Observation> window, int64_t current_lag, int64_t now_s) {
  PartitionInput in;
  in.window = std::move(window);
  in.current_lag = current_lag;
  in.now_ms = now_s * 1000;
  return in;
}

// Ten observations, one a minute from t=0 to t=540s (the window spans 540s), the offset
// advancing by 100 each time and the lag growing by 10: a slow consumer. Tests edit a copy.
std::vector<Observation> slow_consumer() {
  std::vector<Observation> w;
  for (int64_t i = 0; i < 10; ++i) w.push_back(at(1000 + 100 * i, 60 * i, 500 + 10 * i));
  return w;
}

// Ten observations of an offset that never moves, lag 400 throughout.
std::vector<Observation> stuck_consumer() {
  std::vector<Observation> w;
  for (int64_t i = 0; i < 10; ++i) w.push_back(at(1000, 60 * i, 400));
  return w;
}

const RuleCheck& check(const PartitionEvaluation& e, std::string_view rule) {
  for (const auto& c : e.checks) {
    if (c.rule == rule) return c;
  }
  throw std::runtime_error("no check " + std::string(rule));
}

// ---- rule 1: lag within allowed -------------------------------------------------------------

TEST(PartitionRules, CurrentLagZeroIsOkWhateverTheWindowSays) {
  // The window is stuck with lag 400 everywhere (STALL material), but the consumer has
  // caught up since: current lag 0 is not above allowed lag 0, and rule 1 ends it.
  const auto v = evaluate_partition(input(stuck_consumer(), 0, 560));
  EXPECT_EQ(v.status, Status::OK);
  EXPECT_EQ(v.rule, "lag-within-allowed");
  EXPECT_EQ(v.explanation, "The current lag 0 is within the allowed lag 0.");
}

TEST(PartitionRules, LagWithinAllowedBeatsStop) {
  // Silent for 10000s against a 540s span (STOP material), but current lag 0: rule 1 comes first.
  const auto v = evaluate_partition(input(slow_consumer(), 0, 10540));
  EXPECT_EQ(v.status, Status::OK);
  EXPECT_EQ(v.rule, "lag-within-allowed");
}

TEST(PartitionRules, AllowedLagIsInclusiveThreshold) {
  // Stuck window, lag 400 throughout. Current lag 100 with allowed 100 is "not above": OK.
  auto in = input(stuck_consumer(), 100, 560);
  in.allowed_lag = 100;
  EXPECT_EQ(evaluate_partition(in).rule, "lag-within-allowed");
  // 101 is above it, so the rules go on and find the stuck offset: STALL.
  in.current_lag = 101;
  EXPECT_EQ(evaluate_partition(in).status, Status::STALL);
}

TEST(PartitionRules, AllowedLagAppliesToWindowLagsToo) {
  // Stuck offset; the lags 400 are all above allowed 300 except one of 250. With allowed 300
  // that observation counts as caught up, so rule 5 says OK instead of STALL.
  auto w = stuck_consumer();
  w[4].lag = 250;
  auto in = input(w, 400, 560);
  EXPECT_EQ(evaluate_partition(in).status, Status::STALL);  // allowed 0: 250 is lag
  in.allowed_lag = 300;
  const auto v = evaluate_partition(in);
  EXPECT_EQ(v.status, Status::OK);
  EXPECT_EQ(v.rule, "caught-up-in-window");
}

TEST(PartitionRules, NegativeAllowedLagMeansZero) {
  auto in = input(stuck_consumer(), 0, 560);
  in.allowed_lag = -5;
  EXPECT_EQ(evaluate_partition(in).rule, "lag-within-allowed");
}

// ---- rule 2: stopped ------------------------------------------------------------------------

TEST(PartitionRules, StopWhenSilentLongerThanTheWindowSpans) {
  // Last observation at 540s, window spans 540s. At now=1081s the silence is 541s > 540s: STOP.
  const auto v = evaluate_partition(input(slow_consumer(), 700, 1081));
  EXPECT_EQ(v.status, Status::STOP);
  EXPECT_EQ(v.rule, "stopped");
  EXPECT_NE(v.explanation.find("541s ago"), std::string::npos) << v.explanation;
  EXPECT_NE(v.explanation.find("540s the window spans"), std::string::npos) << v.explanation;
}

TEST(PartitionRules, SilenceEqualToSpanIsNotStop) {
  // now=1080s: silence 540s is not greater than the 540s span. The slow consumer's lag never
  // went down, so it ends as WARN instead.
  const auto e = explain_partition(input(slow_consumer(), 700, 1080));
  EXPECT_FALSE(check(e, "stopped").matched);
  EXPECT_EQ(e.verdict.status, Status::WARN);
}

TEST(PartitionRules, StopEvenIfLagWasZeroInTheWindow) {
  // The window starts caught up (lag 0), which would make the window OK by rule 5, but the
  // consumer has been silent for 600s > 540s: STOP is judged before the caught-up test.
  auto w = slow_consumer();
  w[0].lag = 0;
  const auto v = evaluate_partition(input(w, 700, 1140));
  EXPECT_EQ(v.status, Status::STOP);
}

TEST(PartitionRules, BrokerOffsetsShowingCaughtUpSuppressStop) {
  // Silent for 600s > 540s, but the broker's recent end offsets start at 1900 and the last
  // committed offset is 1900: the consumer was at the end of the log within the recent
  // broker history, so it is not STOP (just idle). The rules go on: lag never went down: WARN.
  auto in = input(slow_consumer(), 700, 1140);
  in.broker_offsets = {1900, 2300, 2600};
  const auto e = explain_partition(in);
  EXPECT_FALSE(check(e, "stopped").matched);
  EXPECT_NE(check(e, "stopped").detail.find("caught up recently"), std::string::npos);
  EXPECT_EQ(e.verdict.status, Status::WARN);
}

TEST(PartitionRules, BrokerOffsetsAheadOfTheConsumerDoNotSuppressStop) {
  // The lowest recent end offset 1950 is 50 past the last commit 1900: never caught up. STOP.
  auto in = input(slow_consumer(), 700, 1140);
  in.broker_offsets = {1950, 2300};
  const auto v = evaluate_partition(in);
  EXPECT_EQ(v.status, Status::STOP);
  EXPECT_NE(v.explanation.find("1900 is 50 behind the lowest recent broker end offset 1950"), std::string::npos)
      << v.explanation;
  // With allowed lag 50, being 50 behind counts as caught up: no STOP (WARN, as above).
  in.allowed_lag = 50;
  EXPECT_EQ(evaluate_partition(in).status, Status::WARN);
}

TEST(PartitionRules, LowestBrokerOffsetCountsEvenIfNotFirst) {
  // The caught-up test uses the lowest recent end offset, whatever its position.
  auto in = input(slow_consumer(), 700, 1140);
  in.broker_offsets = {2300, 1900};
  EXPECT_EQ(evaluate_partition(in).status, Status::WARN);
}

TEST(PartitionRules, StopBeatsRewind) {
  // The offset went back from 1900 to 200 (REWIND material) and the consumer then went silent
  // for 600s > 540s. STOP is judged first; the rewind check still reports what it saw.
  auto w = slow_consumer();
  w[9].offset = 200;
  const auto e = explain_partition(input(w, 2000, 1140));
  EXPECT_EQ(e.verdict.status, Status::STOP);
  EXPECT_TRUE(check(e, "rewind").matched);
  EXPECT_FALSE(check(e, "rewind").decided);
}

TEST(PartitionRules, EqualTimestampsSpanNothing) {
  // All ten observations carry the same time, so the window spans 0s: at that same time the
  // silence is 0 (not > 0, not STOP); one millisecond later it is STOP.
  std::vector<Observation> w;
  for (int64_t i = 0; i < 10; ++i) w.push_back(at(1000 + i, 300, 50));
  auto in = input(w, 50, 300);
  EXPECT_NE(evaluate_partition(in).status, Status::STOP);
  in.now_ms += 1;
  EXPECT_EQ(evaluate_partition(in).status, Status::STOP);
}

// ---- rule 3: incomplete window --------------------------------------------------------------

TEST(PartitionRules, IncompleteWindowJudgesNothingButStop) {
  // 3 of 10 observations (30%) below the default minimum 50%, offset stuck with lag: STALL
  // material, but three points are too few to call it: OK, reported incomplete.
  const std::vector<Observation> w = {at(1000, 0, 400), at(1000, 60, 400), at(1000, 120, 400)};
  const auto v = evaluate_partition(input(w, 400, 130));
  EXPECT_EQ(v.status, Status::OK);
  EXPECT_EQ(v.rule, "window-incomplete");
  EXPECT_FALSE(v.complete);
  EXPECT_DOUBLE_EQ(v.completeness, 0.3);
}

TEST(PartitionRules, LowerMinCompletenessJudgesShortWindows) {
  // Same three points with min_completeness 0.3: 30% is enough, so the stall is reported.
  const std::vector<Observation> w = {at(1000, 0, 400), at(1000, 60, 400), at(1000, 120, 400)};
  auto in = input(w, 400, 130);
  in.min_completeness = 0.3;
  const auto v = evaluate_partition(in);
  EXPECT_EQ(v.status, Status::STALL);
  EXPECT_FALSE(v.complete);  // still not a full window
}

TEST(PartitionRules, IncompleteWindowStopsWhenSilentLongerThanAFullWindowWould) {
  // 3 of 10 observations a minute apart span 120s; a full window at that pace spans 9 minutes
  // (540s). A consumer that died before filling its window is STOP once silent for longer.
  const std::vector<Observation> w = {at(1000, 0, 400), at(1100, 60, 450), at(1200, 120, 500)};
  auto in = input(w, 600, 120 + 540);
  EXPECT_EQ(evaluate_partition(in).rule, "window-incomplete");  // 540s: not longer
  in.now_ms += 1000;
  const auto v = evaluate_partition(in);
  EXPECT_EQ(v.status, Status::STOP);
  EXPECT_NE(v.explanation.find("541s ago, longer than the 540s a full window of 10 would span"), std::string::npos)
      << v.explanation;
}

TEST(PartitionRules, SingleObservationWithDefaultsIsIncomplete) {
  // One observation: 10% of a window. Nothing can be judged, not even STOP (no pace known).
  const auto v = evaluate_partition(input({at(1000, 0, 400)}, 400, 100000));
  EXPECT_EQ(v.status, Status::OK);
  EXPECT_EQ(v.rule, "window-incomplete");
  EXPECT_DOUBLE_EQ(v.completeness, 0.1);
}

TEST(PartitionRules, SingleObservationInAWindowOfOne) {
  // window_size 1 makes one observation a complete window spanning 0s. At its own time it is
  // neither stopped (0 > 0 is false) nor stalled (one point shows no stall) nor WARN (one lag
  // shows no trend): OK by the last rule. Any time later it is STOP, as in Burrow.
  auto in = input({at(1000, 0, 400)}, 400, 0);
  in.window_size = 1;
  auto v = evaluate_partition(in);
  EXPECT_TRUE(v.complete);
  EXPECT_EQ(v.rule, "ok");
  in.now_ms = 1;
  EXPECT_EQ(evaluate_partition(in).status, Status::STOP);
}

TEST(PartitionRules, EmptyWindow) {
  // No observations: with lag, nothing to judge (incomplete); without lag, rule 1.
  auto v = evaluate_partition(input({}, 5, 100));
  EXPECT_EQ(v.status, Status::OK);
  EXPECT_EQ(v.rule, "window-incomplete");
  EXPECT_DOUBLE_EQ(v.completeness, 0.0);
  EXPECT_FALSE(v.complete);
  EXPECT_EQ(evaluate_partition(input({}, 0, 100)).rule, "lag-within-allowed");
}

TEST(PartitionRules, CompletenessIsCappedAndWindowSizeZeroCountsAsOne) {
  auto w = slow_consumer();
  w.push_back(at(2000, 600, 600));  // 11 observations in a window of 10
  auto v = evaluate_partition(input(w, 700, 610));
  EXPECT_DOUBLE_EQ(v.completeness, 1.0);
  EXPECT_TRUE(v.complete);
  auto in = input({at(1000, 0, 1)}, 1, 0);
  in.window_size = 0;
  v = evaluate_partition(in);
  EXPECT_DOUBLE_EQ(v.completeness, 1.0);
  EXPECT_TRUE(v.complete);
}

TEST(PartitionRules, MinCompletenessOutOfRangeIsClamped) {
  const std::vector<Observation> w = {at(1000, 0, 400), at(1000, 60, 400), at(1000, 120, 400)};
  auto in = input(w, 400, 130);
  in.min_completeness = -1;  // like 0: judge anything
  EXPECT_EQ(evaluate_partition(in).status, Status::STALL);
  in.min_completeness = std::nan("");  // like 0 as well
  EXPECT_EQ(evaluate_partition(in).status, Status::STALL);
  in.min_completeness = 7;  // like 1: only full windows
  EXPECT_EQ(evaluate_partition(in).rule, "window-incomplete");
}

// ---- rule 4: rewind -------------------------------------------------------------------------

TEST(PartitionRules, RewindWhileBelowTheEarlierHigh) {
  // The offset climbs to 1700, drops to 300 and is at 500 now, still below 1700: REWIND.
  auto w = slow_consumer();
  w[7].offset = 300;
  w[8].offset = 400;
  w[9].offset = 500;
  const auto v = evaluate_partition(input(w, 2000, 560));
  EXPECT_EQ(v.status, Status::REWIND);
  EXPECT_EQ(v.explanation, "The committed offset went back from 1600 to 300 and is at 500, still below 1600.");
}

TEST(PartitionRules, RewindThatCameBackIsOver) {
  // Dropped from 1400 to 300 at the 6th observation but is at 1900 now, past 1400: the
  // re-consumed stretch is done, so no REWIND; the lag never went down: WARN.
  auto w = slow_consumer();
  w[5].offset = 300;
  const auto e = explain_partition(input(w, 700, 560));
  EXPECT_FALSE(check(e, "rewind").matched);
  EXPECT_NE(check(e, "rewind").detail.find("went back from 1400 to 300 but has come back to 1900"), std::string::npos)
      << check(e, "rewind").detail;
  EXPECT_EQ(e.verdict.status, Status::WARN);
}

TEST(PartitionRules, RewindEvenIfTheLagWasZeroBefore) {
  // The consumer was caught up (lag 0) and then its offset was reset back to 100: lag jumped.
  // Burrow would call this OK (lag was zero in the window); the reset is exactly what REWIND
  // is for, so REWIND is judged before the caught-up test.
  std::vector<Observation> w;
  for (int64_t i = 0; i < 8; ++i) w.push_back(at(1000 + 10 * i, 60 * i, 0));
  w.push_back(at(100, 480, 990));
  w.push_back(at(150, 540, 950));
  const auto v = evaluate_partition(input(w, 950, 560));
  EXPECT_EQ(v.status, Status::REWIND);
}

TEST(PartitionRules, RewindBeatsStall) {
  // Offset 1000 for nine observations, then 900: went back and is below 1000. The offsets
  // are not all equal anyway, but REWIND comes before STALL in any case.
  auto w = stuck_consumer();
  w[9].offset = 900;
  EXPECT_EQ(evaluate_partition(input(w, 500, 560)).status, Status::REWIND);
}

// ---- rule 5: caught up somewhere in the window ----------------------------------------------

TEST(PartitionRules, LagZeroInTheWindowIsOk) {
  // Stuck offset with lag 400, except the 3rd observation had lag 0: the consumer was at the
  // end of the log within the window, so it is not judged stalled or slow: OK.
  auto w = stuck_consumer();
  w[2].lag = 0;
  const auto v = evaluate_partition(input(w, 400, 560));
  EXPECT_EQ(v.status, Status::OK);
  EXPECT_EQ(v.rule, "caught-up-in-window");
  EXPECT_NE(v.explanation.find("at 1 of 10 observations"), std::string::npos) << v.explanation;
}

TEST(PartitionRules, UnknownLagsDoNotCountAsCaughtUp) {
  // Stuck offset; half the lags unknown, the rest 400. Unknown is not zero, so the window is
  // lagging throughout: STALL.
  auto w = stuck_consumer();
  for (size_t i = 0; i < w.size(); i += 2) w[i].lag = kUnknown;
  const auto e = explain_partition(input(w, 400, 560));
  EXPECT_EQ(e.verdict.status, Status::STALL);
  EXPECT_NE(check(e, "caught-up-in-window").detail.find("5 with an unknown lag do not count"), std::string::npos);
}

TEST(PartitionRules, AllLagsUnknownStillStalls) {
  // No lag known at all: the stuck offset plus a current lag of 400 is enough for STALL.
  auto w = stuck_consumer();
  for (auto& o : w) o.lag = kUnknown;
  EXPECT_EQ(evaluate_partition(input(w, 400, 560)).status, Status::STALL);
}

// ---- rule 6: stalled ------------------------------------------------------------------------

TEST(PartitionRules, StalledWhenTheOffsetNeverMoves) {
  // Ten commits of offset 1000 over 540s, lag 400 each time, still lagging now: STALL.
  const auto v = evaluate_partition(input(stuck_consumer(), 400, 560));
  EXPECT_EQ(v.status, Status::STALL);
  EXPECT_EQ(v.rule, "stalled");
  EXPECT_EQ(v.explanation,
            "The current lag 400 is above the allowed lag 0 and the committed offset stayed at 1000 in all 10 "
            "observations over 540s: the consumer commits without progressing.");
}

TEST(PartitionRules, StallBeatsWarn) {
  // A stuck offset with growing lag is both "not moving" and "lag not decreasing"; STALL wins.
  auto w = stuck_consumer();
  for (size_t i = 0; i < w.size(); ++i) w[i].lag = 400 + static_cast<int64_t>(i);
  const auto e = explain_partition(input(w, 410, 560));
  EXPECT_EQ(e.verdict.status, Status::STALL);
  EXPECT_TRUE(check(e, "lag-not-decreasing").matched);
}

// ---- rule 7: lag not decreasing -------------------------------------------------------------

TEST(PartitionRules, WarnWhenTheLagNeverGoesDown) {
  // Offsets advance, lag 500, 510, ... 590: it never went down from one observation to the
  // next, so the consumer is not keeping up: WARN.
  const auto v = evaluate_partition(input(slow_consumer(), 600, 560));
  EXPECT_EQ(v.status, Status::WARN);
  EXPECT_EQ(v.rule, "lag-not-decreasing");
  EXPECT_NE(v.explanation.find("(500 to 590)"), std::string::npos) << v.explanation;
}

TEST(PartitionRules, ConstantLagIsWarn) {
  // Equal is not lower: a lag that stays at 500 "never decreased" (Burrow's rule).
  auto w = slow_consumer();
  for (auto& o : w) o.lag = 500;
  EXPECT_EQ(evaluate_partition(input(w, 500, 560)).status, Status::WARN);
}

TEST(PartitionRules, OneDecreaseMakesItOk) {
  // Lag went down once (550 -> 540 between observations 6 and 7): progressing: OK.
  auto w = slow_consumer();
  w[6].lag = 540;
  const auto v = evaluate_partition(input(w, 600, 560));
  EXPECT_EQ(v.status, Status::OK);
  EXPECT_EQ(v.rule, "ok");
  EXPECT_NE(v.explanation.find("went down from 550 to 540 between observations 6 and 7"), std::string::npos)
      << v.explanation;
}

TEST(PartitionRules, TrendSkipsUnknownLags) {
  // Known lags compare with the previous known one: 540 (obs 5), unknown (obs 6), 530 (obs 7)
  // is a decrease across the gap: OK. With 560 instead it never went down: WARN.
  auto w = slow_consumer();
  w[5].lag = kUnknown;
  w[6].lag = 530;
  EXPECT_EQ(evaluate_partition(input(w, 600, 560)).rule, "ok");
  w[6].lag = 560;
  EXPECT_EQ(evaluate_partition(input(w, 600, 560)).status, Status::WARN);
}

TEST(PartitionRules, WarnNeedsTwoKnownLags) {
  // Offsets advance but only one lag is known: no trend can be seen, so no WARN: OK.
  auto w = slow_consumer();
  for (size_t i = 1; i < w.size(); ++i) w[i].lag = kUnknown;
  const auto e = explain_partition(input(w, 600, 560));
  EXPECT_EQ(e.verdict.rule, "ok");
  EXPECT_FALSE(check(e, "lag-not-decreasing").matched);
}

// ---- the checks list ------------------------------------------------------------------------

TEST(PartitionRules, ChecksListEveryRuleInOrderWithOneDecider) {
  const auto e = explain_partition(input(slow_consumer(), 600, 560));
  const std::vector<std::string> order = {"lag-within-allowed",  "stopped", "window-incomplete",  "rewind",
                                          "caught-up-in-window", "stalled", "lag-not-decreasing", "ok"};
  ASSERT_EQ(e.checks.size(), order.size());
  int decided = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(e.checks[i].rule, order[i]);
    EXPECT_FALSE(e.checks[i].detail.empty());
    if (e.checks[i].decided) {
      ++decided;
      EXPECT_EQ(e.checks[i].rule, e.verdict.rule);
      EXPECT_EQ(e.checks[i].status, e.verdict.status);
      for (size_t j = 0; j < i; ++j) EXPECT_FALSE(e.checks[j].matched) << order[j];
    }
  }
  EXPECT_EQ(decided, 1);
  EXPECT_EQ(evaluate_partition(input(slow_consumer(), 600, 560)).explanation, e.verdict.explanation);
}

TEST(PartitionRules, ExtremeValuesDoNotOverflow) {
  // Runs under UBSan in the suggested build: differences saturate instead of overflowing.
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  PartitionInput in;
  in.window = {{kMax, kMin, kMax}, {kMin, kMax, kMin}, {0, kMax, kUnknown}};
  in.broker_offsets = {kMin, kMax};
  in.current_lag = kMax;
  in.now_ms = kMin;
  in.window_size = 3;
  in.allowed_lag = kMax - 1;
  EXPECT_NO_THROW(evaluate_partition(in));
  in.now_ms = kMax;
  in.window_size = std::numeric_limits<size_t>::max();
  in.min_completeness = 0;
  EXPECT_NO_THROW(evaluate_partition(in));
  in.window = {{0, kMin, 1}, {1, kMax, 1}};
  in.window_size = 10;
  in.min_completeness = 1;
  in.now_ms = kMax;
  EXPECT_NO_THROW(evaluate_partition(in));
}

}  // namespace
}  // namespace lagwatch::evaluate
