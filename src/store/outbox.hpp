// The outbox relay: publishes rows written by CreateAnalysis / RequeueStuck to RabbitMQ with
// publisher confirms and marks each sent only after the broker confirmed it. Rows are claimed
// with FOR UPDATE SKIP LOCKED, so several relays (one per API instance) never publish the same
// row concurrently. A crash between confirm and commit can publish a row twice; the worker's
// idempotence (skip completed analyses) absorbs that.
#pragma once

#include <functional>
#include <string>

#include "adapters/postgres/connection.hpp"

namespace ascension::store {

struct OutboxMessage {
  std::int64_t id;
  std::string exchange;
  std::string routing_key;
  std::string body;
  int priority;
};

// Publishes one message; returns ok only when the broker confirmed it.
using Publish = std::function<Status(const OutboxMessage&)>;

// Publishes up to `batch` unsent rows in id order. Returns how many were sent; stops at the
// first publish error (returned when nothing could be sent).
Result<int> RelayOutbox(pg::Connection& c, int batch, const Publish& publish);

// Unsent rows (a gauge for /metrics).
Result<int> OutboxBacklog(pg::Connection& c);

}  // namespace ascension::store
