// One analysis pipeline of the worker, the inbound adapter of JobProcessing: its own RabbitMQ
// connection (prefetch 1, manual ack) consuming vision.skeleton; each delivery is handed to
// JobProcessing and its Verdict carried out (ack; publish the retry copy to the retry queue with
// its backoff as per-message TTL, then ack; reject into the dead-letter queue; or nack back to
// the queue). Heartbeats are serviced while a job runs (Delivery::keep_alive).
//
// Run() is one round for a BackgroundLoop: it connects (retrying with backoff until stopped),
// consumes until the connection breaks or the process stops, and returns; consuming() tells
// /health whether the pipeline is consuming right now.
#pragma once

#include <atomic>
#include <string>

#include "adapters/amqp/job_bus.hpp"
#include "adapters/amqp/url.hpp"
#include "common/stopper.hpp"
#include "common/status.hpp"
#include "services/job_processing.hpp"
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

class JobRunner {
 public:
  JobRunner(int index, amqp::Url url, services::JobProcessing& processing,
            amqp::AmqpEventPublisher& events, WorkerMetrics& metrics)
      : index_(index), url_(std::move(url)), processing_(processing), events_(events), metrics_(metrics) {}

  // One round (see the file comment). Returns the delay before the next round.
  std::chrono::milliseconds Run(Wakeup& wakeup);
  bool consuming() const { return consuming_.load(); }

 private:
  void Carry(amqp::Connection& mq, const amqp::Delivery& d, const services::Verdict& v);

  int index_;
  amqp::Url url_;
  services::JobProcessing& processing_;
  amqp::AmqpEventPublisher& events_;
  WorkerMetrics& metrics_;
  std::atomic<bool> consuming_{false};
};

}  // namespace ascension::worker
