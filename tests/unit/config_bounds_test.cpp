// The range of every duration and count in the configuration (config/bounds.hpp): each edge is
// accepted, one past each edge is refused with the same message whether the value came from
// the YAML file (with its line and column), a flag or an environment variable. Also
// parse_duration's own limit and util/saturating.hpp, which keeps `now + interval` in range.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <limits>

#include "config/bounds.hpp"
#include "config/command_line.hpp"
#include "config/config.hpp"
#include "util/saturating.hpp"

namespace lagwatch::config {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kCluster = "clusters:\n  - name: a\n    bootstrap_servers: [k:1]\n";

Config minimal() {
  Config c;
  c.clusters.emplace_back();
  c.clusters[0].name = "a";
  c.clusters[0].bootstrap_servers = {"k:1"};
  return c;
}

Config with_notifier() {
  Config c = minimal();
  c.notifiers.emplace_back();
  c.notifiers[0].name = "n";
  c.notifiers[0].url = "http://h/x";
  return c;
}

std::string yaml_error(const std::string& yaml) {
  try {
    parse_yaml(yaml, "t.yml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "accepted";
}

std::string problem_text(const Config& c) {
  const auto p = first_problem(c);
  return p ? p->key + ": " + p->what : "";
}

// One bounded setting: how to set it on a Config, how the YAML spells it, and its range.
struct Bound {
  std::string key;
  bool duration;  // else a count
  std::int64_t min, max;
  std::string text;  // the range as messages word it
  std::function<void(Config&, std::int64_t)> set;
  std::string yaml_before;  // the document up to the value
  std::string yaml_after;   // the rest of it
  bool notifier = false;    // needs a notifier in the Config
};

std::string literal(const Bound& b, std::int64_t v) {
  return b.duration ? std::to_string(v) + "ms" : std::to_string(v);
}
std::string shown(const Bound& b, std::int64_t v) {
  return b.duration ? format_duration(milliseconds(v)) : std::to_string(v);
}

const std::vector<Bound>& all_bounds() {
  using namespace std::chrono;
  static const std::string notifier = kCluster + "notifiers:\n  - name: n\n    url: http://h/x\n";
  static const std::vector<Bound> table = {
      {"poll.interval", true, 1'000, 86'400'000, "1s to 24h",
       [](Config& c, std::int64_t v) { c.poll.interval = milliseconds(v); }, "poll:\n  interval: ", "\n" + kCluster},
      {"poll.request_timeout", true, 100, 300'000, "100ms to 5m",
       [](Config& c, std::int64_t v) { c.poll.request_timeout = milliseconds(v); },
       "poll:\n  request_timeout: ", "\n" + kCluster},
      {"poll.group_concurrency", false, 1, 256, "1 to 256",
       [](Config& c, std::int64_t v) { c.poll.group_concurrency = static_cast<int>(v); },
       "poll:\n  group_concurrency: ", "\n" + kCluster},
      {"lag.history_points", false, 16, 100'000, "16 to 100000",
       [](Config& c, std::int64_t v) { c.lag.history_points = static_cast<int>(v); },
       "lag:\n  history_points: ", "\n" + kCluster},
      {"evaluation.window", false, 2, 1'000, "2 to 1000",
       [](Config& c, std::int64_t v) { c.evaluation.window = static_cast<int>(v); },
       "evaluation:\n  window: ", "\n" + kCluster},
      {"evaluation.allowed_lag", false, 0, std::int64_t{1} << 62, "0 to 4611686018427387904 (2^62)",
       [](Config& c, std::int64_t v) { c.evaluation.allowed_lag = v; },
       "evaluation:\n  allowed_lag: ", "\n" + kCluster},
      {"web.read_header_timeout", true, 100, 30'000, "100ms to 30s",
       [](Config& c, std::int64_t v) { c.web.read_header_timeout = milliseconds(v); },
       "web:\n  read_header_timeout: ", "\n" + kCluster},
      {"web.idle_timeout", true, 1'000, 3'600'000, "1s to 1h",
       [](Config& c, std::int64_t v) { c.web.idle_timeout = milliseconds(v); },
       "web:\n  idle_timeout: ", "\n" + kCluster},
      {"web.max_connections", false, 1, 100'000, "1 to 100000",
       [](Config& c, std::int64_t v) { c.web.max_connections = static_cast<int>(v); },
       "web:\n  max_connections: ", "\n" + kCluster},
      {"clusters[0].poll_interval", true, 1'000, 86'400'000, "1s to 24h",
       [](Config& c, std::int64_t v) { c.clusters[0].poll_interval = milliseconds(v); },
       kCluster + "    poll_interval: ", "\n"},
      {"notifiers[0].timeout", true, 100, 600'000, "100ms to 10m",
       [](Config& c, std::int64_t v) { c.notifiers[0].timeout = milliseconds(v); }, notifier + "    timeout: ", "\n",
       true},
      {"notifiers[0].repeat_interval", true, 1'000, 30 * 86'400'000LL, "0 (only on change) or 1s to 30d",
       [](Config& c, std::int64_t v) { c.notifiers[0].repeat_interval = milliseconds(v); },
       notifier + "    repeat_interval: ", "\n", true},
      {"notifiers[0].max_attempts", false, 1, 100, "1 to 100",
       [](Config& c, std::int64_t v) { c.notifiers[0].max_attempts = static_cast<int>(v); },
       notifier + "    max_attempts: ", "\n", true},
      {"notifiers[0].backoff.initial", true, 10, 3'600'000, "10ms to 1h",
       [](Config& c, std::int64_t v) {
         c.notifiers[0].backoff_initial = milliseconds(v);
         c.notifiers[0].backoff_max = std::max(c.notifiers[0].backoff_max, milliseconds(v));
       },
       notifier + "    backoff:\n      max: 24h\n      initial: ", "\n", true},
      {"notifiers[0].queue_size", false, 1, 1'000'000, "1 to 1000000",
       [](Config& c, std::int64_t v) { c.notifiers[0].queue_size = static_cast<int>(v); },
       notifier + "    queue_size: ", "\n", true},
  };
  return table;
}

TEST(ConfigBounds, EachEdgeAcceptedAndOnePastRefused) {
  for (const auto& b : all_bounds()) {
    SCOPED_TRACE(b.key);
    for (const std::int64_t ok : {b.min, b.max}) {
      Config c = b.notifier ? with_notifier() : minimal();
      b.set(c, ok);
      EXPECT_EQ(problem_text(c), "") << ok;
    }
    for (const std::int64_t bad : {b.min - 1, b.max + 1}) {
      Config c = b.notifier ? with_notifier() : minimal();
      b.set(c, bad);
      EXPECT_EQ(problem_text(c), b.key + ": " + shown(b, bad) + " is out of range; expected " + b.text);
    }
  }
}

// The same values through the file: the message is pointed at the value's line and column.
TEST(ConfigBounds, ThroughYamlWithLineAndColumn) {
  for (const auto& b : all_bounds()) {
    SCOPED_TRACE(b.key);
    const size_t line = static_cast<size_t>(std::count(b.yaml_before.begin(), b.yaml_before.end(), '\n')) + 1;
    const size_t column = b.yaml_before.size() - b.yaml_before.rfind('\n');
    const std::string at = "t.yml:" + std::to_string(line) + ":" + std::to_string(column) + ": ";
    for (const std::int64_t ok : {b.min, b.max}) {
      EXPECT_NO_THROW(parse_yaml(b.yaml_before + literal(b, ok) + b.yaml_after, "t.yml")) << ok;
    }
    for (const std::int64_t bad : {b.min - 1, b.max + 1}) {
      if (b.duration && bad < 0) continue;  // "-1ms" is a syntax error, tested with parse_duration
      try {
        parse_yaml(b.yaml_before + literal(b, bad) + b.yaml_after, "t.yml");
        ADD_FAILURE() << "accepted " << bad;
      } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), at + b.key + ": " + shown(b, bad) + " is out of range; expected " + b.text);
      }
    }
  }
}

