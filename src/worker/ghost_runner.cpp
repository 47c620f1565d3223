#include "worker/ghost_runner.hpp"

#include "adapters/amqp/topology.hpp"

namespace ascension::worker {

ConsumerSpec GhostPipeline(services::GhostComputation& computation,
                           amqp::AmqpGhostEventPublisher& events, WorkerMetrics& metrics) {
  return PipelineSpec("ghost pipeline", amqp::topology::kGhostQueue,
                      amqp::topology::kGhostRetryQueue, computation, events,
                      [&metrics](const services::Verdict& v) {
                        metrics.JobFinished("ghost_" + v.outcome, v.seconds);
                      });
}

}  // namespace ascension::worker
