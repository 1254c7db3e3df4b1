// The accepted range of every duration and count in Config, in one place: validate.cpp checks
// them (first_problem, so the YAML file, the environment and the flags all go through the same
// test), parse_yaml.cpp names them when a number does not even fit its type, and
// docs/configuration.md ("Ranges") lists them. Change a bound here and in that table together.
//
// Why each limit is what it is:
//  - upper bounds keep every deadline computed from a setting (now + interval) far from the
//    limits of std::chrono's nanoseconds, and reject what is surely a typo (107000d);
//  - poll.request_timeout and notifier timeouts stop at what their transport accepts
//    (librdkafka's socket.timeout.ms is at most 300000 ms);
//  - counts stop where memory or open sockets would become the problem.
#pragma once

#include <chrono>
#include <cstdint>

namespace lagwatch::config::bounds {

struct Durations {
  std::chrono::milliseconds min;
  std::chrono::milliseconds max;
  const char* text;  // "1s to 24h", as the messages and the docs say it
};

struct Counts {
  std::int64_t min;
  std::int64_t max;
  const char* text;
};

using std::chrono::milliseconds;

constexpr milliseconds kSecond{1'000};
constexpr milliseconds kMinute{60'000};
constexpr milliseconds kHour{3'600'000};
constexpr milliseconds kDay{86'400'000};

inline constexpr Durations kPollInterval{kSecond, 24 * kHour, "1s to 24h"};  // also clusters[].poll_interval
// librdkafka refuses socket.timeout.ms above 300000, and lagwatch passes request_timeout there.
inline constexpr Durations kRequestTimeout{milliseconds{100}, 5 * kMinute, "100ms to 5m"};
inline constexpr Counts kGroupConcurrency{1, 256, "1 to 256"};
// OffsetHistory keeps at least 4 points whatever it is given; 16 leaves room to thin.
inline constexpr Durations kLogDirsInterval{10 * kSecond, 24 * kHour, "10s to 24h"};
inline constexpr Counts kPartitionSizeLimit{1, std::int64_t{1} << 60, "1 byte to 1EiB"};
inline constexpr Counts kHistoryPoints{16, 100'000, "16 to 100000"};
inline constexpr Counts kWindow{2, 1'000, "2 to 1000"};
// min_completeness is a share: 0 to 1 (not a table entry: it is a double).
inline constexpr Counts kAllowedLag{0, std::int64_t{1} << 62, "0 to 4611686018427387904 (2^62)"};

// At most 30s: the HTTP server requires read_header_timeout <= its read_timeout for the whole
// request, which is 30s and not configurable (http/server.hpp). Widen both together.
inline constexpr Durations kReadHeaderTimeout{milliseconds{100}, 30 * kSecond, "100ms to 30s"};
// The server accepts 100ms to 1h; below 1s a keep-alive connection would hardly be kept.
inline constexpr Durations kIdleTimeout{kSecond, kHour, "1s to 1h"};
// Each connection is a file descriptor; the server itself accepts up to 1000000.
inline constexpr Counts kMaxConnections{1, 100'000, "1 to 100000"};

inline constexpr Durations kNotifierTimeout{milliseconds{100}, 10 * kMinute, "100ms to 10m"};
// 0 is allowed besides this range: it means "only on change".
inline constexpr Durations kRepeatInterval{kSecond, 30 * kDay, "0 (only on change) or 1s to 30d"};
inline constexpr Counts kMaxAttempts{1, 100, "1 to 100"};
inline constexpr Durations kBackoffInitial{milliseconds{10}, kHour, "10ms to 1h"};
// backoff.max is also at least backoff.initial.
inline constexpr Durations kBackoffMax{milliseconds{10}, 24 * kHour, "backoff.initial to 24h"};
inline constexpr Counts kQueueSize{1, 1'000'000, "1 to 1000000"};

}  // namespace lagwatch::config::bounds
