// The main thread of `lagwatch serve` and `lagwatch demo` once the exporter runs: act on
// signals until one says stop, then stop within a bounded time.
#pragma once

#include <chrono>

#include "app/exporter.hpp"

namespace lagwatch::app {

// How long SIGTERM may take, whatever the brokers do. Kubernetes waits 30 s before SIGKILL,
// systemd 90 s; 2 s keeps a rolling restart of lagwatch itself quick.
inline constexpr std::chrono::milliseconds kShutdownBudget{1'500};

// Waits for signals: SIGHUP reloads the exporter's configuration (a failure is logged and the
// running one kept), SIGUSR1/SIGUSR2 are logged and ignored, SIGINT/SIGTERM return.
// Returns the stopping signal.
int run_until_stopped(Exporter& exporter);

// Stops the exporter within kShutdownBudget. If a poller is still inside a Kafka call then,
// ends the process at once with `exit_code` (the kernel closes its sockets, which cancels the
// requests); destructors that would wait for that call are skipped. Returns when everything
// stopped in time.
void stop_or_exit(Exporter& exporter, int exit_code);

}  // namespace lagwatch::app
