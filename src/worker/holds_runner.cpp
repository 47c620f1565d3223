#include "worker/holds_runner.hpp"

#include "adapters/amqp/retry.hpp"
#include "adapters/amqp/topology.hpp"
#include "common/log.hpp"

namespace ascension::worker {

std::chrono::milliseconds HoldsRunner::Run(Wakeup& wakeup) {
  struct NotConsuming {
    std::atomic<bool>& flag;
    amqp::AmqpRouteEventPublisher& events;
    ~NotConsuming() {
      flag = false;
      events.Bind(nullptr);
    }
  } guard{consuming_, events_};
  auto mq = amqp::ConnectWithRetry(url_, amqp::RetryPolicy{}, wakeup.stopper().flag());
  if (!mq.ok()) {
    if (!wakeup.stopped()) {
      log::Error("holds pipeline cannot connect to rabbitmq", {{"error", mq.status().message()}});
    }
    return wakeup.stopped() ? std::chrono::milliseconds(0) : std::chrono::milliseconds(5000);
  }
  if (Status s = mq->DeclareTopology(); !s.ok()) {
    log::Error("holds pipeline cannot declare topology", {{"error", s.message()}});
    return std::chrono::seconds(2);
  }
  if (Status s = mq->SetPrefetch(1); !s.ok()) return std::chrono::seconds(1);
  if (auto tag = mq->Consume(amqp::topology::kHoldsQueue); !tag.ok()) {
    log::Error("holds pipeline cannot consume", {{"error", tag.status().message()}});
    return std::chrono::seconds(1);
  }
  events_.Bind(&*mq);
  consuming_ = true;
  log::Info("holds pipeline consuming", {{"queue", std::string(amqp::topology::kHoldsQueue)}});
  while (!wakeup.stopped()) {
    auto d = mq->Next(std::chrono::milliseconds(500));
    if (!d.ok()) {
      log::Warn("holds pipeline lost rabbitmq, reconnecting", {{"error", d.status().message()}});
      return std::chrono::milliseconds(250);
    }
    if (!*d) continue;
    const amqp::Delivery& delivery = **d;
    services::RouteVerdict v =
        detection_.Handle({delivery.body, delivery.redelivered, [&] { (void)mq->KeepAlive(); }});
    metrics_.RouteJobFinished(v.outcome, v.seconds);
    Carry(*mq, delivery, v);
  }
  log::Info("holds pipeline stopped", {{"reason", "shutting down"}});
  return std::chrono::milliseconds(0);
}

void HoldsRunner::Carry(amqp::Connection& mq, const amqp::Delivery& d,
                        const services::RouteVerdict& v) {
  using Action = services::RouteVerdict::Action;
  Status s;
  switch (v.action) {
    case Action::kAck:
      s = mq.Ack(d.delivery_tag);
      break;
    case Action::kDeadLetter:
      s = mq.Reject(d.delivery_tag, /*requeue=*/false);
      break;
    case Action::kRequeue:
      s = mq.Nack(d.delivery_tag, /*requeue=*/true);
      break;
    case Action::kRetry: {
      amqp::PublishOptions o;
      o.expiration = v.retry_delay;
      Status published = mq.PublishConfirmed("", amqp::topology::kHoldsRetryQueue, v.retry_body, o);
      s = published.ok() ? mq.Ack(d.delivery_tag) : mq.Nack(d.delivery_tag, /*requeue=*/true);
      break;
    }
  }
  if (!s.ok()) log::Warn("could not settle the holds delivery", {{"error", s.message()}});
}

}  // namespace ascension::worker
