// Signals without a handler doing real work: the signals lagwatch acts on are blocked in every
// thread, and the main thread collects them with sigwait and acts in ordinary code.
//
//   SIGINT, SIGTERM   stop (serve: within 2 s, whatever the brokers do; see app/shutdown.hpp)
//   SIGHUP            reload the configuration file (Prometheus's and Alertmanager's convention)
//   SIGUSR1, SIGUSR2  logged and ignored: they would otherwise kill the process with no line
//   SIGPIPE           ignored: a peer closing a socket is an error code, never a process kill
//
// Signals that mean a bug or the kernel's verdict (SIGSEGV, SIGABRT, SIGKILL, ...) keep their
// default action; docs/limits.md lists them.
#pragma once

namespace lagwatch::app {

// Call first in main(), before any thread starts, so that every thread inherits the mask.
void block_signals();

enum class SignalAction { stop, reload, ignore };

// What lagwatch does on `sig`, one of the signals block_signals() blocks.
SignalAction action_for(int sig);

// Waits for one of the blocked signals; returns its number.
int wait_for_signal();

// "SIGTERM", "SIGHUP", ...
const char* signal_name(int sig);

}  // namespace lagwatch::app
