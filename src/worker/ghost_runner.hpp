// The ghost pipeline of the worker, the inbound adapter of services::GhostComputation: its own
// RabbitMQ connection (prefetch 1, manual ack) consuming vision.ghost; each delivery is handed to
// GhostComputation and its Verdict carried out (ack after the ghost is stored; the retry copy
// published to vision.ghost.retry with its backoff as per-message TTL, then ack; reject into the
// dead-letter queue; nack back to the queue); ghost events go out on the same connection. One round
// per BackgroundLoop call, as JobRunner.
#pragma once

#include <atomic>
#include <chrono>

#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/job_bus.hpp"
#include "adapters/amqp/url.hpp"
#include "common/stopper.hpp"
#include "services/ghosts.hpp"
#include "worker/worker_metrics.hpp"

namespace ascension::worker {

class GhostRunner {
 public:
  GhostRunner(amqp::Url url, services::GhostComputation& computation,
              amqp::AmqpGhostEventPublisher& events, WorkerMetrics& metrics)
      : url_(std::move(url)), computation_(computation), events_(events), metrics_(metrics) {}

  std::chrono::milliseconds Run(Wakeup& wakeup);
  bool consuming() const { return consuming_.load(); }

 private:
  amqp::Url url_;
  services::GhostComputation& computation_;
  amqp::AmqpGhostEventPublisher& events_;  // bound to this pipeline's connection while consuming
  WorkerMetrics& metrics_;
  std::atomic<bool> consuming_{false};
};

}  // namespace ascension::worker
