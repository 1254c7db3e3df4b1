#include "util/rate_limited_log.hpp"

#include <spdlog/spdlog.h>

namespace lagwatch::util {

RateLimitedLog::RateLimitedLog(std::chrono::seconds period) : period_(period) {}

RateLimitedLog::~RateLimitedLog() { flush(); }

void RateLimitedLog::note(spdlog::level::level_enum level, std::string_view kind, std::string_view message,
                          Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = kinds_.find(kind);
  const bool first = it == kinds_.end();
  if (first) it = kinds_.emplace(std::string(kind), Kind{}).first;
  Kind& k = it->second;
  k.level = level;
  k.last_message.assign(message);
  ++k.unreported;
  ++k.total;
  if (first) {
    k.last_line = now;
    k.unreported = 0;
    spdlog::log(level, "{} (repeats are counted and logged at most once per {} s)", message, period_.count());
  } else if (now - k.last_line >= period_) {
    emit(k, now);
  }
}

void RateLimitedLog::flush(Clock::time_point now) {
  std::lock_guard lock(mu_);
  for (auto& [name, k] : kinds_) {
    if (k.unreported > 0) emit(k, now);
  }
}

std::uint64_t RateLimitedLog::total(std::string_view kind) const {
  std::lock_guard lock(mu_);
  const auto it = kinds_.find(kind);
  return it == kinds_.end() ? 0 : it->second.total;
}

void RateLimitedLog::emit(Kind& k, Clock::time_point now) {
  const auto since = std::chrono::duration_cast<std::chrono::seconds>(now - k.last_line).count();
  spdlog::log(k.level, "{} ({} times in the last {} s)", k.last_message, k.unreported, since);
  k.last_line = now;
  k.unreported = 0;
}

}  // namespace lagwatch::util
