#include "evaluate/partition_rules.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

namespace lagwatch::evaluate {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

// a - b, saturated instead of overflowing (inputs come from users of `lagwatch evaluate`).
int64_t sub_sat(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) return b < 0 ? kMax : kMin;
  return r;
}

std::string num(int64_t v) { return std::to_string(v); }

// Milliseconds as seconds: "540s", "1.5s", "0.001s".
std::string duration(int64_t ms) {
  const bool negative = ms < 0;
  const uint64_t abs = negative ? uint64_t{0} - static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
  std::string s = (negative ? "-" : "") + std::to_string(abs / 1000);
  if (const auto frac = static_cast<unsigned>(abs % 1000); frac != 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%03u", frac);
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    s += f;
  }
  return s + "s";
}

std::string percent(double share) { return std::to_string(std::lround(share * 100)) + "%"; }

std::string capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// What every rule needs to know about the window's size.
struct Shape {
  size_t size = 0;  // observations in the window
  size_t full = 1;  // observations in a full window (window_size, at least 1)
  double completeness = 0;
  double min_completeness = 0;
  bool complete = false;
  bool enough = false;  // completeness reaches min_completeness
};

Shape shape_of(const PartitionInput& in) {
  Shape s;
  s.size = in.window.size();
  s.full = std::max<size_t>(in.window_size, 1);
  s.completeness = static_cast<double>(std::min(s.size, s.full)) / static_cast<double>(s.full);
  s.complete = s.size >= s.full;
  s.min_completeness = std::clamp(std::isnan(in.min_completeness) ? 0.0 : in.min_completeness, 0.0, 1.0);
  // Both sides are correctly rounded quotients; the epsilon only guards user-typed fractions.
  s.enough = s.completeness + 1e-9 >= s.min_completeness;
  return s;
}

std::string window_holds(const Shape& s) {
  return "the window holds " + std::to_string(s.size) + " of " + std::to_string(s.full) + " observations (" +
         percent(s.completeness) + ")";
}

RuleCheck make(std::string_view id, Status status, bool matched, std::string detail) {
  return RuleCheck{std::string(id), status, matched, false, std::move(detail)};
}

RuleCheck check_lag_within_allowed(const PartitionInput& in) {
  const bool within = in.current_lag <= in.allowed_lag;
  return make(rule::kLagWithinAllowed, Status::OK, within,
              "the current lag " + num(in.current_lag) + (within ? " is within" : " is above") + " the allowed lag " +
                  num(in.allowed_lag));
}

RuleCheck check_stopped(const PartitionInput& in, const Shape& s) {
  const auto id = rule::kStopped;
  if (in.window.empty()) return make(id, Status::STOP, false, "there are no observations to measure a silence from");
  const Observation& first = in.window.front();
  const Observation& last = in.window.back();
  const int64_t silence = sub_sat(in.now_ms, last.timestamp_ms);
  const int64_t span = sub_sat(last.timestamp_ms, first.timestamp_ms);

  bool silent_too_long = false;
  std::string compared_to;
  if (s.enough) {
    silent_too_long = silence > span;
    compared_to = "the " + duration(span) + " the window spans";
  } else if (s.size < 2 || span <= 0) {
    return make(id, Status::STOP, false,
                window_holds(s) + " spanning " + duration(span) + ", too little to judge a stop by");
  } else {
    // A full window at the pace seen so far: span / (size - 1) per step, full - 1 steps.
    const auto steps_seen = static_cast<__int128>(s.size - 1);
    const auto steps_full = static_cast<__int128>(s.full - 1);
    silent_too_long = static_cast<__int128>(silence) * steps_seen > static_cast<__int128>(span) * steps_full;
    const __int128 extrapolated = static_cast<__int128>(span) * steps_full / steps_seen;
    compared_to = "the " + duration(extrapolated > kMax ? kMax : static_cast<int64_t>(extrapolated)) +
                  " a full window of " + std::to_string(s.full) + " would span at the pace of the " +
                  std::to_string(s.size) + " seen over " + duration(span);
  }

  if (silence < 0) {
    return make(id, Status::STOP, false,
                "the last observation is " + duration(sub_sat(0, silence)) + " later than now, so there is no silence");
  }
  const std::string silent = "the last observation was " + duration(silence) + " ago, ";
  if (!silent_too_long) return make(id, Status::STOP, false, silent + "not longer than " + compared_to);
  const std::string stopped = silent + "longer than " + compared_to;
  if (in.broker_offsets.empty()) {
    return make(id, Status::STOP, true,
                stopped + ", and no recent broker end offsets show that the consumer caught up");
  }
  const int64_t lowest = *std::min_element(in.broker_offsets.begin(), in.broker_offsets.end());
  const int64_t behind = sub_sat(lowest, last.offset);
  const std::string committed = "the last committed offset " + num(last.offset);
  const std::string broker = "the lowest recent broker end offset " + num(lowest);
  if (behind <= 0) {
    return make(id, Status::STOP, false,
                stopped + ", but " + committed + " reached " + broker + ", so the consumer caught up recently");
  }
  if (behind <= in.allowed_lag) {
    return make(id, Status::STOP, false,
                stopped + ", but " + committed + " is " + num(behind) + " behind " + broker +
                    ", within the allowed lag " + num(in.allowed_lag) + ", so the consumer caught up recently");
  }
  return make(id, Status::STOP, true,
              stopped + ", and " + committed + " is " + num(behind) + " behind " + broker + " (allowed lag " +
                  num(in.allowed_lag) + "), so the consumer did not catch up recently");
}

