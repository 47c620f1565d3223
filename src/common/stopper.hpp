// A shutdown flag that background loops can sleep on: Wait() returns early once Stop() is
// called, so threads end promptly on SIGTERM instead of finishing their sleep.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace ascension {

class Stopper {
 public:
  void Stop() {
    {
      std::lock_guard l(mu_);
      stopped_ = true;
    }
    cv_.notify_all();
  }
  bool stopped() const { return stopped_.load(); }
  // Sleeps up to `d`; returns true when stopped.
  bool Wait(std::chrono::milliseconds d) {
    std::unique_lock l(mu_);
    cv_.wait_for(l, d, [&] { return stopped_.load() || poked_; });
    poked_ = false;
    return stopped_;
  }
  // Wakes one Wait() early without stopping (e.g. "new outbox rows").
  void Poke() {
    {
      std::lock_guard l(mu_);
      poked_ = true;
    }
    cv_.notify_all();
  }
  const std::atomic<bool>* flag() const { return &stopped_; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopped_{false};
  bool poked_ = false;
};

}  // namespace ascension
