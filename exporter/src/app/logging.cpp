#include "app/logging.hpp"

#include <spdlog/spdlog.h>

namespace lagwatch::app {

void set_log_level(const std::string& level) {
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
}

}  // namespace lagwatch::app
