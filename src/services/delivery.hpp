// One message of a job queue as the job services see it (vision.skeleton for JobProcessing,
// vision.holds for RouteDetection), and what the consumer adapter must do with it.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace ascension::services {

struct Delivery {
  std::string body;
  bool redelivered = false;
  // Called every keep_alive_interval during long work (the consumer services its connection).
  std::function<void()> keep_alive{};
};

struct Verdict {
  enum class Action {
    kAck,         // done with it (completed, failed for good, or skipped)
    kRetry,       // publish `retry_body` to the retry queue with `retry_delay`, then ack
    kDeadLetter,  // reject without requeue: it goes to the dead-letter queue
    kRequeue,     // give it back to the queue (shutting down)
  };
  Action action = Action::kAck;
  std::string retry_body;
  std::chrono::milliseconds retry_delay{0};
  // For metrics and logs: completed (detected for routes) | skipped | failed | retried |
  // dead_lettered | interrupted | invalid.
  std::string outcome;
  double seconds = 0;  // time spent
};

}  // namespace ascension::services
