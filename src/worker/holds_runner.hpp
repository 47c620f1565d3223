// One hold-detection pipeline of the worker, the inbound adapter of services::RouteDetection:
// its own RabbitMQ connection (prefetch 1, manual ack) consuming vision.holds; each delivery is
// handed to RouteDetection and its verdict carried out like an analysis job's (ack after the
// database commit; the retry copy published to vision.holds.retry with its backoff as
// per-message TTL, then ack; an unreadable job rejected into vision.holds.dead; nack back to the
// queue when stopping). Heartbeats are serviced while a detection runs.
#pragma once

#include <atomic>

#include "adapters/amqp/job_bus.hpp"
#include "adapters/amqp/url.hpp"
#include "common/stopper.hpp"
#include "services/route_detection.hpp"
#include "worker/worker_metrics.hpp"

namespace ascension::worker {

class HoldsRunner {
 public:
  HoldsRunner(amqp::Url url, services::RouteDetection& detection,
              amqp::AmqpRouteEventPublisher& events, WorkerMetrics& metrics)
      : url_(std::move(url)), detection_(detection), events_(events), metrics_(metrics) {}

  // One round for a BackgroundLoop: connect (retrying until stopped), consume until the
  // connection breaks or the process stops. Returns the delay before the next round.
  std::chrono::milliseconds Run(Wakeup& wakeup);
  bool consuming() const { return consuming_.load(); }

 private:
  void Carry(amqp::Connection& mq, const amqp::Delivery& d, const services::RouteVerdict& v);

  amqp::Url url_;
  services::RouteDetection& detection_;
  amqp::AmqpRouteEventPublisher& events_;
  WorkerMetrics& metrics_;
  std::atomic<bool> consuming_{false};
};

}  // namespace ascension::worker
