#include "worker/holds_runner.hpp"

#include "adapters/amqp/topology.hpp"

namespace ascension::worker {

ConsumerSpec HoldsPipeline(services::RouteDetection& detection,
                           amqp::AmqpRouteEventPublisher& events, WorkerMetrics& metrics) {
  ConsumerSpec spec;
  spec.name = "holds pipeline";
  spec.queue = amqp::topology::kHoldsQueue;
  spec.retry_queue = amqp::topology::kHoldsRetryQueue;
  spec.bind_events = [&events](amqp::Connection* c) { events.Bind(c); };
  spec.handle = [&detection](const services::Delivery& d) -> services::Verdict {
    return detection.Handle(d);
  };
  spec.finished = [&metrics](const services::Verdict& v) {
    metrics.RouteJobFinished(v.outcome, v.seconds);
  };
  return spec;
}

}  // namespace ascension::worker
