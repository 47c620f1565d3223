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
  ConsumerSpec spec = PipelineSpec(
      "pipeline", amqp::topology::kJobQueue, amqp::topology::kRetryQueue, processing, events,
      [&metrics](const services::Verdict& v) { metrics.JobFinished(v.outcome, v.seconds); });
  spec.log_fields = {{"pipeline", index}};
  spec.in_flight = &metrics.current_jobs();
  return spec;
}

}  // namespace ascension::worker
