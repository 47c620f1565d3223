#include "domain/joint_angles.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ascension::domain {

bool LandmarkUsable(const Landmark& l) {
  return std::isfinite(l.x) && std::isfinite(l.y) && std::isfinite(l.z) &&
         l.visibility >= kMinLandmarkConfidence && l.presence >= kMinLandmarkConfidence;
}

std::optional<JointDefinition> FindJoint(int vertex) {
  for (const JointDefinition& j : kJoints) {
    if (j.vertex == vertex) return j;
  }
  return std::nullopt;
}

double AspectRatio(const VideoInfo& video) {
  if (video.width <= 0 || video.height <= 0) return 1.0;
  return static_cast<double>(video.width) / static_cast<double>(video.height);
}

std::optional<JointAngle> MeasureJointAngle(const PoseFrame& frame, int joint, double aspect) {
  const auto def = FindJoint(joint);
  if (!frame.detected || !def || !std::isfinite(aspect) || aspect <= 0) return std::nullopt;
  const Landmark& v = frame.landmarks[def->vertex];
  const Landmark& a = frame.landmarks[def->a];
  const Landmark& b = frame.landmarks[def->b];
  for (const Landmark* l : {&v, &a, &b}) {
    if (!std::isfinite(l->x) || !std::isfinite(l->y) || !std::isfinite(l->z)) return std::nullopt;
  }
  const double ux = (a.x - v.x) * aspect, uy = a.y - v.y, uz = (a.z - v.z) * aspect;
  const double wx = (b.x - v.x) * aspect, wy = b.y - v.y, wz = (b.z - v.z) * aspect;
  const double nu = std::sqrt(ux * ux + uy * uy + uz * uz);
  const double nw = std::sqrt(wx * wx + wy * wy + wz * wz);
  if (nu < 1e-12 || nw < 1e-12) return std::nullopt;
  const double cosine = std::clamp((ux * wx + uy * wy + uz * wz) / (nu * nw), -1.0, 1.0);
  JointAngle out;
  out.joint = joint;
  out.degrees = std::acos(cosine) * 180.0 / std::numbers::pi;
  out.certain = LandmarkUsable(v) && LandmarkUsable(a) && LandmarkUsable(b);
  return out;
}

std::vector<JointAngle> JointAngles(const PoseFrame& frame, double aspect) {
  std::vector<JointAngle> out;
  for (const JointDefinition& j : kJoints) {
    if (auto angle = MeasureJointAngle(frame, j.vertex, aspect)) out.push_back(*angle);
  }
  return out;
}

}  // namespace ascension::domain
