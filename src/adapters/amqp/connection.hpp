// One AMQP 0-9-1 connection to RabbitMQ with one channel (channel 1), over rabbitmq-c.
//
// Threading: rabbitmq-c is not thread-safe per connection, so a Connection belongs to one thread
// at a time (open one per thread); its own heartbeat thread (below) shares it only under a lock.
// It is movable, not copyable.
//
// Failure model: when the socket fails, the broker closes the connection, or the broker closes
// the channel (e.g. publishing to a missing exchange, acking an unknown tag), the Connection
// becomes broken: that call returns the mapped error and every later call returns kUnavailable.
// The caller drops it and reconnects (see ConnectWithRetry in retry.hpp).
//
// Heartbeats: by default (ConnectOptions::background_heartbeats) a small thread per connection
// services them whenever the owner is not inside a call, so a consumer may hold a delivery for
// as long as its work takes (a worker downloading a large video, then analysing it) without the
// broker closing the connection and redelivering the message. With background_heartbeats off,
// heartbeats are serviced only inside calls, and such a consumer must call KeepAlive() every few
// seconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/amqp/topology.hpp"
#include "adapters/amqp/url.hpp"
#include "common/status.hpp"

namespace ascension::amqp {

struct ConnectOptions {
  std::chrono::seconds heartbeat{30};
  // TCP connect and AMQP handshake limit.
  std::chrono::milliseconds connect_timeout{5000};
  // Limit for each synchronous command (declare, bind, qos, consume); on expiry the connection
  // is closed by rabbitmq-c and the call returns kUnavailable.
  std::chrono::milliseconds rpc_timeout{10000};
  // Service heartbeats from a background thread while the owner is busy elsewhere (see above).
  bool background_heartbeats = true;
};

struct PublishOptions {
  bool persistent = true;                               // delivery-mode 2
  std::optional<uint8_t> priority;                      // 0..kJobQueueMaxPriority on the job queue
  std::optional<std::chrono::milliseconds> expiration;  // per-message TTL
  std::string content_type = "application/json";
  std::string message_id;                      // sent when non-empty
  std::map<std::string, std::string> headers;  // sent as string-valued table entries
  // Ask the broker to return the message when no queue is bound for it; a return fails the
  // publish with kFailedPrecondition. Leave false for events (no listener is not an error).
  bool mandatory = false;
  std::chrono::milliseconds confirm_timeout{10000};
};

struct ConsumeOptions {
  bool exclusive = false;
  bool no_ack = false;  // false: each delivery must be Ack'ed, Nack'ed or Reject'ed
};

struct Delivery {
  std::string body;
  std::string exchange;
  std::string routing_key;
  uint64_t delivery_tag = 0;
  bool redelivered = false;
  std::string message_id;
  std::string content_type;
  std::optional<uint8_t> priority;
  // Scalar header values as text (strings as-is, numbers and booleans formatted); nested tables
  // and arrays (e.g. x-death) are omitted.
  std::map<std::string, std::string> headers;
};

class Connection {
 public:
  // Connects, logs in and opens channel 1. Connection failures (refused, unreachable, timeout)
  // are kUnavailable; bad credentials are kPermissionDenied; a missing vhost kNotFound.
  static Result<Connection> Open(const Url& url, const ConnectOptions& options = {});

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();  // closes channel and connection politely when still open

  // False once the connection is broken (see the file comment).
  bool is_open() const;

  // Declares the whole DESIGN.md topology (see topology.hpp) under `names`. Idempotent. A queue
  // that exists with other arguments fails with kFailedPrecondition (and breaks the connection).
  Status DeclareTopology(const topology::Names& names = {});

  // Declares a server-named, exclusive, auto-delete queue bound to `exchange` (the events
  // exchange) with each binding key, and returns its name. It disappears with this connection.
  Result<std::string> DeclareEventQueue(std::span<const std::string> binding_keys,
                                        std::string_view exchange = topology::kEventsExchange);

  // Deletes a queue or an exchange (tests and admin tasks); missing ones are fine.
  Status DeleteQueue(std::string_view queue);
  Status DeleteExchange(std::string_view exchange);

  // Publishes one message and waits for the broker's confirm. Ok only after basic.ack; a nack or
  // a return (mandatory) is kFailedPrecondition, no confirm within options.confirm_timeout is
  // kUnavailable. The channel switches to confirm mode on the first call.
  Status PublishConfirmed(std::string_view exchange, std::string_view routing_key,
                          std::string_view body, const PublishOptions& options = {});

  // basic.qos: at most `count` unacknowledged deliveries to this channel's consumers.
  Status SetPrefetch(uint16_t count);

  // Starts consuming from `queue`; returns the consumer tag. Deliveries arrive through Next().
  Result<std::string> Consume(std::string_view queue, const ConsumeOptions& options = {});

  // Waits up to `timeout` for the next delivery; nullopt when none arrived in time.
  Result<std::optional<Delivery>> Next(std::chrono::milliseconds timeout);

  Status Ack(uint64_t delivery_tag);
  // Negative acknowledgement: requeue=true puts it back (redelivered=true), false dead-letters.
  Status Nack(uint64_t delivery_tag, bool requeue);
  Status Reject(uint64_t delivery_tag, bool requeue);

  // Services heartbeats and buffers any deliveries without blocking. Call it every few seconds
  // while holding a delivery for a long time.
  Status KeepAlive();

 private:
  struct State;
  explicit Connection(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace ascension::amqp
