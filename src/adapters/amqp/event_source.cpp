#include "adapters/amqp/event_source.hpp"

#include "adapters/amqp/retry.hpp"
#include "common/log.hpp"

namespace ascension::amqp {
namespace {

class AmqpEventSubscription final : public ports::EventSubscription {
 public:
  explicit AmqpEventSubscription(Connection conn) : conn_(std::move(conn)) {}

  Result<std::optional<ports::BusEvent>> Next(std::chrono::milliseconds timeout) override {
    auto d = conn_.Next(timeout);
    if (!d.ok()) return d.status();
    if (!*d) return std::optional<ports::BusEvent>();
    return std::optional<ports::BusEvent>(
        ports::BusEvent{std::move((*d)->routing_key), std::move((*d)->body)});
  }

 private:
  Connection conn_;
};

}  // namespace

Result<std::unique_ptr<ports::EventSubscription>> AmqpEventSource::Subscribe(
    const std::atomic<bool>* stop) {
  RetryPolicy policy;
  policy.max_backoff = std::chrono::milliseconds(5000);
  auto c = ConnectWithRetry(url_, policy, stop);
  if (!c.ok()) return c.status();
  Status st = c->DeclareTopology();
  auto queue = st.ok() ? c->DeclareEventQueue(binding_keys_) : Result<std::string>(st);
  if (!queue.ok()) {
    return Status(queue.status().kind(),
                  "cannot declare the event queue: " + queue.status().message());
  }
  auto tag = c->Consume(*queue, {.exclusive = true, .no_ack = true});
  if (!tag.ok()) {
    return Status(tag.status().kind(), "cannot consume the event queue: " + tag.status().message());
  }
  log::Info("event queue consumed", {{"queue", *queue}});
  return std::unique_ptr<ports::EventSubscription>(
      std::make_unique<AmqpEventSubscription>(std::move(c).value()));
}

}  // namespace ascension::amqp