RuleCheck check_window_incomplete(const Shape& s) {
  return make(rule::kWindowIncomplete, Status::OK, !s.enough,
              window_holds(s) + (s.enough ? ", at least" : ", below") + " the minimum completeness " +
                  percent(s.min_completeness));
}

RuleCheck check_rewind(const PartitionInput& in) {
  const auto id = rule::kRewind;
  const auto& w = in.window;
  if (w.size() < 2) return make(id, Status::REWIND, false, "fewer than two observations, so no offset went backwards");
  size_t peak = 0;
  for (size_t i = 1; i < w.size(); ++i) {
    if (w[i].offset > w[peak].offset) peak = i;
  }
  const int64_t last = w.back().offset;
  if (last < w[peak].offset) {
    int64_t low = last;
    for (size_t i = peak + 1; i < w.size(); ++i) low = std::min(low, w[i].offset);
    std::string d = "the committed offset went back from " + num(w[peak].offset) + " to " + num(low);
    if (low != last) d += " and is at " + num(last);
    return make(id, Status::REWIND, true, d + ", still below " + num(w[peak].offset));
  }
  // Not rewinding now; say whether it did earlier in the window and came back.
  int64_t high = w[0].offset;
  for (size_t i = 1; i < w.size(); ++i) {
    if (w[i].offset < high) {
      return make(id, Status::REWIND, false,
                  "the committed offset went back from " + num(high) + " to " + num(w[i].offset) +
                      " but has come back to " + num(last));
    }
    high = std::max(high, w[i].offset);
  }
  return make(id, Status::REWIND, false,
              "the committed offset never went backwards (" + num(w.front().offset) + " to " + num(last) + ")");
}

RuleCheck check_caught_up_in_window(const PartitionInput& in) {
  size_t known = 0;
  size_t within = 0;
  std::optional<int64_t> lowest;
  for (const auto& o : in.window) {
    if (!o.lag) continue;
    ++known;
    if (*o.lag <= in.allowed_lag) ++within;
    lowest = std::min(lowest.value_or(*o.lag), *o.lag);
  }
  const auto id = rule::kCaughtUpInWindow;
  if (known == 0) {
    return make(id, Status::OK, false, "no observation has a known lag, so none shows that the consumer caught up");
  }
  const size_t unknown = in.window.size() - known;
  if (within > 0) {
    return make(id, Status::OK, true,
                "the lag was within the allowed lag " + num(in.allowed_lag) + " at " + std::to_string(within) + " of " +
                    std::to_string(in.window.size()) + " observations (lowest " + num(*lowest) + ")");
  }
  std::string d = "the lag was above the allowed lag " + num(in.allowed_lag) + " at all " + std::to_string(known) +
                  " observations with a known lag (lowest " + num(*lowest) + ")";
  if (unknown > 0) d += "; " + std::to_string(unknown) + " with an unknown lag do not count as caught up";
  return make(id, Status::OK, false, d);
}

