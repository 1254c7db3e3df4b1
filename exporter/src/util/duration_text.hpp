// "5s", "300ms", "1m30s": a duration as config::format_duration writes it, for the messages of
// modules below config/ (http_client/, smtp/).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace lagwatch::util {

inline std::string duration_text(std::chrono::milliseconds d) {
  std::int64_t ms = d.count();
  if (ms <= 0) return "0s";
  std::string out;
  const std::pair<std::int64_t, const char*> units[] = {{3'600'000, "h"}, {60'000, "m"}, {1'000, "s"}, {1, "ms"}};
  for (const auto& [per, name] : units) {
    if (ms >= per) {
      out += std::to_string(ms / per) + name;
      ms %= per;
    }
  }
  return out;
}

}  // namespace lagwatch::util
