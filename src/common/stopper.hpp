// Shutdown and wake-ups for background loops. A Stopper is the process's "stop now" flag; each
// loop sleeps on its own Wakeup, which returns early when that loop is poked ("new outbox rows")
// or when the Stopper stops, so threads end promptly on SIGTERM and a poke wakes exactly the loop
// it is meant for.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace ascension {

class Wakeup;

class Stopper {
 public:
  // Stops every Wait() and Wakeup::Wait() now and from now on.
  void Stop();
  bool stopped() const { return stopped_.load(); }
  // Sleeps up to `d`; returns true when stopped. Only Stop() ends it early.
  bool Wait(std::chrono::milliseconds d) {
    std::unique_lock l(mu_);
    cv_.wait_for(l, d, [&] { return stopped_.load(); });
    return stopped_;
  }
  const std::atomic<bool>* flag() const { return &stopped_; }

 private:
  friend class Wakeup;
  void Register(Wakeup* w) {
    std::lock_guard l(mu_);
    wakeups_.push_back(w);
  }
  void Unregister(Wakeup* w) {
    std::lock_guard l(mu_);
    wakeups_.erase(std::remove(wakeups_.begin(), wakeups_.end(), w), wakeups_.end());
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopped_{false};
  std::vector<Wakeup*> wakeups_;
};

// One loop's sleep.
class Wakeup {
 public:
  explicit Wakeup(Stopper& stopper) : stopper_(stopper) { stopper_.Register(this); }
  ~Wakeup() { stopper_.Unregister(this); }
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  // Sleeps up to `d`, less when poked or stopped; returns true when stopped.
  bool Wait(std::chrono::milliseconds d) {
    std::unique_lock l(mu_);
    cv_.wait_for(l, d, [&] { return stopper_.stopped() || poked_; });
    poked_ = false;
    return stopper_.stopped();
  }
  // Ends this loop's current (or next) Wait early, without stopping anything.
  void Poke() {
    {
      std::lock_guard l(mu_);
      poked_ = true;
    }
    cv_.notify_all();
  }
  bool stopped() const { return stopper_.stopped(); }
  const Stopper& stopper() const { return stopper_; }

 private:
  friend class Stopper;
  void Notify() {
    { std::lock_guard l(mu_); }
    cv_.notify_all();
  }

  Stopper& stopper_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool poked_ = false;
};

inline void Stopper::Stop() {
  {
    std::lock_guard l(mu_);
    stopped_ = true;
    for (Wakeup* w : wakeups_) w->Notify();
  }
  cv_.notify_all();
}

}  // namespace ascension
