#include "vision/pose/tracker.hpp"

namespace ascension::vision::pose {
namespace {

constexpr double kRoiScale = 1.25;
constexpr double kMinPresence = 0.5;
// MediaPipe's pose landmark smoothing.
constexpr double kMinCutoff = 0.05;
constexpr double kBeta = 80;
constexpr double kDerivativeCutoff = 1;
constexpr double kVisibilityAlpha = 0.1;
constexpr int kAuxCenter = 33;
constexpr int kAuxScale = 34;

Point ToPixels(const RawLandmark& lm, int width, int height) {
  return {lm.x * width, lm.y * height};
}

}  // namespace

PoseTracker::PoseTracker(PoseDetector* detector, LandmarkModel* landmarks)
    : detector_(detector), landmarks_(landmarks) {}

void PoseTracker::Reset() {
  roi_.reset();
  filters_.clear();
  visibility_.clear();
}

void PoseTracker::Smooth(std::span<RawLandmark> lms, const Roi& scale_roi,
                         std::int64_t timestamp_us, int width, int height) {
  if (filters_.empty()) {
    filters_.assign(lms.size() * 3, OneEuroFilter(kMinCutoff, kBeta, kDerivativeCutoff));
    visibility_.clear();
  }
  // Speed is measured relative to the body size (the side of the ROI this frame's auxiliary
  // landmarks give, the one MediaPipe's PoseLandmarker smooths with), so smoothing does not depend
  // on the distance to the camera.
  const double object_scale = (scale_roi.width + scale_roi.height) / 2;
  if (object_scale <= 1e-6) return;
  const double value_scale = 1 / object_scale;
  for (std::size_t i = 0; i < lms.size(); ++i) {
    RawLandmark& lm = lms[i];
    lm.x = filters_[3 * i].Apply(timestamp_us, value_scale, lm.x * width) / width;
    lm.y = filters_[3 * i + 1].Apply(timestamp_us, value_scale, lm.y * height) / height;
    lm.z = filters_[3 * i + 2].Apply(timestamp_us, value_scale, lm.z * width) / width;
  }
  if (visibility_.size() != lms.size()) {
    visibility_.resize(lms.size());
    for (std::size_t i = 0; i < lms.size(); ++i) visibility_[i] = lms[i].visibility;
  } else {
    for (std::size_t i = 0; i < lms.size(); ++i) {
      visibility_[i] =
          kVisibilityAlpha * lms[i].visibility + (1 - kVisibilityAlpha) * visibility_[i];
      lms[i].visibility = visibility_[i];
    }
  }
}

Result<domain::PoseFrame> PoseTracker::Process(const cv::Mat& rgb, int frame_index,
                                               std::int64_t timestamp_ms) {
  domain::PoseFrame frame;
  frame.frame = frame_index;
  frame.timestamp_ms = timestamp_ms;
  const int w = rgb.cols, h = rgb.rows;

  if (!roi_) {
    auto det = detector_->Detect(rgb);
    if (!det.ok()) return det.status();
    if (!det->has_value()) {
      Reset();
      return frame;
    }
    const auto& kp = (*det)->keypoints;
    roi_ =
        RoiFromAlignmentPoints({kp[0].x * w, kp[0].y * h}, {kp[1].x * w, kp[1].y * h}, kRoiScale);
  }
  auto result = landmarks_->Run(rgb, *roi_);
  if (!result.ok()) return result.status();
  if (result->pose_presence < kMinPresence) {
    Reset();
    return frame;
  }
  auto& lms = result->landmarks;
  const Point c = ToPixels(lms[kAuxCenter], w, h), s = ToPixels(lms[kAuxScale], w, h);
  // The next ROI follows the raw (unsmoothed) auxiliary landmarks; it is also the smoothing's
  // scale.
  roi_ = RoiFromAlignmentPoints(c, s, kRoiScale);
  Smooth(std::span<RawLandmark>(lms.data(), domain::kLandmarkCount), *roi_, timestamp_ms * 1000, w,
         h);

  frame.detected = true;
  for (int i = 0; i < domain::kLandmarkCount; ++i) {
    frame.landmarks[i] = {lms[i].x, lms[i].y, lms[i].z, lms[i].visibility, lms[i].presence};
  }
  return frame;
}

}  // namespace ascension::vision::pose
