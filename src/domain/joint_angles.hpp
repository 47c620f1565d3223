// The one definition of a joint angle and of a landmark too uncertain to measure. The result
// document's `angles` (what the app draws), the overlay video and the coaching advice all read
// these, so a number the climber sees and a claim made about it can never disagree.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "domain/pose.hpp"

namespace ascension::domain {

// A landmark is measurable when both its visibility (not occluded) and its presence (in the
// frame) reach this probability and its coordinates are finite.
inline constexpr double kMinLandmarkConfidence = 0.5;
bool LandmarkUsable(const Landmark& landmark);

// A joint angle: the angle a–vertex–b. Keyed by the vertex's MediaPipe index.
struct JointDefinition {
  int vertex;
  int a;
  int b;
};
// Shoulders 11/12 (elbow–shoulder–hip), elbows 13/14 (shoulder–elbow–wrist), hips 23/24
// (shoulder–hip–knee), knees 25/26 (hip–knee–ankle): the angles of the result contract.
inline constexpr std::array<JointDefinition, 8> kJoints = {
    {{kLeftShoulder, kLeftElbow, kLeftHip},
     {kRightShoulder, kRightElbow, kRightHip},
     {kLeftElbow, kLeftShoulder, kLeftWrist},
     {kRightElbow, kRightShoulder, kRightWrist},
     {kLeftHip, kLeftShoulder, kLeftKnee},
     {kRightHip, kRightShoulder, kRightKnee},
     {kLeftKnee, kLeftHip, kLeftAnkle},
     {kRightKnee, kRightHip, kRightAnkle}}};
// The definition whose vertex is `vertex`; nullopt for any other index.
std::optional<JointDefinition> FindJoint(int vertex);

// Width over height of the picture as seen (after rotation); 1 when the size is unknown.
double AspectRatio(const VideoInfo& video);

struct JointAngle {
  int joint = 0;       // the vertex's landmark index
  double degrees = 0;  // in [0, 180]; 180 = straight
  // All three landmarks are usable. An uncertain angle is never used by the coaching and is not
  // drawn as a measure (the result lists it apart, for a greyed drawing at most).
  bool certain = false;
};

// The 3-D angle at `joint` (a vertex of kJoints) in degrees. Landmarks are normalized to the
// frame (x by the width, y by the height) and MediaPipe's z is on the scale of x, so x and z are
// multiplied by `aspect` (AspectRatio) before the angle is taken: the angle is the body's, not
// one distorted by a non-square frame. nullopt when the frame has no pose, `joint` is not a
// vertex of kJoints, a coordinate is not finite, or an arm of the angle has zero length.
std::optional<JointAngle> MeasureJointAngle(const PoseFrame& frame, int joint, double aspect);

// MeasureJointAngle for each joint of kJoints, in that order, leaving out those without a value.
std::vector<JointAngle> JointAngles(const PoseFrame& frame, double aspect);

}  // namespace ascension::domain
