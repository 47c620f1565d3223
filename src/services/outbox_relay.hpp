// The outbox relay: hands unsent outbox messages to the broker (ports/job_bus.hpp), marking each
// sent only once the broker confirmed it. A crash between the confirm and the mark publishes a
// message twice; the worker's idempotence absorbs it.
#pragma once

#include "ports/job_bus.hpp"
#include "ports/outbox.hpp"

namespace ascension::services {

class OutboxRelay {
 public:
  OutboxRelay(ports::OutboxRepository& outbox, ports::JobPublisher& publisher, int batch = 100)
      : outbox_(outbox), publisher_(publisher), batch_(batch) {}

  // Publishes one batch; returns how many were sent (0: nothing to do), or the publish or
  // database failure when nothing could be sent.
  Result<int> RunOnce() {
    return outbox_.Relay(batch_,
                         [this](const ports::OutboxMessage& m) { return publisher_.Publish(m); });
  }
  Result<int> Backlog() { return outbox_.Backlog(); }

 private:
  ports::OutboxRepository& outbox_;
  ports::JobPublisher& publisher_;
  int batch_;
};

}  // namespace ascension::services
