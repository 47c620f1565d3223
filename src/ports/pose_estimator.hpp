// The vision pipeline as the job processing sees it: a video file in, the pose of the climber in
// each sampled frame out.
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include "common/status.hpp"
#include "domain/pose.hpp"

namespace ascension::ports {

class PoseEstimator {
 public:
  virtual ~PoseEstimator() = default;
  // Analyses the video at `path` with `model` (lite|full|heavy). `progress(fraction)` is called
  // now and then from the calling thread; returning false cancels (the result is then an error
  // with code "cancelled"). Failures caused by the input carry the FailureCode name as the
  // Status code ("not_a_video", "video_too_long", "no_climber_found", …); any other failure is
  // transient.
  virtual Result<domain::PoseSequence> Estimate(const std::filesystem::path& path,
                                                std::string_view model,
                                                const std::function<bool(double)>& progress) = 0;
};

}  // namespace ascension::ports
