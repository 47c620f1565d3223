#include "worker/job_runner.hpp"

#include <unistd.h>

#include <filesystem>
#include <thread>
#include <tuple>

#include "adapters/amqp/retry.hpp"
#include "adapters/amqp/topology.hpp"
#include "common/log.hpp"
#include "domain/messages.hpp"

namespace ascension::worker {

Result<Job> ParseJob(const std::string& body) {
  auto m = domain::DecodeJob(body);
  if (!m.ok()) return m.status();
  return Job{m->job_id,    m->analysis_id, m->user_id, m->video_url, m->model.empty() ? "heavy" : m->model,
             m->language.value_or("fr"), m->attempt};
}

std::chrono::milliseconds JobRunner::Run(Wakeup& wakeup) {
  struct NotConsuming {
    std::atomic<bool>& flag;
    amqp::AmqpEventPublisher& events;
    ~NotConsuming() {
      flag = false;
      events.Bind(nullptr);
    }
  } guard{consuming_, events_};
  auto mq = amqp::ConnectWithRetry(url_, amqp::RetryPolicy{}, wakeup.stopper().flag());
  if (!mq.ok()) {
    // Stopped, or refused (bad credentials, missing vhost: logged by the retry): try again later.
    if (!wakeup.stopped()) log::Error("cannot connect to rabbitmq", {{"pipeline", index_}, {"error", mq.status().message()}});
    return wakeup.stopped() ? std::chrono::milliseconds(0) : std::chrono::milliseconds(5000);
  }
  if (Status s = mq->DeclareTopology(); !s.ok()) {
    log::Error("cannot declare topology", {{"pipeline", index_}, {"error", s.message()}});
    return std::chrono::seconds(2);
  }
  if (Status s = mq->SetPrefetch(1); !s.ok()) return std::chrono::seconds(1);
  if (auto tag = mq->Consume(amqp::topology::kJobQueue); !tag.ok()) {
    log::Error("cannot consume", {{"pipeline", index_}, {"error", tag.status().message()}});
    return std::chrono::seconds(1);
  }
  events_.Bind(&*mq);
  consuming_ = true;
  log::Info("pipeline consuming", {{"pipeline", index_}, {"queue", std::string(amqp::topology::kJobQueue)}});
  while (!wakeup.stopped()) {
    auto d = mq->Next(std::chrono::milliseconds(500));
    if (!d.ok()) {
      log::Warn("lost rabbitmq, reconnecting", {{"pipeline", index_}, {"error", d.status().message()}});
      return std::chrono::milliseconds(250);
    }
    if (!*d) continue;
    const amqp::Delivery& delivery = **d;
    metrics_.current_jobs().Increment();
    struct Done {
      prometheus::Gauge& g;
      ~Done() { g.Decrement(); }
    } done{metrics_.current_jobs()};
    services::Verdict v =
        processing_.Handle({delivery.body, delivery.redelivered, [&] { (void)mq->KeepAlive(); }});
    metrics_.JobFinished(v.outcome, v.seconds);
    Carry(*mq, delivery, v);
  }
  log::Info("pipeline stopped", {{"pipeline", index_}, {"reason", "shutting down"}});
  return std::chrono::milliseconds(0);
}

void JobRunner::Carry(amqp::Connection& mq, const amqp::Delivery& d, const services::Verdict& v) {
  using Action = services::Verdict::Action;
  Status s;
  switch (v.action) {
    case Action::kAck: s = mq.Ack(d.delivery_tag); break;
    case Action::kDeadLetter: s = mq.Reject(d.delivery_tag, /*requeue=*/false); break;
    case Action::kRequeue: s = mq.Nack(d.delivery_tag, /*requeue=*/true); break;
    case Action::kRetry: {
      amqp::PublishOptions o;
      o.expiration = v.retry_delay;
      o.priority = d.priority;
      Status published = mq.PublishConfirmed("", amqp::topology::kRetryQueue, v.retry_body, o);
      s = published.ok() ? mq.Ack(d.delivery_tag) : mq.Nack(d.delivery_tag, /*requeue=*/true);
      break;
    }
  }
  // A broken connection: the broker redelivers the message; the loop reconnects.
  if (!s.ok()) log::Warn("could not settle the delivery", {{"pipeline", index_}, {"error", s.message()}});
}

}  // namespace ascension::worker
