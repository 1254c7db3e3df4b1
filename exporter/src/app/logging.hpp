#pragma once

#include <string>

namespace lagwatch::app {

// Sets spdlog's level from a validated config value (trace, debug, info, warn, error).
void set_log_level(const std::string& level);

}  // namespace lagwatch::app
