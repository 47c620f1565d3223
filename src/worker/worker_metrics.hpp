// The worker's Prometheus metrics: jobs by outcome (invalid = a message that could not be read,
// dead-lettered), job duration, frames analysed per second, the jobs being processed right now,
// the pipelines consuming and the pipeline rounds that crashed.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

namespace ascension::worker {

class WorkerMetrics {
 public:
  WorkerMetrics();
  void JobFinished(const std::string& outcome, double seconds);
  void FramesAnalysed(int frames, double seconds);
  // Hold detection jobs (vision.holds) by outcome and their duration.
  void RouteJobFinished(const std::string& outcome, double seconds);
  prometheus::Gauge& current_jobs() { return *current_; }
  // Pipelines consuming their queue now (the /health condition), and rounds that crashed.
  prometheus::Gauge& pipelines_consuming() { return *consuming_; }
  prometheus::Counter& pipeline_crashes() { return *crashes_; }
  std::string Render();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* jobs_;
  prometheus::Histogram* duration_;
  prometheus::Gauge* fps_;
  prometheus::Counter* frames_;
  prometheus::Gauge* current_;
  prometheus::Gauge* consuming_;
  prometheus::Counter* crashes_;
  prometheus::Family<prometheus::Counter>* route_jobs_;
  prometheus::Histogram* route_duration_;
};

}  // namespace ascension::worker
