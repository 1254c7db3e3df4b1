// lagwatch_config_*: whether the last configuration reload worked, with Prometheus's own
// names for the same facts (prometheus_config_last_reload_successful, ...), so the alert users
// already have for Prometheus reads the same way for lagwatch. Rendered per scrape.
#pragma once

#include <cstdint>
#include <string>

namespace lagwatch::publish {

struct ReloadState {
  bool last_successful = true;           // true before any reload: the start-up config loaded
  double last_success_unix_seconds = 0;  // start-up time until a reload succeeds
  uint64_t successes = 0;
  uint64_t failures = 0;
};

std::string reload_families(const ReloadState& state);

}  // namespace lagwatch::publish
