#include "worker/pose_estimator.hpp"

namespace ascension::worker {

Result<vision::PoseAnalyzer*> VisionPoseEstimator::Analyzer(const std::string& model) {
  auto it = analyzers_.find(model);
  if (it != analyzers_.end()) return it->second.get();
  auto variant = vision::ParseModelVariant(model);
  if (!variant) return InvalidArgument("unknown model " + model);
  vision::AnalyzerOptions o;
  o.models_dir = models_dir_;
  o.model = *variant;
  o.max_duration_s = max_video_seconds_;
  // Segments of the video analysed at once, each by its own single-threaded pipeline (the most
  // frames per core; docs/benchmarks.md).
  o.threads = threads_;
  auto a = vision::PoseAnalyzer::Load(o);
  if (!a.ok()) return a.status();
  auto* raw = a->get();
  analyzers_[model] = std::move(a).value();
  return raw;
}

Result<domain::PoseSequence> VisionPoseEstimator::Estimate(
    const std::filesystem::path& path, std::string_view model,
    const std::function<bool(double)>& progress) {
  auto analyzer = Analyzer(std::string(model));
  if (!analyzer.ok()) return analyzer.status();
  std::string code;
  auto poses = (*analyzer)->Analyze(path.string(), progress, &code);
  if (!poses.ok()) return Status(poses.status().kind(), poses.status().message(), code);
  const auto& t = (*analyzer)->last_timings();
  metrics_.FramesAnalysed(t.frames, t.total_s);
  return poses;
}

}  // namespace ascension::worker
