#include "worker/queue_consumer.hpp"

#include <prometheus/gauge.h>

#include "adapters/amqp/retry.hpp"
#include "adapters/amqp/topology.hpp"
#include "common/log.hpp"

namespace ascension::worker {

nlohmann::json QueueConsumer::Fields(nlohmann::json extra) const {
  for (const auto& [k, v] : spec_.log_fields.items()) extra[k] = v;
  return extra;
}

std::chrono::milliseconds QueueConsumer::Run(Wakeup& wakeup) {
  struct NotConsuming {
    std::atomic<bool>& flag;
    const std::function<void(amqp::Connection*)>& bind;
    ~NotConsuming() {
      flag = false;
      if (bind) bind(nullptr);
    }
  } guard{consuming_, spec_.bind_events};
  const std::string& name = spec_.name;
  auto mq = amqp::ConnectWithRetry(url_, amqp::RetryPolicy{}, wakeup.stopper().flag());
  if (!mq.ok()) {
    // Stopped, or refused (bad credentials, missing vhost: logged by the retry): try again later.
    if (!wakeup.stopped()) {
      log::Error(name + " cannot connect to rabbitmq", Fields({{"error", mq.status().message()}}));
    }
    return wakeup.stopped() ? std::chrono::milliseconds(0) : std::chrono::milliseconds(5000);
  }
  if (Status s = mq->DeclareTopology(); !s.ok()) {
    log::Error(name + " cannot declare topology", Fields({{"error", s.message()}}));
    return std::chrono::seconds(2);
  }
  if (Status s = mq->SetPrefetch(1); !s.ok()) return std::chrono::seconds(1);
  if (auto tag = mq->Consume(spec_.queue); !tag.ok()) {
    log::Error(name + " cannot consume", Fields({{"error", tag.status().message()}}));
    return std::chrono::seconds(1);
  }
  if (spec_.bind_events) spec_.bind_events(&*mq);
  consuming_ = true;
  log::Info(name + " consuming", Fields({{"queue", std::string(spec_.queue)}}));
  while (!wakeup.stopped()) {
    auto d = mq->Next(std::chrono::milliseconds(500));
    if (!d.ok()) {
      log::Warn(name + " lost rabbitmq, reconnecting", Fields({{"error", d.status().message()}}));
      return std::chrono::milliseconds(250);
    }
    if (!*d) continue;
    const amqp::Delivery& delivery = **d;
    struct InFlight {
      prometheus::Gauge* g;
      explicit InFlight(prometheus::Gauge* gauge) : g(gauge) {
        if (g) g->Increment();
      }
      ~InFlight() {
        if (g) g->Decrement();
      }
      InFlight(const InFlight&) = delete;
      InFlight& operator=(const InFlight&) = delete;
    } in_flight(spec_.in_flight);
    services::Verdict v =
        spec_.handle({delivery.body, delivery.redelivered, [&] { (void)mq->KeepAlive(); }});
    if (spec_.finished) spec_.finished(v);
    Carry(*mq, delivery, v);
  }
  log::Info(name + " stopped", Fields({{"reason", "shutting down"}}));
  return std::chrono::milliseconds(0);
}

void QueueConsumer::Carry(amqp::Connection& mq, const amqp::Delivery& d,
                          const services::Verdict& v) {
  using Action = services::Verdict::Action;
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
      o.priority = d.priority;
      Status published = mq.PublishConfirmed("", spec_.retry_queue, v.retry_body, o);
      s = published.ok() ? mq.Ack(d.delivery_tag) : mq.Nack(d.delivery_tag, /*requeue=*/true);
      break;
    }
  }
  // A broken connection: the broker redelivers the message; the loop reconnects.
  if (!s.ok())
    log::Warn(spec_.name + " could not settle the delivery", Fields({{"error", s.message()}}));
}

}  // namespace ascension::worker
