// A background loop of a process (the outbox relay, the events forwarder, the sweeper, the
// reaper, a worker pipeline) on its own thread, supervised: one round of `body` runs, then the
// loop sleeps for the time the round returned (or until poked). A round that throws is caught,
// logged with the loop's name and counted; the loop then restarts after an exponential backoff
// (1 s doubling up to 30 s). healthy() is false from a crash until the next round completes, and
// once the loop has ended, so /health and /ready can tell the truth.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "common/stopper.hpp"

namespace ascension {

class BackgroundLoop {
 public:
  // One round; returns how long to sleep before the next. `wakeup` lets the round itself wait
  // (e.g. between reconnect attempts) and still end promptly on stop.
  using Body = std::function<std::chrono::milliseconds(Wakeup& wakeup)>;

  BackgroundLoop(std::string name, Stopper& stopper, Body body,
                 std::chrono::milliseconds initial_delay = std::chrono::milliseconds(0),
                 std::chrono::milliseconds first_backoff = std::chrono::milliseconds(1000));
  ~BackgroundLoop();  // joins (the stopper must have been stopped, or this blocks)
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  // Called (on the loop's thread) after each crashed round, e.g. to count it in a metric. Set
  // before Start().
  void OnCrash(std::function<void()> f) { on_crash_ = std::move(f); }
  void Start();
  void Join();
  // Wakes this loop's current sleep (and no other loop's).
  void Poke() { wakeup_.Poke(); }
  bool healthy() const { return started_ && !ended_ && !crashed_ && !degraded_; }
  // Rounds that threw since start.
  int crashes() const { return crashes_.load(); }
  const std::string& name() const { return name_; }
  // Marks the loop unhealthy from inside a round that cannot work at all (until the next round
  // returns normally), e.g. "cannot reach RabbitMQ" for a forwarder that is not consuming.
  void SetDegraded(bool degraded) { degraded_ = degraded; }
  bool degraded() const { return degraded_.load(); }

 private:
  void Run();

  std::string name_;
  Stopper& stopper_;
  Wakeup wakeup_;
  Body body_;
  std::function<void()> on_crash_;
  std::chrono::milliseconds initial_delay_;
  std::chrono::milliseconds first_backoff_;
  std::thread thread_;
  std::atomic<bool> started_{false};
  std::atomic<bool> ended_{false};
  std::atomic<bool> crashed_{false};
  std::atomic<bool> degraded_{false};
  std::atomic<int> crashes_{0};
};

}  // namespace ascension
