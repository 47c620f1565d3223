// The wall without the climber, built from the frames of a climb video: the picture the holds
// are detected on when a route is made from an analysed video.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "common/status.hpp"
#include "domain/pose.hpp"

namespace ascension::vision::holds {

// The region of the climber's body in a frame of `size`, from the pose: thick segments along the
// limbs (extended past the wrists and ankles for the hands and feet), the torso polygon and the
// head, plus a margin. Empty (all zero) when the pose is not detected. 8-bit, 255 = climber.
cv::Mat1b ClimberMask(const domain::PoseFrame& pose, cv::Size size);

struct WallImageOptions {
  int max_frames = 25;       // frames combined into the median
  double window_s = 12;      // the frames come from this long a stretch around the reference,
                             // spread evenly over it
  double max_shift = 0.25;   // frames the camera moved further from (fraction of the width)
                             // than this are left out
  double min_overlap = 0.6;  // and frames showing less than this fraction of the reference's view
  bool homography = true;    // align by a homography from ORB features (else translation only)
};

struct WallImage {
  cv::Mat3b image;           // the wall, 8-bit BGR, the size of the frames
  cv::Mat1b unseen;          // 255 where every frame had the climber (the reference shows it;
                             // detection should exclude these pixels)
  int reference_frame = -1;  // index into `frames` of the frame the others were aligned to
  std::vector<int> used;     // indexes into `frames` combined
  int by_features = 0;       // how many of them were aligned by a homography (the others by a
                             // translation)
};

// Builds the wall image from decoded frames (8-bit BGR, one size) and the pose of each frame
// (poses[i] belongs to frames[i]; timestamps from the poses). The reference frame is the one whose
// climber region covers the fewest hold-coloured pixels of the other frames; frames near it in
// time are aligned to it (the camera may be hand-held: a translation found by search, refined to
// a homography from ORB features matched outside the climber and filtered by RANSAC), and each
// pixel is the median of the frames where the climber is not at that pixel. Errors:
// kInvalidArgument when there are no frames, the sizes or types differ, or the counts of frames and
// poses differ.
Result<WallImage> BuildWallImage(const std::vector<cv::Mat>& frames,
                                 const std::vector<domain::PoseFrame>& poses,
                                 const WallImageOptions& options = {});

}  // namespace ascension::vision::holds
