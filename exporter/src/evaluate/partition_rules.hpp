// Burrow-style status of one consumer group partition, from a window of recent offset
// observations. Pure functions: no I/O, no clock (the caller passes "now"), no Kafka.
//
// The rules, tried in this order; the first that matches gives the status:
//
//   1. lag-within-allowed   OK      current lag <= allowed_lag.
//   2. stopped              STOP    now - last.timestamp > last.timestamp - first.timestamp
//                                   (silent for longer than the window spans), unless the
//                                   broker's recent end offsets show the consumer caught up:
//                                   min(broker_offsets) - last.offset <= allowed_lag.
//                                   Below min_completeness the span is extrapolated to a full
//                                   window, and a window of fewer than two observations, or
//                                   one spanning no time, cannot be judged stopped.
//   3. window-incomplete    OK      window.size() / window_size < min_completeness: nothing
//                                   else is judged on so little history.
//   4. rewind               REWIND  the committed offset is below the highest offset in the
//                                   window: it went backwards and has not come back yet.
//   5. caught-up-in-window  OK      some observation's known lag is <= allowed_lag (unknown
//                                   lags never count as caught up).
//   6. stalled              STALL   two or more observations, all with the same offset.
//   7. lag-not-decreasing   WARN    two or more known lags, and none lower than the known lag
//                                   before it.
//   8. ok                   OK      none of the above.
//
// Differences from Burrow's evaluator (core/internal/evaluator/caching.go), on purpose:
// - allowed_lag: Burrow treats only a lag of 0 as "no lag"; here any lag <= allowed_lag does,
//   everywhere (rules 1, 2's caught-up test, 5). With allowed_lag = 0 it is Burrow's test.
// - REWIND is judged before the caught-up test and only while the offset is still below its
//   earlier high. Burrow skips REWIND when the lag was zero anywhere in the window (so an
//   offset reset right after catching up went unseen) and keeps flagging a rewind for the
//   whole window after the consumer got past the old offset again.
// - STALL needs two observations and WARN two known lags: one point shows no movement and no
//   trend. Burrow reports STALL/WARN for a single observation.
// - An incomplete window still gets the STOP rule (extrapolated), so a consumer that dies
//   before its window fills is not OK forever. Burrow judges nothing below minimum-complete.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evaluate/status.hpp"
#include "store/observation.hpp"

namespace lagwatch::evaluate {

// Number of observations a full window holds, as Burrow's storage "intervals".
inline constexpr size_t kDefaultWindowSize = 10;
// Share of a full window needed before rules 4 to 7 are applied. Burrow's minimum-complete
// defaults to 0 (judge anything); lagwatch waits for half a window, which avoids STALL/WARN
// verdicts drawn from two or three points right after startup.
inline constexpr double kDefaultMinCompleteness = 0.5;

// Rule ids, as PartitionVerdict::rule and RuleCheck::rule carry them.
namespace rule {
inline constexpr std::string_view kLagWithinAllowed = "lag-within-allowed";
inline constexpr std::string_view kStopped = "stopped";
inline constexpr std::string_view kWindowIncomplete = "window-incomplete";
inline constexpr std::string_view kRewind = "rewind";
inline constexpr std::string_view kCaughtUpInWindow = "caught-up-in-window";
inline constexpr std::string_view kStalled = "stalled";
inline constexpr std::string_view kLagNotDecreasing = "lag-not-decreasing";
inline constexpr std::string_view kOk = "ok";
}  // namespace rule

// One offset observation of a partition: the group's committed offset, when it was seen, and
// the lag at that time (nullopt when the end offset was unknown then). The windows in store/
// keep them.
using Observation = store::Observation;

struct PartitionInput {
  std::vector<Observation> window;                    // oldest first, timestamps non-decreasing
  std::vector<int64_t> broker_offsets;                // recent log end offsets of the partition, oldest first
  int64_t current_lag = 0;                            // lag now (end offset now - last committed offset)
  int64_t now_ms = 0;                                 // the evaluation time, same clock as timestamp_ms
  int64_t allowed_lag = 0;                            // a lag at or below this counts as no lag (< 0 means 0)
  size_t window_size = kDefaultWindowSize;            // N: observations in a full window
  double min_completeness = kDefaultMinCompleteness;  // 0..1, share of N; clamped to 0..1
};

struct PartitionVerdict {
  Status status = Status::OK;  // OK, WARN, STOP, STALL or REWIND
  std::string rule;            // id of the rule that decided, one of rule::k*
  std::string explanation;     // one sentence, with the numbers the rule compared
  double completeness = 0;     // min(window.size(), window_size) / window_size
  bool complete = false;       // window.size() >= window_size
};

// Outcome of one rule, for showing a user why a verdict came out as it did.
struct RuleCheck {
  std::string rule;            // rule id, one of rule::k*
  Status status = Status::OK;  // the status this rule gives when it decides
  bool matched = false;        // its condition holds (judged even after an earlier rule decided)
  bool decided = false;        // the first rule that matched: it gave the verdict
  std::string detail;          // what was compared, with the numbers
};

struct PartitionEvaluation {
  PartitionVerdict verdict;
  std::vector<RuleCheck> checks;  // all eight rules, in evaluation order
};

// The status of one partition. Never throws for any input (out-of-order or negative values
// give some verdict, not undefined behaviour; window_size 0 counts as 1).
PartitionVerdict evaluate_partition(const PartitionInput& in);

// evaluate_partition with the outcome of every rule, in order (what `lagwatch evaluate` prints).
PartitionEvaluation explain_partition(const PartitionInput& in);

}  // namespace lagwatch::evaluate
