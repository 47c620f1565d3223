// One consuming pipeline of the worker, the inbound adapter of a job service (JobProcessing on
// vision.skeleton, GhostComputation on vision.ghost, RouteDetection on vision.holds): its own
// RabbitMQ connection (prefetch 1, manual ack), each delivery handed to the service and its
// Verdict carried out — ack after the service has stored its outcome; the retry copy published
// to the pipeline's retry queue with its backoff as per-message TTL (and the message's priority),
// then ack; reject into the dead-letter queue; nack back to the queue when stopping. The
// pipeline's event publisher is bound to the same connection while consuming, and heartbeats are
// serviced while the service works (Delivery::keep_alive).
//
// Run is one round of a BackgroundLoop: connect, declare, consume until stopped or the
// connection is lost; it returns the delay before the next round (reconnect with backoff).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/url.hpp"
#include "common/stopper.hpp"
#include "services/delivery.hpp"

namespace prometheus {
class Gauge;
}

namespace ascension::worker {

struct ConsumerSpec {
  std::string name;  // the pipeline as the log names it ("pipeline", "ghost pipeline")
  nlohmann::json log_fields = nlohmann::json::object();  // added to each of its log lines
  std::string_view queue;                                // consumed
  std::string_view retry_queue;                          // where a kRetry verdict's copy goes
  // The pipeline's event publisher bound to the connection (nullptr when it is gone).
  std::function<void(amqp::Connection*)> bind_events;
  // The job service. Must not throw (the services return errors as verdicts).
  std::function<services::Verdict(const services::Delivery&)> handle;
  // Called with each verdict once the service returned, before it is carried out (metrics).
  std::function<void(const services::Verdict&)> finished;
  prometheus::Gauge* in_flight = nullptr;  // incremented while the service works, when set
};

// The spec every pipeline shares but for its name, queues and what it counts when a job is
// done: `service.Handle(Delivery)` gives the verdict, `events.Bind(Connection*)` puts the
// service's event publisher on the pipeline's connection. The caller adds log fields and the
// in-flight gauge where it has them.
template <typename Service, typename Events>
ConsumerSpec PipelineSpec(std::string name, std::string_view queue, std::string_view retry_queue,
                          Service& service, Events& events,
                          std::function<void(const services::Verdict&)> finished) {
  ConsumerSpec spec;
  spec.name = std::move(name);
  spec.queue = queue;
  spec.retry_queue = retry_queue;
  spec.bind_events = [&events](amqp::Connection* c) { events.Bind(c); };
  spec.handle = [&service](const services::Delivery& d) -> services::Verdict {
    return service.Handle(d);
  };
  spec.finished = std::move(finished);
  return spec;
}

class QueueConsumer {
 public:
  QueueConsumer(amqp::Url url, ConsumerSpec spec) : url_(std::move(url)), spec_(std::move(spec)) {}

  std::chrono::milliseconds Run(Wakeup& wakeup);
  bool consuming() const { return consuming_.load(); }

 private:
  void Carry(amqp::Connection& mq, const amqp::Delivery& d, const services::Verdict& v);
  nlohmann::json Fields(nlohmann::json extra) const;

  amqp::Url url_;
  ConsumerSpec spec_;
  std::atomic<bool> consuming_{false};
};

}  // namespace ascension::worker
