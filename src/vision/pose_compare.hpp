// How closely two analyses of the same clip agree, frame by frame: ours against MediaPipe's
// reference (the accuracy test), or two of our own runs on differently encoded copies of a clip
// (the noise floor in docs/benchmarks.md). Pure functions over pose sequences.
#pragma once

#include <map>
#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "domain/pose.hpp"

namespace ascension::vision {

struct PoseAgreement {
  int frames = 0;    // frames where both found a pose
  int only_a = 0;    // frames where only `a` found one
  int only_b = 0;    // frames where only `b` found one
  int not_in_b = 0;  // frames of `a` that `b` does not have at all
  int timestamp_mismatches = 0;
  // Image-plane distance of landmarks 11-16 and 23-28, in normalized units.
  double distance_mean = 0, distance_median = 0, distance_p95 = 0;
  // |z_a - z_b| of the same landmarks (z on the scale of x).
  double z_mean = 0, z_median = 0, z_p95 = 0;
  // Joint angles as the result stores them (domain::JointAngles: 3-D, aspect-corrected), degrees.
  double angle3d_mean = 0, angle3d_median = 0;
  // Joint angles in the image plane (JointAngles2D), in degrees.
  double angle2d_mean = 0, angle2d_median = 0;
  // |presence_a - presence_b| of the same landmarks (the model's own output, not smoothed).
  double presence_median = 0, presence_max = 0;
};

// The angles of domain::kJoints in the image plane, in degrees, keyed by vertex: the landmarks'
// x and y in pixels of the upright width x height frame, z left out. The angle a viewer measures
// on the picture, without the noise of z (docs/benchmarks.md, "3-D angles and z"). Empty when the
// frame has no pose or the size is not positive; a joint with a zero-length arm is left out.
std::map<int, double> JointAngles2D(const domain::PoseFrame& frame, int width, int height);

// Compares `b` to `a` on the frames of `a` (by original frame index). `width` x `height` is the
// upright video size (the aspect ratio of the 3-D angles, the pixels of the image-plane ones).
PoseAgreement ComparePoses(const domain::PoseSequence& a, const domain::PoseSequence& b, int width,
                           int height);

// The poses of a result document (ResultJson's format, or MediaPipe's reference file for the
// sample clip, which has the same "frames"/"landmarks" layout): landmarks absent from the
// document are left at zero. Fails with kInvalidArgument on a document of another shape.
Result<domain::PoseSequence> PoseSequenceFromResult(const nlohmann::json& doc);

}  // namespace ascension::vision
