// The analysis pipelines of the worker: the vision.skeleton message as received, and the
// QueueConsumer spec that makes one pipeline the inbound adapter of JobProcessing (in-flight
// gauge, per-outcome metrics, the retry copy to vision.skeleton.retry keeping the job's
// priority). Heartbeats are serviced while a job runs (Delivery::keep_alive).
#pragma once

#include <string>

#include "adapters/amqp/job_bus.hpp"
#include "common/status.hpp"
#include "services/job_processing.hpp"
#include "worker/queue_consumer.hpp"
#include "worker/worker_metrics.hpp"

namespace ascension::worker {

// A vision.skeleton message's fields as received (kept for the job-message tests; the pipeline
// itself reads messages through domain::DecodeJob).
struct Job {
  std::string job_id;
  std::string analysis_id;
  std::string user_id;
  std::string video_url;  // s3://bucket/key
  std::string model;
  std::string language;
  int attempt = 1;
};

// Parses a vision.skeleton message body; kInvalidArgument naming the field when one is missing
// or mistyped. Missing model: heavy; missing language: fr (the DEFAULT_LANGUAGE default).
Result<Job> ParseJob(const std::string& body);

// One analysis pipeline (`index` names it in the log) consuming vision.skeleton for `processing`,
// its events on `events`.
ConsumerSpec AnalysisPipeline(int index, services::JobProcessing& processing,
                              amqp::AmqpEventPublisher& events, WorkerMetrics& metrics);

}  // namespace ascension::worker
