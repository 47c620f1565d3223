// BlazePose in VIDEO mode for one person: detect, then track from the previous frame's auxiliary
// landmarks, re-detecting after the pose is lost, with One-Euro smoothing of the output.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "common/status.hpp"
#include "domain/pose.hpp"
#include "vision/pose/detector.hpp"
#include "vision/pose/landmarker.hpp"
#include "vision/pose/one_euro.hpp"

namespace ascension::vision::pose {

class PoseTracker {
 public:
  // The models are borrowed and must outlive the tracker.
  PoseTracker(PoseDetector* detector, LandmarkModel* landmarks);

  // Processes the next frame of a clip (8-bit RGB). Timestamps must increase. On success the frame
  // has detected=false when no pose was found (or presence < 0.5); then the next frame runs the
  // detector again.
  Result<domain::PoseFrame> Process(const cv::Mat& rgb, int frame_index, std::int64_t timestamp_ms);

  // Forgets the tracked person and the smoothing state (call between clips).
  void Reset();

  // Whether the previous frame ended with a tracked pose (the next frame skips the detector).
  bool tracking() const { return roi_.has_value(); }

 private:
  void Smooth(std::span<RawLandmark> landmarks, const Roi& scale_roi, std::int64_t timestamp_us,
              int width, int height);

  PoseDetector* detector_;
  LandmarkModel* landmarks_;
  std::optional<Roi> roi_;
  std::vector<OneEuroFilter> filters_;  // x, y, z per pose landmark
  std::vector<double> visibility_;      // low-pass filtered visibility per landmark
};

}  // namespace ascension::vision::pose