RuleCheck check_stalled(const PartitionInput& in) {
  const auto id = rule::kStalled;
  const auto& w = in.window;
  if (w.size() < 2) return make(id, Status::STALL, false, "fewer than two observations, so no stall can show");
  const auto [lo, hi] = std::minmax_element(
      w.begin(), w.end(), [](const Observation& a, const Observation& b) { return a.offset < b.offset; });
  if (lo->offset == hi->offset) {
    return make(id, Status::STALL, true,
                "the committed offset stayed at " + num(lo->offset) + " in all " + std::to_string(w.size()) +
                    " observations over " + duration(sub_sat(w.back().timestamp_ms, w.front().timestamp_ms)));
  }
  return make(
      id, Status::STALL, false,
      "the committed offset moved within the window (between " + num(lo->offset) + " and " + num(hi->offset) + ")");
}

RuleCheck check_lag_not_decreasing(const PartitionInput& in) {
  const auto id = rule::kLagNotDecreasing;
  std::optional<size_t> prev;  // index of the previous observation with a known lag
  std::optional<size_t> first;
  size_t known = 0;
  for (size_t i = 0; i < in.window.size(); ++i) {
    const auto& lag = in.window[i].lag;
    if (!lag) continue;
    ++known;
    if (!first) first = i;
    if (prev && *lag < *in.window[*prev].lag) {
      return make(id, Status::WARN, false,
                  "the lag went down from " + num(*in.window[*prev].lag) + " to " + num(*lag) +
                      " between observations " + std::to_string(*prev + 1) + " and " + std::to_string(i + 1));
    }
    prev = i;
  }
  if (known < 2) {
    return make(id, Status::WARN, false,
                std::to_string(known) + " observation" + (known == 1 ? " has" : "s have") +
                    " a known lag, too few to show whether it goes down");
  }
  return make(id, Status::WARN, true,
              "the lag never went down across the " + std::to_string(known) + " observations with a known lag (" +
                  num(*in.window[*first].lag) + " to " + num(*in.window[*prev].lag) + ")");
}

// One sentence for the verdict, from the deciding rule and the checks around it.
std::string explain(const std::vector<RuleCheck>& checks, size_t decided, const PartitionInput& in) {
  const auto& c = checks[decided];
  const std::string lagging =
      "the current lag " + num(in.current_lag) + " is above the allowed lag " + num(in.allowed_lag);
  if (c.rule == rule::kWindowIncomplete) {
    return capitalized(c.detail) + ", so only a stop is judged until it fills, and " + checks[1].detail + ".";
  }
  if (c.rule == rule::kCaughtUpInWindow) {
    return capitalized(lagging) + ", but " + c.detail + ", so the consumer caught up within the window.";
  }
  if (c.rule == rule::kStalled) {
    return capitalized(lagging) + " and " + c.detail + ": the consumer commits without progressing.";
  }
  if (c.rule == rule::kLagNotDecreasing) {
    return capitalized(lagging) + " and " + c.detail + ": the consumer is not catching up.";
  }
  if (c.rule == rule::kOk) {
    return capitalized(lagging) + ", but no rule found a problem: " + checks[decided - 1].detail + ".";
  }
  return capitalized(c.detail) + ".";
}

}  // namespace

PartitionEvaluation explain_partition(const PartitionInput& given) {
  // A negative allowed lag would make "caught up" impossible even at lag 0; it means 0.
  PartitionInput in = given;
  in.allowed_lag = std::max<int64_t>(in.allowed_lag, 0);
  const Shape s = shape_of(in);
  PartitionEvaluation out;
  out.checks = {
      check_lag_within_allowed(in),  check_stopped(in, s),
      check_window_incomplete(s),    check_rewind(in),
      check_caught_up_in_window(in), check_stalled(in),
      check_lag_not_decreasing(in),  make(rule::kOk, Status::OK, true, "no earlier rule matched"),
  };
  size_t decided = 0;
  while (!out.checks[decided].matched) ++decided;  // the last check always matches
  out.checks[decided].decided = true;

  PartitionVerdict& v = out.verdict;
  v.status = out.checks[decided].status;
  v.rule = out.checks[decided].rule;
  v.explanation = explain(out.checks, decided, in);
  v.completeness = s.completeness;
  v.complete = s.complete;
  return out;
}

PartitionVerdict evaluate_partition(const PartitionInput& in) { return explain_partition(in).verdict; }

}  // namespace lagwatch::evaluate
