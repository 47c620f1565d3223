// The ghost pipeline of the worker: the QueueConsumer spec that makes it the inbound adapter of
// services::GhostComputation on vision.ghost (the retry copy to vision.ghost.retry; ghost events
// on the pipeline's own connection; metrics as ghost_<outcome>).
#pragma once

#include "adapters/amqp/job_bus.hpp"
#include "services/ghosts.hpp"
#include "worker/queue_consumer.hpp"
#include "worker/worker_metrics.hpp"

namespace ascension::worker {

ConsumerSpec GhostPipeline(services::GhostComputation& computation,
                           amqp::AmqpGhostEventPublisher& events, WorkerMetrics& metrics);

}  // namespace ascension::worker
