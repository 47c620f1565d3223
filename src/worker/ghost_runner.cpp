#include "worker/ghost_runner.hpp"

#include "adapters/amqp/retry.hpp"
#include "adapters/amqp/topology.hpp"
#include "common/log.hpp"

namespace ascension::worker {

std::chrono::milliseconds GhostRunner::Run(Wakeup& wakeup) {
  struct NotConsuming {
    std::atomic<bool>& flag;
    amqp::AmqpGhostEventPublisher& events;
    ~NotConsuming() {
      flag = false;
      events.Bind(nullptr);
    }
  } guard{consuming_, events_};
  auto mq = amqp::ConnectWithRetry(url_, amqp::RetryPolicy{}, wakeup.stopper().flag());
  if (!mq.ok()) {
    if (!wakeup.stopped()) {
      log::Error("ghost pipeline cannot connect to rabbitmq", {{"error", mq.status().message()}});
    }
    return wakeup.stopped() ? std::chrono::milliseconds(0) : std::chrono::milliseconds(5000);
  }
  if (Status s = mq->DeclareTopology(); !s.ok()) {
    log::Error("ghost pipeline cannot declare topology", {{"error", s.message()}});
    return std::chrono::seconds(2);
  }
  if (Status s = mq->SetPrefetch(1); !s.ok()) return std::chrono::seconds(1);
  if (auto tag = mq->Consume(amqp::topology::kGhostQueue); !tag.ok()) {
    log::Error("ghost pipeline cannot consume", {{"error", tag.status().message()}});
    return std::chrono::seconds(1);
  }
  events_.Bind(&*mq);
  consuming_ = true;
  log::Info("ghost pipeline consuming", {{"queue", std::string(amqp::topology::kGhostQueue)}});
  using Action = services::Verdict::Action;
  while (!wakeup.stopped()) {
    auto d = mq->Next(std::chrono::milliseconds(500));
    if (!d.ok()) {
      log::Warn("ghost pipeline lost rabbitmq, reconnecting", {{"error", d.status().message()}});
      return std::chrono::milliseconds(250);
    }
    if (!*d) continue;
    const amqp::Delivery& delivery = **d;
    services::Verdict v =
        computation_.Handle({delivery.body, delivery.redelivered, [&] { (void)mq->KeepAlive(); }});
    metrics_.JobFinished("ghost_" + v.outcome, v.seconds);
    Status s;
    switch (v.action) {
      case Action::kAck:
        s = mq->Ack(delivery.delivery_tag);
        break;
      case Action::kDeadLetter:
        s = mq->Reject(delivery.delivery_tag, /*requeue=*/false);
        break;
      case Action::kRequeue:
        s = mq->Nack(delivery.delivery_tag, /*requeue=*/true);
        break;
      case Action::kRetry: {
        amqp::PublishOptions o;
        o.expiration = v.retry_delay;
        Status published =
            mq->PublishConfirmed("", amqp::topology::kGhostRetryQueue, v.retry_body, o);
        s = published.ok() ? mq->Ack(delivery.delivery_tag)
                           : mq->Nack(delivery.delivery_tag, /*requeue=*/true);
        break;
      }
    }
    if (!s.ok()) log::Warn("could not settle the ghost delivery", {{"error", s.message()}});
  }
  return std::chrono::milliseconds(0);
}

}  // namespace ascension::worker
