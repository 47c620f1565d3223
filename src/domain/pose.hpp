// Pose sequences: the contract between the vision pipeline (which produces them) and the
// biomechanics / advice code (which reads them). Plain values, no behaviour.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ascension::domain {

// Number of BlazePose landmarks (MediaPipe indices 0..32).
inline constexpr int kLandmarkCount = 33;

// MediaPipe landmark indices used by the product.
enum LandmarkIndex : int {
  kNose = 0,
  kLeftShoulder = 11,
  kRightShoulder = 12,
  kLeftElbow = 13,
  kRightElbow = 14,
  kLeftWrist = 15,
  kRightWrist = 16,
  kLeftHip = 23,
  kRightHip = 24,
  kLeftKnee = 25,
  kRightKnee = 26,
  kLeftAnkle = 27,
  kRightAnkle = 28,
  kLeftHeel = 29,
  kRightHeel = 30,
  kLeftFootIndex = 31,
  kRightFootIndex = 32,
};

// One landmark. x and y are normalized to the (rotation-corrected) frame: 0..1 left→right and
// top→bottom. z is depth on roughly the same scale as x, smaller = nearer the camera, origin at
// the hips. visibility and presence are probabilities in [0, 1].
struct Landmark {
  double x = 0;
  double y = 0;
  double z = 0;
  double visibility = 0;
  double presence = 0;
};

// The pose in one sampled frame. `frame` is the index of the frame in the original video and
// `timestamp_ms` is int(frame * 1000 / fps). When `detected` is false, `landmarks` is unspecified.
struct PoseFrame {
  int frame = 0;
  std::int64_t timestamp_ms = 0;
  bool detected = false;
  std::array<Landmark, kLandmarkCount> landmarks{};
};

// Facts about the decoded video. width/height are after the rotation metadata was applied
// (what a viewer sees), before any down-scaling for inference.
struct VideoInfo {
  int width = 0;
  int height = 0;
  int rotation_degrees = 0;  // 0, 90, 180 or 270 as stored in the container
  double fps = 0;            // average frame rate of the source
  double duration_s = 0;
  std::int64_t frame_count = 0;
  std::string codec;
};

// A whole analysed clip.
struct PoseSequence {
  VideoInfo video;
  std::string model;  // "lite" | "full" | "heavy"
  std::vector<PoseFrame> frames;
};

}  // namespace ascension::domain
