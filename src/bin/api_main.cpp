// ascension-api: the stateless HTTP + WebSocket server. Configuration from the environment
// (see .env.example); SIGTERM/SIGINT stop it gracefully.
#include <csignal>

#include "api/app.hpp"
#include "common/log.hpp"

int main() {
  using namespace ascension;
  api::ApiConfig config = api::ReadApiConfig();
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config.common.log_level, &level);
  log::Init("ascension-api", level);

  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  api::App app(std::move(config));
  if (Status s = app.Start(); !s.ok()) {
    log::Error("api failed to start", {{"error", s.ToString()}});
    return 1;
  }
  int sig = 0;
  sigwait(&signals, &sig);
  log::Info("api stopping", {{"signal", sig}});
  app.Stop(std::chrono::seconds(20));
  log::Info("api stopped");
  return 0;
}
