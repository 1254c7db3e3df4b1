#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace lagwatch::util {

// Logs events that can come in floods (a hostile client can cause thousands a second) at a rate
// an operator can read: for each kind, at most one line per `period`, carrying how many events of
// that kind happened since the previous line. The first event of a kind is logged at once, so a
// new problem shows up without delay. Thread-safe.
//
// Counts still unreported are logged by flush() (and by the destructor), so a burst followed by
// silence is not lost.
class RateLimitedLog {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimitedLog(std::chrono::seconds period = std::chrono::seconds(60));
  ~RateLimitedLog();

  RateLimitedLog(const RateLimitedLog&) = delete;
  RateLimitedLog& operator=(const RateLimitedLog&) = delete;

  // One event of `kind` (a short stable key, e.g. "http.refused"); `message` says what happened
  // and is logged as is when this event gets a line, so it must not carry untrusted bytes
  // unescaped. `now` is for tests.
  void note(spdlog::level::level_enum level, std::string_view kind, std::string_view message,
            Clock::time_point now = Clock::now());

  // Logs a line for every kind with events not yet reported.
  void flush(Clock::time_point now = Clock::now());

  // Events of `kind` noted so far (reported or not); for tests and benchmarks.
  std::uint64_t total(std::string_view kind) const;

 private:
  struct Kind {
    spdlog::level::level_enum level = spdlog::level::info;
    std::string last_message;       // the message of the latest unreported event
    Clock::time_point last_line{};  // when this kind last got a line
    std::uint64_t unreported = 0;   // events since that line
    std::uint64_t total = 0;
  };

  void emit(Kind& k, Clock::time_point now);

  const std::chrono::seconds period_;
  mutable std::mutex mu_;
  std::map<std::string, Kind, std::less<>> kinds_;
};

}  // namespace lagwatch::util
