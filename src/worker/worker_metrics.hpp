// The worker's Prometheus metrics: jobs by outcome, job duration, frames analysed per second,
// and the jobs being processed right now.
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
  prometheus::Gauge& current_jobs() { return *current_; }
  std::string Render();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* jobs_;
  prometheus::Histogram* duration_;
  prometheus::Gauge* fps_;
  prometheus::Counter* frames_;
  prometheus::Gauge* current_;
};

}  // namespace ascension::worker
