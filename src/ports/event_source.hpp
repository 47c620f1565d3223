// The job bus's events (ascension.events) as the API's events forwarder reads them: one
// subscription of this process to every family (analyses, route detections, ghosts), lost with
// its broker connection. The worker publishes them (ports/job_bus.hpp's event publishers).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/status.hpp"

namespace ascension::ports {

struct BusEvent {
  std::string routing_key;  // e.g. skeleton.progress.<job>, holds.detected.<route>
  std::string body;
};

class EventSubscription {
 public:
  virtual ~EventSubscription() = default;
  // Waits up to `timeout` for the next event; nullopt when none came. An error means the
  // subscription is lost (the broker went away): the caller drops it and subscribes again.
  virtual Result<std::optional<BusEvent>> Next(std::chrono::milliseconds timeout) = 0;
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  // Subscribes, waiting for the broker while it is unreachable until `stop` becomes true
  // (`stop` may be null). An error when stopped, or when the broker refused (bad credentials,
  // the queue could not be declared or consumed).
  virtual Result<std::unique_ptr<EventSubscription>> Subscribe(const std::atomic<bool>* stop) = 0;
};

}  // namespace ascension::ports
