// The wall without the climber, built from the frames of a climb video: the picture the holds
// are detected on when a route is made from an analysed video.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "common/status.hpp"
#include "domain/pose.hpp"
#include "vision/holds/detector.hpp"
#include "vision/holds/hold.hpp"

namespace ascension::vision::holds {

// The region of the climber's body in a frame of `size`, from the pose: thick segments along the
// limbs (extended past the wrists and ankles for the hands and feet), the torso polygon and the
// head, plus a margin. Empty (all zero) when the pose is not detected. 8-bit, 255 = climber.
// `extra_margin` widens it further on every side, as a fraction of the torso's length.
cv::Mat1b ClimberMask(const domain::PoseFrame& pose, cv::Size size, double extra_margin = 0);

struct WallImageOptions {
  int max_frames = 25;       // frames combined into the median
  double window_s = 12;      // the frames come from this long a stretch around the reference,
                             // spread evenly over it
  double max_shift = 0.25;   // frames the camera moved further from (fraction of the width)
                             // than this are left out
  double min_overlap = 0.6;  // and frames showing less than this fraction of the reference's view
  bool homography = true;    // align by a homography from ORB features (else translation only)
  double near_body = 0.15;   // the climber's region widened by this (torso lengths): the part of
                             // the body the pose misses lies in it
};

struct WallImage {
  cv::Mat3b image;           // the wall, 8-bit BGR, the size of the frames
  cv::Mat1b unseen;          // 255 where every frame had the climber (the reference shows it;
                             // detection should exclude these pixels)
  cv::Mat1b on_body;         // 255 where fewer than max(3, 1/6 of the combined frames) show the
                             // pixel with the climber's widened region (near_body) away from it:
                             // what the median shows there may be a part of the body the pose
                             // misses (a shoe, a glove, a chalk bag), not the wall. Elsewhere the
                             // median is of those frames only.
  int reference_frame = -1;  // index into `frames` of the frame the others were aligned to
  std::int64_t reference_ms = -1;  // its time in the video (its pose's timestamp)
  std::vector<int> used;           // indexes into `frames` combined
  int by_features = 0;             // how many of them were aligned by a homography (the others by a
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

// Removes from `set` the black, white and grey holds of which more than `max_fraction` of the area
// lies in `on_body` (WallImage::on_body, the size of the set's image): where the climber was near
// in nearly every frame, a colourless region is more likely clothes, skin or a shoe than a hold.
// Coloured ones stay: the holds the climber stands and pulls on are near the body in nearly every
// frame too. Returns how many were removed; an empty or wrongly sized mask removes none.
int DropHoldsOnTheBody(HoldSet* set, const cv::Mat1b& on_body, double max_fraction = 0.5);

// Detection on a wall image built from a video: its unseen pixels excluded (with any exclusion
// already in `options`), then the holds on the climber's body dropped (DropHoldsOnTheBody).
// `*dropped` (may be null) gets how many were. Errors: DetectHolds'.
Result<HoldSet> DetectHoldsOnWall(const WallImage& wall, DetectorOptions options,
                                  int* dropped = nullptr);

}  // namespace ascension::vision::holds
