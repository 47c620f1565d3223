// The job-bus ports (ports/job_bus.hpp) over RabbitMQ. Each object belongs to one thread at a
// time, like the Connection it uses.
#pragma once

#include <optional>

#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/url.hpp"
#include "ports/hold_detector.hpp"
#include "ports/job_bus.hpp"

namespace ascension::amqp {

// Publishes outbox messages with publisher confirms over its own connection, opened (with the
// topology declared) on first use and again after it broke: persistent, the outbox row id as
// message id, the priority clamped to the job queue's, `mandatory` on the default exchange (a
// job must land in a queue).
class AmqpJobPublisher final : public ports::JobPublisher {
 public:
  explicit AmqpJobPublisher(Url url, ConnectOptions options = {})
      : url_(std::move(url)), options_(options) {}

  Status Publish(const ports::OutboxMessage& message) override;
  bool connected() const { return conn_ && conn_->is_open(); }

 private:
  Url url_;
  ConnectOptions options_;
  std::optional<Connection> conn_;
};

// Publishes job events (non-persistent, confirmed within 5 s) on a connection owned by the
// caller (a worker pipeline's), bound with Bind() whenever it changes.
class AmqpEventPublisher final : public ports::EventPublisher {
 public:
  void Bind(Connection* conn) { conn_ = conn; }
  Status Publish(const domain::JobEvent& event) override;

 private:
  Connection* conn_ = nullptr;
};

// Publishes route detection events (holds.<kind>.<route_id>) like job events, on a connection
// owned by the caller (a worker holds pipeline's).
class AmqpRouteEventPublisher final : public ports::RouteEventPublisher {
 public:
  void Bind(Connection* conn) { conn_ = conn; }
  Status Publish(const domain::RouteEvent& event) override;

 private:
  Connection* conn_ = nullptr;
};

// Publishes ghost events (ghost.<kind>.<route_id>) like job events, on a connection owned by
// the caller (the worker's ghost pipeline).
class AmqpGhostEventPublisher final : public ports::GhostEventPublisher {
 public:
  void Bind(Connection* conn) { conn_ = conn; }
  Status Publish(const domain::GhostEvent& event) override;

 private:
  Connection* conn_ = nullptr;
};

}  // namespace ascension::amqp