TEST(ConfigBounds, RepeatIntervalZeroMeansOnlyOnChange) {
  Config c = with_notifier();
  c.notifiers[0].repeat_interval = milliseconds(0);
  EXPECT_EQ(problem_text(c), "");
  c.notifiers[0].repeat_interval = milliseconds(1);
  EXPECT_EQ(problem_text(c),
            "notifiers[0].repeat_interval: 1ms is out of range; expected 0 (only on change) or 1s to 30d");
}

TEST(ConfigBounds, BackoffMaxBetweenInitialAnd24h) {
  Config c = with_notifier();
  c.notifiers[0].backoff_initial = milliseconds(2'000);
  c.notifiers[0].backoff_max = milliseconds(2'000);
  EXPECT_EQ(problem_text(c), "");
  c.notifiers[0].backoff_max = milliseconds(86'400'000);
  EXPECT_EQ(problem_text(c), "");
  c.notifiers[0].backoff_max = milliseconds(1'999);
  EXPECT_EQ(problem_text(c),
            "notifiers[0].backoff.max: 1s999ms is out of range; expected from backoff.initial (2s) to 24h");
  c.notifiers[0].backoff_max = milliseconds(86'400'001);
  EXPECT_THAT(problem_text(c), StartsWith("notifiers[0].backoff.max: 24h1ms is out of range"));
}

TEST(ConfigBounds, MinCompletenessIsAShare) {
  Config c = minimal();
  for (double ok : {0.0, 1.0, 0.5}) {
    c.evaluation.min_completeness = ok;
    EXPECT_EQ(problem_text(c), "") << ok;
  }
  for (double bad : {-0.01, 1.01, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    c.evaluation.min_completeness = bad;
    EXPECT_EQ(problem_text(c), "evaluation.min_completeness: expected a share from 0 to 1, e.g. 0.5") << bad;
  }
  EXPECT_THAT(yaml_error("evaluation:\n  min_completeness: nan\n" + kCluster),
              StartsWith("t.yml:2:21: evaluation.min_completeness: expected a share"));
}

// Numbers too large for their type are out of range too, not "not an integer".
TEST(ConfigBounds, NumbersBeyondTheirTypeAreOutOfRange) {
  EXPECT_EQ(yaml_error("poll:\n  group_concurrency: 99999999999\n" + kCluster),
            "t.yml:2:22: poll.group_concurrency: 99999999999 is out of range; expected 1 to 256");
  EXPECT_EQ(yaml_error("evaluation:\n  allowed_lag: 9223372036854775808\n" + kCluster),
            "t.yml:2:16: evaluation.allowed_lag: 9223372036854775808 is out of range; expected 0 to "
            "4611686018427387904 (2^62)");
  EXPECT_EQ(yaml_error("evaluation:\n  allowed_lag: -1\n" + kCluster),
            "t.yml:2:16: evaluation.allowed_lag: -1 is out of range; expected 0 to 4611686018427387904 (2^62)");
  EXPECT_EQ(yaml_error(kCluster + "notifiers:\n  - name: n\n    url: http://h/x\n    queue_size: -99999999999\n"),
            "t.yml:7:17: notifiers[0].queue_size: -99999999999 is out of range; expected 1 to 1000000");
  // A 100 000-digit number is not echoed in full.
  const std::string e = yaml_error("web:\n  max_connections: " + std::string(100'000, '9') + "\n" + kCluster);
  EXPECT_THAT(e, StartsWith("t.yml:2:20: web.max_connections: 9999"));
  EXPECT_THAT(e, HasSubstr("(100000 characters) is out of range; expected 1 to 100000"));
  EXPECT_LT(e.size(), 300u);
}

// The reported case: 107000d passed check-config and overflowed the poller.
TEST(ConfigBounds, HostileDurationsRefused) {
  EXPECT_EQ(yaml_error("poll:\n  interval: 107000d\n" + kCluster),
            "t.yml:2:13: poll.interval: invalid duration \"107000d\": too large; the longest duration is 106751d "
            "(about 292 years)");
  EXPECT_EQ(yaml_error("poll:\n  interval: 1000d\n" + kCluster),
            "t.yml:2:13: poll.interval: 24000h is out of range; expected 1s to 24h");
  EXPECT_EQ(yaml_error("poll:\n  request_timeout: 10m\n" + kCluster),
            "t.yml:2:20: poll.request_timeout: 10m is out of range; expected 100ms to 5m");
  EXPECT_EQ(yaml_error("poll:\n  interval: 9999999999999999h\n" + kCluster),
            "t.yml:2:13: poll.interval: invalid duration \"9999999999999999h\": too large; the longest duration is "
            "106751d (about 292 years)");
}

TEST(ConfigDurationLimit, LongestDurationFitsNanoseconds) {
  // INT64_MAX ns = 9223372036854 ms (106751d 23h 47m 16.854s).
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 1'000'000;
  EXPECT_EQ(parse_duration("106751d").count(), 106'751LL * 86'400'000);
  EXPECT_EQ(parse_duration(std::to_string(kMax) + "ms").count(), kMax);
  EXPECT_NO_THROW(
      (void)std::chrono::duration_cast<std::chrono::nanoseconds>(parse_duration(std::to_string(kMax) + "ms")));
  for (const std::string& bad :
       {std::to_string(kMax + 1) + "ms", std::string("107000d"), std::string("106752d"),
        std::string("9999999999999999h"), std::string("99999999999999999999ms"), std::string("106751d24h"),
        std::string("9223372036854775807ms"), std::string("9223372036854775807ms1ms"), std::string("2562047.8h")}) {
    try {
      parse_duration(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()),
                "invalid duration \"" + bad + "\": too large; the longest duration is 106751d (about 292 years)");
    }
  }
}

// Flags and variables reach the same check, after apply_overrides.
std::string override_error(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) {
  try {
    CommandLine cl = parse_command_line(args);
    merge_environment(cl, env);
    Config c = minimal();
    apply_overrides(c, cl.overrides);
    validate(c);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(ConfigBounds, ThroughFlagsAndEnvironment) {
  EXPECT_EQ(override_error({"--poll.interval=24h"}), "accepted");
  EXPECT_EQ(override_error({"--poll.interval=24h1ms"}),
            "config: poll.interval: 24h1ms is out of range; expected 1s to 24h");
  EXPECT_EQ(override_error({}, {{"LAGWATCH_POLL_INTERVAL", "999ms"}}),
            "config: poll.interval: 999ms is out of range; expected 1s to 24h");
  EXPECT_EQ(override_error({"--poll.interval", "107000d"}),
            "config: --poll.interval (LAGWATCH_POLL_INTERVAL): invalid duration \"107000d\": too large; the longest "
            "duration is 106751d (about 292 years)");
  EXPECT_EQ(
      override_error({"--web.read-header-timeout=100ms", "--web.idle-timeout=1h", "--web.max-connections=100000"}),
      "accepted");
  EXPECT_EQ(override_error({"--web.read-header-timeout=99ms"}),
            "config: web.read_header_timeout: 99ms is out of range; expected 100ms to 30s");
  EXPECT_EQ(override_error({}, {{"LAGWATCH_WEB_READ_HEADER_TIMEOUT", "30s1ms"}}),
            "config: web.read_header_timeout: 30s1ms is out of range; expected 100ms to 30s");
  EXPECT_EQ(override_error({"--web.idle-timeout", "999ms"}),
            "config: web.idle_timeout: 999ms is out of range; expected 1s to 1h");
  EXPECT_EQ(override_error({}, {{"LAGWATCH_WEB_IDLE_TIMEOUT", "1h1ms"}}),
            "config: web.idle_timeout: 1h1ms is out of range; expected 1s to 1h");
  EXPECT_EQ(override_error({"--web.max-connections=0"}),
            "config: web.max_connections: 0 is out of range; expected 1 to 100000");
  EXPECT_EQ(override_error({}, {{"LAGWATCH_WEB_MAX_CONNECTIONS", "100001"}}),
            "config: web.max_connections: 100001 is out of range; expected 1 to 100000");
  EXPECT_EQ(override_error({"--web.max-connections=99999999999"}),
            "config: --web.max-connections (LAGWATCH_WEB_MAX_CONNECTIONS): 99999999999 is out of range; expected 1 "
            "to 100000");
  EXPECT_EQ(override_error({"--web.max-connections=many"}),
            "config: --web.max-connections (LAGWATCH_WEB_MAX_CONNECTIONS): expected an integer, got \"many\"");
  EXPECT_EQ(override_error({"--web.idle-timeout=30"}),
            "config: --web.idle-timeout (LAGWATCH_WEB_IDLE_TIMEOUT): invalid duration \"30\": missing unit; expected "
            "a number with a unit (ms, s, m, h, d), e.g. \"500ms\", \"30s\" or \"1m30s\"");
}

// --- util/saturating.hpp ---

TEST(ConfigSaturating, Int64) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  static_assert(util::saturating_add(kMax, std::int64_t{1}) == kMax);
  static_assert(util::saturating_add(kMin, std::int64_t{-1}) == kMin);
  static_assert(util::saturating_add(std::int64_t{2}, std::int64_t{3}) == 5);
  static_assert(util::saturating_sub(kMin, std::int64_t{1}) == kMin);
  static_assert(util::saturating_sub(kMax, std::int64_t{-1}) == kMax);
  static_assert(util::saturating_mul(kMax / 2 + 1, std::int64_t{2}) == kMax);
  static_assert(util::saturating_mul(kMax / 2 + 1, std::int64_t{-2}) == kMin);
  static_assert(util::saturating_mul(std::int64_t{-4}, std::int64_t{5}) == -20);
}

TEST(ConfigSaturating, Durations) {
  using std::chrono::hours;
  using std::chrono::nanoseconds;
  static_assert(util::saturating_add(milliseconds(1), std::chrono::seconds(1)) == milliseconds(1'001));
  static_assert(util::saturating_add(milliseconds::max(), milliseconds(1)) == milliseconds::max());
  static_assert(util::saturating_mul(milliseconds(milliseconds::max().count() / 2 + 1), 2) == milliseconds::max());
  static_assert(util::saturating_duration_cast<nanoseconds>(hours(24 * 107'000)) == nanoseconds::max());
  static_assert(util::saturating_duration_cast<nanoseconds>(-hours(24 * 107'000)) == nanoseconds::min());
  static_assert(util::saturating_duration_cast<std::chrono::seconds>(milliseconds(1'999)) == std::chrono::seconds(1));
}

TEST(ConfigSaturating, TimePoints) {
  using std::chrono::steady_clock;
  using std::chrono::system_clock;
  const auto now = steady_clock::now();
  EXPECT_EQ(util::saturating_add(now, milliseconds(1'500)) - now, milliseconds(1'500));
  // What 107000d did to the poller: now + interval wrapped into the past.
  EXPECT_EQ(util::saturating_add(now, milliseconds(107'000LL * 86'400'000)), steady_clock::time_point::max());
  EXPECT_EQ(util::saturating_add(now, milliseconds::max()), steady_clock::time_point::max());
  EXPECT_EQ(util::saturating_add(steady_clock::time_point::max(), milliseconds(1)), steady_clock::time_point::max());
  EXPECT_EQ(util::saturating_sub(now, milliseconds::max()), steady_clock::time_point::min());
  EXPECT_EQ(util::saturating_add(now, -milliseconds::max()), steady_clock::time_point::min());
  const auto wall = system_clock::now();
  EXPECT_EQ(util::saturating_add(wall, milliseconds(107'000LL * 86'400'000)), system_clock::time_point::max());
  EXPECT_EQ(util::saturating_sub(wall, std::chrono::seconds(1)), wall - std::chrono::seconds(1));
  // The longest duration parse_duration accepts still gives a deadline in range, unclamped.
  const auto longest = parse_duration("106751d");
  const auto epoch = steady_clock::time_point{};
  EXPECT_EQ(util::saturating_add(epoch, longest) - epoch, longest);
}

}  // namespace
}  // namespace lagwatch::config
