#include "adapters/amqp/job_bus.hpp"

#include <algorithm>

#include "adapters/amqp/topology.hpp"

namespace ascension::amqp {

Status AmqpJobPublisher::Publish(const ports::OutboxMessage& m) {
  if (!connected()) {
    conn_.reset();
    auto c = Connection::Open(url_, options_);
    if (!c.ok()) return c.status();
    if (Status s = c->DeclareTopology(); !s.ok()) return s;
    conn_.emplace(std::move(c).value());
  }
  PublishOptions po;
  po.persistent = true;
  po.priority = static_cast<uint8_t>(std::clamp(m.priority, 0, topology::kJobQueueMaxPriority));
  po.message_id = std::to_string(m.id);
  po.mandatory = m.exchange.empty();
  return conn_->PublishConfirmed(m.exchange, m.routing_key, m.body, po);
}

Status AmqpEventPublisher::Publish(const domain::JobEvent& event) {
  if (conn_ == nullptr || !conn_->is_open()) return Unavailable("no broker connection for events");
  PublishOptions o;
  o.persistent = false;
  o.confirm_timeout = std::chrono::milliseconds(5000);
  return conn_->PublishConfirmed(topology::kEventsExchange, domain::EventRoutingKey(event),
                                 domain::EncodeEvent(event), o);
}

Status AmqpRouteEventPublisher::Publish(const domain::RouteEvent& event) {
  if (conn_ == nullptr || !conn_->is_open()) return Unavailable("no broker connection for events");
  PublishOptions o;
  o.persistent = false;
  o.confirm_timeout = std::chrono::milliseconds(5000);
  return conn_->PublishConfirmed(topology::kEventsExchange, domain::RouteEventRoutingKey(event),
                                 domain::EncodeRouteEvent(event), o);
}

Status AmqpGhostEventPublisher::Publish(const domain::GhostEvent& event) {
  if (conn_ == nullptr || !conn_->is_open()) return Unavailable("no broker connection for events");
  PublishOptions o;
  o.persistent = false;
  o.confirm_timeout = std::chrono::milliseconds(5000);
  return conn_->PublishConfirmed(topology::kEventsExchange, domain::GhostEventRoutingKey(event),
                                 domain::EncodeGhostEvent(event), o);
}

}  // namespace ascension::amqp
