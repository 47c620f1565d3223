// One analysis pipeline of the worker: a thread with its own RabbitMQ connection (prefetch 1,
// manual ack), its own models and a database connection. For each job: mark processing,
// stream the video from S3 to a temporary file, run the vision pipeline and the coaching, store
// the result, publish events, then ack. Failures:
//  - permanent (the input itself is bad): the analysis fails at once with the error code, a
//    skeleton.failed event is published, the message is acked;
//  - transient (storage, database, broker): the job is re-published to the retry queue with an
//    exponential backoff, up to max_attempts; then it fails and is dead-lettered.
// A job for an analysis already completed or failed is acked and skipped (idempotent).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "adapters/amqp/connection.hpp"
#include "adapters/postgres/pool.hpp"
#include "adapters/s3/client.hpp"
#include "common/stopper.hpp"
#include "vision/pose_analyzer.hpp"
#include "worker/config.hpp"
#include "worker/worker_metrics.hpp"

namespace ascension::worker {

struct Job {
  std::string job_id;
  std::string analysis_id;
  std::string user_id;
  std::string video_url;  // s3://bucket/key
  std::string model;
  std::string language;
  int attempt = 1;
};

// Parses a vision.skeleton message body; kInvalidArgument when a field is missing or mistyped.
Result<Job> ParseJob(const std::string& body);

class JobRunner {
 public:
  JobRunner(const WorkerConfig& config, int index, pg::Pool& db, const s3::Client& s3,
            WorkerMetrics& metrics, Stopper& stopper);

  // Consumes until the stopper fires; reconnects to RabbitMQ with backoff.
  void Run();

 private:
  enum class Outcome { kCompleted, kFailedPermanent, kRetry, kSkipped, kInterrupted };
  Outcome Process(amqp::Connection& mq, const Job& job, std::string* error_code, std::string* message);
  void PublishEvent(amqp::Connection& mq, const std::string& routing_key, const nlohmann::json& body);
  Result<vision::PoseAnalyzer*> Analyzer(const std::string& model);

  const WorkerConfig& config_;
  int index_;
  pg::Pool& db_;
  const s3::Client& s3_;
  WorkerMetrics& metrics_;
  Stopper& stopper_;
  std::map<std::string, std::unique_ptr<vision::PoseAnalyzer>> analyzers_;
};

}  // namespace ascension::worker
