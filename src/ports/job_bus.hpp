// The message broker as the services see it: publishing jobs (with the broker's confirm) and
// job events (best effort).
#pragma once

#include "common/status.hpp"
#include "domain/messages.hpp"
#include "ports/outbox.hpp"

namespace ascension::ports {

class JobPublisher {
 public:
  virtual ~JobPublisher() = default;
  // Publishes one outbox message persistently; ok only once the broker confirmed it (and, for
  // the default exchange, routed it to a queue).
  virtual Status Publish(const OutboxMessage& message) = 0;
};

class EventPublisher {
 public:
  virtual ~EventPublisher() = default;
  // Publishes one job event on ascension.events. Losing an event is not an error for the job
  // (clients re-read state over HTTP): callers log a failure and go on.
  virtual Status Publish(const domain::JobEvent& event) = 0;
};

// Events of a ghost's computation (ghost.<kind>.<route_id>), best effort like job events.
class GhostEventPublisher {
 public:
  virtual ~GhostEventPublisher() = default;
  virtual Status Publish(const domain::GhostEvent& event) = 0;
};

}  // namespace ascension::ports
