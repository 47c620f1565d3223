#include "worker/holds_runner.hpp"

#include "adapters/amqp/topology.hpp"

namespace ascension::worker {

ConsumerSpec HoldsPipeline(services::RouteDetection& detection,
                           amqp::AmqpRouteEventPublisher& events, WorkerMetrics& metrics) {
  return PipelineSpec(
      "holds pipeline", amqp::topology::kHoldsQueue, amqp::topology::kHoldsRetryQueue, detection,
      events,
      [&metrics](const services::Verdict& v) { metrics.RouteJobFinished(v.outcome, v.seconds); });
}

}  // namespace ascension::worker
