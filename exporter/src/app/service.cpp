#include "app/service.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "app/signals.hpp"

namespace lagwatch::app {

int run_until_stopped(Exporter& exporter) {
  for (;;) {
    const int sig = wait_for_signal();
    switch (action_for(sig)) {
      case SignalAction::stop:
        spdlog::info("{} received, stopping", signal_name(sig));
        return sig;
      case SignalAction::reload:
        spdlog::info("{} received, reloading the configuration", signal_name(sig));
        exporter.reload();  // logs its own outcome
        break;
      case SignalAction::ignore:
        spdlog::info("{} received and ignored (SIGHUP reloads, SIGTERM stops)", signal_name(sig));
        break;
    }
  }
}

void stop_or_exit(Exporter& exporter, int exit_code) {
  if (exporter.stop_within(kShutdownBudget)) return;
  spdlog::warn("stopped with Kafka requests still in flight; exiting without waiting for them");
  spdlog::shutdown();  // flushes every sink
  std::_Exit(exit_code);
}

}  // namespace lagwatch::app
