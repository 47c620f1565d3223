// The BlazePose person detector: finds the most confident person in a frame and returns its
// alignment keypoints (0 = hip centre, 1 = a point giving body scale and rotation).
#pragma once

#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <span>
#include <vector>

#include "common/status.hpp"
#include "vision/pose/geometry.hpp"
#include "vision/tflite/executor.hpp"

namespace ascension::vision::pose {

// An SSD anchor centre, normalized to the detector input.
struct Anchor {
  float x = 0;
  float y = 0;
};

// The 2254 anchors of the pose detector (strides 8, 16, 32, 32, 32 on a 224 input; layers with the
// same stride share a grid), in the order of the model's outputs.
std::vector<Anchor> PoseDetectorAnchors();

// A decoded detection in normalized coordinates of whatever image it refers to.
struct Detection {
  float score = 0;
  float xmin = 0, ymin = 0, xmax = 0, ymax = 0;
  std::vector<Point> keypoints;
};

// Decodes raw boxes [n,12] and logits [n] into detections scoring at least min_score
// (score = sigmoid(clamp(logit, ±100))), in the detector input's normalized coordinates.
std::vector<Detection> DecodeDetections(std::span<const float> boxes, std::span<const float> logits,
                                        const std::vector<Anchor>& anchors, float min_score);

float IntersectionOverUnion(const Detection& a, const Detection& b);

// MediaPipe's weighted non-maximum suppression: the best detection absorbs every detection
// overlapping it by more than iou_threshold, and its box and keypoints become their score-weighted
// mean (its score is kept). Returns at most max_detections clusters, best first.
std::vector<Detection> WeightedNms(std::vector<Detection> detections, float iou_threshold,
                                   std::size_t max_detections);

// Letterbox padding (normalized, per side) of a w x h image fitted into a square input.
struct Letterbox {
  double pad_x = 0;
  double pad_y = 0;
};
Letterbox SquareLetterbox(int width, int height);
// Maps a detection from the letterboxed input back to the image's normalized coordinates.
Detection RemoveLetterbox(Detection d, const Letterbox& lb);

class PoseDetector {
 public:
  static Result<std::unique_ptr<PoseDetector>> Load(const tflite::Model& model, int threads);

  // Finds the best person in `rgb` (8-bit RGB). Returns no value when nobody scores >= 0.5.
  // Coordinates are normalized to the image.
  Result<std::optional<Detection>> Detect(const cv::Mat& rgb);

  explicit PoseDetector(std::unique_ptr<tflite::Executor> exec);

 private:
  std::unique_ptr<tflite::Executor> exec_;
  std::vector<Anchor> anchors_;
  cv::Mat letterboxed_;
};

}  // namespace ascension::vision::pose
