// The hold-detection pipeline of the worker: the QueueConsumer spec that makes it the inbound
// adapter of services::RouteDetection on vision.holds (ack after the database commit; the retry
// copy to vision.holds.retry; an unreadable job rejected into vision.holds.dead; route events on
// the pipeline's own connection). Heartbeats are serviced while a detection runs.
#pragma once

#include "adapters/amqp/job_bus.hpp"
#include "services/route_detection.hpp"
#include "worker/queue_consumer.hpp"
#include "worker/worker_metrics.hpp"

namespace ascension::worker {

ConsumerSpec HoldsPipeline(services::RouteDetection& detection,
                           amqp::AmqpRouteEventPublisher& events, WorkerMetrics& metrics);

}  // namespace ascension::worker
