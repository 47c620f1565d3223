#include "worker/worker_metrics.hpp"

#include <prometheus/text_serializer.h>

#include <sstream>

#include "common/process_metrics.hpp"

namespace ascension::worker {

WorkerMetrics::WorkerMetrics() : registry_(std::make_shared<prometheus::Registry>()) {
  jobs_ = &prometheus::BuildCounter().Name("worker_jobs_total").Help("Jobs by outcome").Register(*registry_);
  duration_ = &prometheus::BuildHistogram()
                   .Name("worker_job_duration_seconds")
                   .Help("Wall time of one analysis job")
                   .Register(*registry_)
                   .Add({}, prometheus::Histogram::BucketBoundaries{1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 900,
                                                                     1200, 1800});
  fps_ = &prometheus::BuildGauge().Name("worker_frames_per_second").Help("Frames analysed per second in the last job").Register(*registry_).Add({});
  frames_ = &prometheus::BuildCounter().Name("worker_frames_total").Help("Frames analysed").Register(*registry_).Add({});
  current_ = &prometheus::BuildGauge().Name("worker_current_jobs").Help("Jobs being processed now").Register(*registry_).Add({});
  consuming_ = &prometheus::BuildGauge()
                    .Name("worker_pipelines_consuming")
                    .Help("Pipelines consuming the job queue now")
                    .Register(*registry_)
                    .Add({});
  crashes_ = &prometheus::BuildCounter()
                  .Name("worker_pipeline_crashes_total")
                  .Help("Pipeline rounds ended by an unexpected exception (then restarted)")
                  .Register(*registry_)
                  .Add({});
  route_jobs_ = &prometheus::BuildCounter()
                     .Name("worker_route_jobs_total")
                     .Help("Hold detection jobs by outcome")
                     .Register(*registry_);
  route_duration_ = &prometheus::BuildHistogram()
                         .Name("worker_route_job_duration_seconds")
                         .Help("Wall time of one hold detection job")
                         .Register(*registry_)
                         .Add({}, prometheus::Histogram::BucketBoundaries{0.5, 1, 2.5, 5, 10, 30, 60,
                                                                           120, 300});
}

void WorkerMetrics::RouteJobFinished(const std::string& outcome, double seconds) {
  route_jobs_->Add({{"outcome", outcome}}).Increment();
  route_duration_->Observe(seconds);
}

void WorkerMetrics::JobFinished(const std::string& outcome, double seconds) {
  jobs_->Add({{"outcome", outcome}}).Increment();
  duration_->Observe(seconds);
}

void WorkerMetrics::FramesAnalysed(int frames, double seconds) {
  frames_->Increment(frames);
  if (seconds > 0) fps_->Set(frames / seconds);
}

std::string WorkerMetrics::Render() {
  prometheus::TextSerializer s;
  std::ostringstream out;
  s.Serialize(out, registry_->Collect());
  return out.str() + ProcessMetricsText();
}

}  // namespace ascension::worker
