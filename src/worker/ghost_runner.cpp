#include "worker/ghost_runner.hpp"

#include "adapters/amqp/topology.hpp"

namespace ascension::worker {

ConsumerSpec GhostPipeline(services::GhostComputation& computation,
                           amqp::AmqpGhostEventPublisher& events, WorkerMetrics& metrics) {
  ConsumerSpec spec;
  spec.name = "ghost pipeline";
  spec.queue = amqp::topology::kGhostQueue;
  spec.retry_queue = amqp::topology::kGhostRetryQueue;
  spec.bind_events = [&events](amqp::Connection* c) { events.Bind(c); };
  spec.handle = [&computation](const services::Delivery& d) { return computation.Handle(d); };
  spec.finished = [&metrics](const services::Verdict& v) {
    metrics.JobFinished("ghost_" + v.outcome, v.seconds);
  };
  return spec;
}

}  // namespace ascension::worker
