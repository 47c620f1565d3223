// The pose-estimator port (ports/pose_estimator.hpp) over the vision pipeline: one PoseAnalyzer
// per model, loaded on first use and kept (its own models; `threads` segments of a video analysed at once). Failures of
// the input carry the vision pipeline's code (a FailureCode name, or "cancelled").
#pragma once

#include <map>
#include <memory>
#include <string>

#include "ports/pose_estimator.hpp"
#include "vision/pose_analyzer.hpp"
#include "worker/worker_metrics.hpp"

namespace ascension::worker {

class VisionPoseEstimator final : public ports::PoseEstimator {
 public:
  VisionPoseEstimator(std::string models_dir, double max_video_seconds, int threads,
                      WorkerMetrics& metrics)
      : models_dir_(std::move(models_dir)),
        max_video_seconds_(max_video_seconds),
        threads_(threads),
        metrics_(metrics) {}

  Result<domain::PoseSequence> Estimate(const std::filesystem::path& path, std::string_view model,
                                        const std::function<bool(double)>& progress) override;

 private:
  Result<vision::PoseAnalyzer*> Analyzer(const std::string& model);

  std::string models_dir_;
  double max_video_seconds_;
  int threads_;
  WorkerMetrics& metrics_;
  std::map<std::string, std::unique_ptr<vision::PoseAnalyzer>> analyzers_;
};

}  // namespace ascension::worker
