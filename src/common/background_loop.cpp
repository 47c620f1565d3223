#include "common/background_loop.hpp"

#include <algorithm>

#include "common/log.hpp"

namespace ascension {

BackgroundLoop::BackgroundLoop(std::string name, Stopper& stopper, Body body,
                               std::chrono::milliseconds initial_delay,
                               std::chrono::milliseconds first_backoff)
    : name_(std::move(name)),
      stopper_(stopper),
      wakeup_(stopper),
      body_(std::move(body)),
      initial_delay_(initial_delay),
      first_backoff_(first_backoff) {}

BackgroundLoop::~BackgroundLoop() {
  Join();
}

void BackgroundLoop::Start() {
  started_ = true;
  thread_ = std::thread([this] { Run(); });
}

void BackgroundLoop::Join() {
  if (thread_.joinable()) thread_.join();
}

void BackgroundLoop::Run() {
  auto backoff = first_backoff_;
  const auto max_backoff = std::chrono::milliseconds(30000);
  std::chrono::milliseconds wait = initial_delay_;
  std::string why = "stopped";
  while (!wakeup_.Wait(wait)) {
    try {
      wait = body_(wakeup_);
      crashed_ = false;
      backoff = first_backoff_;
      continue;
    } catch (const std::exception& e) {
      why = e.what();
    } catch (...) {
      why = "unknown exception";
    }
    // Last resort: the round is a bug or an unexpected library failure. Keep the process
    // serving, say so, and try again later.
    crashed_ = true;
    ++crashes_;
    log::Error("background loop crashed, restarting", {{"loop", name_},
                                                       {"error", why},
                                                       {"retry_ms", backoff.count()},
                                                       {"crashes", crashes_.load()}});
    if (on_crash_) on_crash_();
    wait = backoff;
    backoff = std::min(backoff * 2, max_backoff);
    why = "stopped";
  }
  ended_ = true;
  log::Info("background loop ended", {{"loop", name_}, {"reason", why}});
}

}  // namespace ascension
