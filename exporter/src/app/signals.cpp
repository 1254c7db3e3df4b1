#include "app/signals.hpp"

#include <pthread.h>
#include <signal.h>

namespace lagwatch::app {
namespace {

constexpr int kHandled[] = {SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2};

sigset_t handled_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : kHandled) sigaddset(&set, sig);
  return set;
}

}  // namespace

void block_signals() {
  // Sockets already use MSG_NOSIGNAL in Asio; this covers every other write (pipes, stdout).
  signal(SIGPIPE, SIG_IGN);
  sigset_t set = handled_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalAction action_for(int sig) {
  switch (sig) {
    case SIGINT:
    case SIGTERM:
      return SignalAction::stop;
    case SIGHUP:
      return SignalAction::reload;
    default:
      return SignalAction::ignore;
  }
}

int wait_for_signal() {
  sigset_t set = handled_set();
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    case SIGUSR1:
      return "SIGUSR1";
    case SIGUSR2:
      return "SIGUSR2";
    default:
      return "signal";
  }
}

}  // namespace lagwatch::app
