// Connecting to RabbitMQ with retries: exponential backoff with jitter, so that many processes
// restarting together do not hammer a broker that is coming back.
#pragma once

#include <atomic>
#include <chrono>

#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/url.hpp"
#include "common/status.hpp"

namespace ascension::amqp {

struct RetryPolicy {
  int max_attempts = 0;  // 0: until stopped
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{30000};
  double multiplier = 2.0;
  double jitter = 0.2;  // each delay is scaled by a random factor in [1 - jitter, 1 + jitter]
};

// The delay after failed attempt number `attempt` (1-based): initial * multiplier^(attempt-1),
// capped at max_backoff, then scaled by (1 - jitter + 2 * jitter * unit_random), where
// unit_random is in [0, 1). Never more than max_backoff * (1 + jitter).
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int attempt, double unit_random);

// Opens a Connection, retrying kUnavailable failures per `policy` and logging each failure as a
// JSON line (url without password, attempt, error, next delay). Other errors (bad credentials,
// missing vhost) are returned at once. Returns kUnavailable when attempts run out or when `stop`
// becomes true (checked while sleeping, at least every 100 ms); `stop` may be null.
Result<Connection> ConnectWithRetry(const Url& url, const RetryPolicy& policy,
                                    const std::atomic<bool>* stop,
                                    const ConnectOptions& options = {});

}  // namespace ascension::amqp
