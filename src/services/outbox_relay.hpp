// The outbox relay: hands unsent outbox messages to the broker (ports/job_bus.hpp), marking each
// sent only once the broker confirmed it. A crash between the confirm and the mark publishes a
// message twice; the worker's idempotence absorbs it.
//
// Round() is one round of the relay's BackgroundLoop (every API instance runs one; rows are
// claimed with SKIP LOCKED, so several relays never send the same one):
// - a batch sent: no wait, the backlog drains first; nothing to send: 200 ms (or until poked);
// - a failure (broker or database down): the rows stay unsent for the next round, which comes
//   after 250 ms doubling with each consecutive failure up to 30 s; the failure is logged at the
//   first and every tenth consecutive one, and once the relay publishes again.
#pragma once

#include <chrono>
#include <functional>

#include "ports/job_bus.hpp"
#include "ports/outbox.hpp"

namespace ascension::services {

// What each round reports (the API's metrics).
struct RelayObserver {
  std::function<void(int)> backlog;    // unsent messages after the round, when counted
  std::function<void(int)> published;  // messages the broker confirmed in the round (when > 0)
};

class OutboxRelay {
 public:
  OutboxRelay(ports::OutboxRepository& outbox, ports::JobPublisher& publisher, int batch = 100,
              RelayObserver observer = {})
      : outbox_(outbox), publisher_(publisher), batch_(batch), observer_(std::move(observer)) {}

  // Publishes one batch; returns how many were sent (0: nothing to do), or the publish or
  // database failure when nothing could be sent.
  Result<int> RunOnce() {
    return outbox_.Relay(batch_,
                         [this](const ports::OutboxMessage& m) { return publisher_.Publish(m); });
  }
  Result<int> Backlog() { return outbox_.Backlog(); }

  // One round (see the file comment); returns how long to wait before the next. Called from one
  // thread (the relay's loop).
  std::chrono::milliseconds Round();
  // Rounds that failed in a row (0 after a round that worked).
  int consecutive_failures() const { return failures_; }

 private:
  ports::OutboxRepository& outbox_;
  ports::JobPublisher& publisher_;
  int batch_;
  RelayObserver observer_;
  int failures_ = 0;
};

}  // namespace ascension::services
