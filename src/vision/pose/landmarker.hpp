// The BlazePose landmark model: given a frame and a rotated ROI around the person, returns the 33
// pose landmarks plus the 6 auxiliary ones (33 and 34 are the alignment points of the next ROI).
#pragma once

#include <array>
#include <memory>
#include <opencv2/core.hpp>
#include <span>

#include "common/status.hpp"
#include "vision/pose/geometry.hpp"
#include "vision/tflite/executor.hpp"

namespace ascension::vision::pose {

inline constexpr int kModelLandmarks = 39;  // 33 pose + 6 auxiliary

// x, y normalized to the image; z on the scale of x (image width); visibility and presence are
// probabilities.
struct RawLandmark {
  double x = 0, y = 0, z = 0, visibility = 0, presence = 0;
};

struct LandmarkResult {
  double pose_presence = 0;  // probability that a person is in the ROI
  std::array<RawLandmark, kModelLandmarks> landmarks{};
};

// MediaPipe's heatmap refinement, in place, on landmarks in crop coordinates ([0,1]): for each
// landmark, the sigmoid-weighted centroid of a kernel x kernel window of its heatmap channel
// around (int(x*W), int(y*H)) replaces x, y when the window's largest weight is >= min_confidence.
// heatmap is HWC logits with `channels` channels.
void RefineWithHeatmap(std::span<const float> heatmap, int height, int width, int channels,
                       int kernel, double min_confidence, std::span<RawLandmark> landmarks);

class LandmarkModel {
 public:
  static Result<std::unique_ptr<LandmarkModel>> Load(const tflite::Model& model, int threads);

  // Runs the model on the ROI of `rgb` (8-bit RGB, ROI in its pixels). Landmarks come back
  // normalized to the image.
  Result<LandmarkResult> Run(const cv::Mat& rgb, const Roi& roi);

  explicit LandmarkModel(std::unique_ptr<tflite::Executor> exec);

 private:
  std::unique_ptr<tflite::Executor> exec_;
  cv::Mat crop_;
};

}  // namespace ascension::vision::pose
