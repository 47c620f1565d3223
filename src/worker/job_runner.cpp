#include "worker/job_runner.hpp"

#include "adapters/amqp/topology.hpp"
#include "domain/messages.hpp"

namespace ascension::worker {

Result<Job> ParseJob(const std::string& body) {
  auto m = domain::DecodeJob(body);
  if (!m.ok()) return m.status();
  return Job{m->job_id,
             m->analysis_id,
             m->user_id,
             m->video_url,
             m->model.empty() ? "heavy" : m->model,
             m->language.value_or("fr"),
             m->attempt};
}

ConsumerSpec AnalysisPipeline(int index, services::JobProcessing& processing,
                              amqp::AmqpEventPublisher& events, WorkerMetrics& metrics) {
  ConsumerSpec spec;
  spec.name = "pipeline";
  spec.log_fields = {{"pipeline", index}};
  spec.queue = amqp::topology::kJobQueue;
  spec.retry_queue = amqp::topology::kRetryQueue;
  spec.bind_events = [&events](amqp::Connection* c) { events.Bind(c); };
  spec.handle = [&processing](const services::Delivery& d) { return processing.Handle(d); };
  spec.finished = [&metrics](const services::Verdict& v) {
    metrics.JobFinished(v.outcome, v.seconds);
  };
  spec.in_flight = &metrics.current_jobs();
  return spec;
}

}  // namespace ascension::worker
