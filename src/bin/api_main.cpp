// ascension-api: the stateless HTTP + WebSocket server. Configuration from the environment
// (see .env.example); SIGTERM/SIGINT stop it gracefully.
#include "api/app.hpp"
#include "common/log.hpp"
#include "common/stop_signals.hpp"

int main() {
  using namespace ascension;
  api::ApiConfig config = api::ReadApiConfig();
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config.common.log_level, &level);
  log::Init("ascension-api", level);

  const sigset_t signals = BlockStopSignals();

  api::App app(std::move(config));
  if (Status s = app.Start(); !s.ok()) {
    log::Error("api failed to start", {{"error", s.ToString()}});
    return 1;
  }
  int sig = WaitForStopSignal(signals);
  log::Info("api stopping", {{"signal", sig}});
  app.Stop(std::chrono::seconds(20));
  log::Info("api stopped");
  return 0;
}
