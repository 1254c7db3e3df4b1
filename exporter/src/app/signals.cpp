#include "app/signals.hpp"

#include <pthread.h>
#include <signal.h>

namespace lagwatch::app {
namespace {

sigset_t termination_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void block_termination_signals() {
  sigset_t set = termination_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int wait_for_termination() {
  sigset_t set = termination_set();
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

}  // namespace lagwatch::app
