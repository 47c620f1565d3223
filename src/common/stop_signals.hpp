// Stop signals for the long-running processes: SIGTERM and SIGINT are blocked in every thread
// (call BlockStopSignals() first in main, before any thread starts) and the main thread waits
// for one with WaitForStopSignal(). SIGPIPE is ignored: a peer closing a socket is an error
// value, not a reason to die.
#pragma once

#include <pthread.h>

#include <csignal>

namespace ascension {

inline sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return signals;
}

// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
inline int WaitForStopSignal(const sigset_t& signals) {
  int sig = 0;
  sigwait(&signals, &sig);
  return sig;
}

}  // namespace ascension
