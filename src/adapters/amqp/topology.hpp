// The RabbitMQ names the backend agrees on (DESIGN.md, "RabbitMQ topology"). One place, so the
// API, the worker, the relay and the tests cannot drift apart.
#pragma once

#include <string>
#include <string_view>

namespace ascension::amqp::topology {

// Analysis jobs: durable priority queue, published through the default exchange.
inline constexpr std::string_view kJobQueue = "vision.skeleton";
inline constexpr int kJobQueueMaxPriority = 10;

// Jobs that exhausted their retries (or were rejected without requeue) end up here.
inline constexpr std::string_view kDeadLetterExchange = "ascension.dlx";  // direct
inline constexpr std::string_view kDeadLetterQueue = "vision.skeleton.dead";
inline constexpr std::string_view kDeadLetterRoutingKey = "vision.skeleton.dead";

// Backoff parking lot: a job published here with a per-message `expiration` is dead-lettered
// back to kJobQueue (default exchange) once it expires. Messages expire only at the head of the
// queue, so a job with a long backoff delays shorter ones queued behind it.
inline constexpr std::string_view kRetryQueue = "vision.skeleton.retry";

// Hold detection jobs (routes): their own durable queue with the same rules — a retry queue
// whose messages dead-letter back to it, and a dead-letter queue on the same exchange.
inline constexpr std::string_view kHoldsQueue = "vision.holds";
inline constexpr std::string_view kHoldsRetryQueue = "vision.holds.retry";
inline constexpr std::string_view kHoldsDeadLetterQueue = "vision.holds.dead";
inline constexpr std::string_view kHoldsDeadLetterRoutingKey = "vision.holds.dead";

// Ghost jobs (ghost mode, issue 14): the same rules on their own queues.
inline constexpr std::string_view kGhostQueue = "vision.ghost";
inline constexpr std::string_view kGhostRetryQueue = "vision.ghost.retry";
inline constexpr std::string_view kGhostDeadLetterQueue = "vision.ghost.dead";
inline constexpr std::string_view kGhostDeadLetterRoutingKey = "vision.ghost.dead";

// Job events for the API instances: durable topic exchange.
inline constexpr std::string_view kEventsExchange = "ascension.events";

// The names DeclareTopology() declares. Production uses the defaults; integration tests use
// WithPrefix() so they never touch queues a running worker consumes.
struct Names {
  std::string job_queue{kJobQueue};
  std::string dead_letter_exchange{kDeadLetterExchange};
  std::string dead_letter_queue{kDeadLetterQueue};
  std::string dead_letter_routing_key{kDeadLetterRoutingKey};
  std::string retry_queue{kRetryQueue};
  std::string events_exchange{kEventsExchange};
  std::string holds_queue{kHoldsQueue};
  std::string holds_retry_queue{kHoldsRetryQueue};
  std::string holds_dead_letter_queue{kHoldsDeadLetterQueue};
  std::string holds_dead_letter_routing_key{kHoldsDeadLetterRoutingKey};
  std::string ghost_queue{kGhostQueue};
  std::string ghost_retry_queue{kGhostRetryQueue};
  std::string ghost_dead_letter_queue{kGhostDeadLetterQueue};
  std::string ghost_dead_letter_routing_key{kGhostDeadLetterRoutingKey};

  // Every name prefixed with `prefix` (the routing key too).
  static Names WithPrefix(std::string_view prefix) {
    Names n;
    for (std::string* s :
         {&n.job_queue, &n.dead_letter_exchange, &n.dead_letter_queue, &n.dead_letter_routing_key,
          &n.retry_queue, &n.events_exchange, &n.holds_queue, &n.holds_retry_queue,
          &n.holds_dead_letter_queue, &n.holds_dead_letter_routing_key, &n.ghost_queue,
          &n.ghost_retry_queue, &n.ghost_dead_letter_queue, &n.ghost_dead_letter_routing_key}) {
      *s = std::string(prefix) + *s;
    }
    return n;
  }
};

// Routing keys of job events: "skeleton.<kind>.<job_id>".
inline std::string ProgressKey(std::string_view job_id) {
  return "skeleton.progress." + std::string(job_id);
}
inline std::string CompletedKey(std::string_view job_id) {
  return "skeleton.completed." + std::string(job_id);
}
inline std::string FailedKey(std::string_view job_id) {
  return "skeleton.failed." + std::string(job_id);
}
// Binding key that matches every job event.
inline constexpr std::string_view kAllEventsKey = "skeleton.#";

}  // namespace ascension::amqp::topology
