// The bus's events (ports/event_source.hpp) over RabbitMQ: each subscription is its own
// connection (opened with retries, the topology declared) with a server-named, exclusive,
// auto-delete queue bound to ascension.events with the given keys and consumed without acks;
// the queue disappears with the connection, so each API instance receives every event once.
// A subscription belongs to the thread that reads it, like its Connection.
#pragma once

#include <string>
#include <vector>

#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/url.hpp"
#include "ports/event_source.hpp"

namespace ascension::amqp {

class AmqpEventSource final : public ports::EventSource {
 public:
  AmqpEventSource(Url url, std::vector<std::string> binding_keys)
      : url_(std::move(url)), binding_keys_(std::move(binding_keys)) {}

  // Connects with retries (backoff up to 5 s, so the subscription is back within seconds of
  // the broker), until `stop`.
  Result<std::unique_ptr<ports::EventSubscription>> Subscribe(
      const std::atomic<bool>* stop) override;

 private:
  Url url_;
  std::vector<std::string> binding_keys_;
};

}  // namespace ascension::amqp
