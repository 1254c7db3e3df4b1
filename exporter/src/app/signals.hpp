// Waiting for SIGINT/SIGTERM without a signal handler doing real work: the signals are
// blocked in every thread and one thread collects them with sigwait.
#pragma once

namespace lagwatch::app {

// Call first in main(), before any thread starts, so that every thread inherits the mask.
void block_termination_signals();
// Returns the signal number that arrived.
int wait_for_termination();

}  // namespace lagwatch::app
