#include "publish/collect_reloads.hpp"

#include "publish/families.hpp"

namespace lagwatch::publish {

std::string reload_families(const ReloadState& state) {
  Families out;
  auto ok = out.gauge("lagwatch_config_last_reload_successful",
                      "1 if the last configuration reload (SIGHUP or POST /-/reload) succeeded, or none was tried.");
  auto at = out.gauge("lagwatch_config_last_reload_success_timestamp_seconds",
                      "Unix time of the last successful configuration load (start-up or reload).");
  auto total = out.counter("lagwatch_config_reloads_total", "Configuration reloads tried, by result.");
  out.add(ok, {}, state.last_successful ? 1 : 0);
  out.add(at, {}, state.last_success_unix_seconds);
  out.add(total, {{"result", "success"}}, static_cast<double>(state.successes));
  out.add(total, {{"result", "failure"}}, static_cast<double>(state.failures));
  return out.text();
}

}  // namespace lagwatch::publish
