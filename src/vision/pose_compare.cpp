#include "vision/pose_compare.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <numeric>
#include <string>
#include <vector>

#include "domain/joint_angles.hpp"
#include "vision/pose_analyzer.hpp"

namespace ascension::vision {
namespace {

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
}

double Mean(const std::vector<double>& v) {
  return v.empty() ? NAN : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

bool Number(const nlohmann::json& j, const char* key, double* out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return false;
  *out = it->get<double>();
  return true;
}

}  // namespace

std::map<int, double> JointAngles2D(const domain::PoseFrame& frame, int width, int height) {
  std::map<int, double> out;
  if (!frame.detected || width <= 0 || height <= 0) return out;
  for (const auto& j : domain::kJoints) {
    const auto& v = frame.landmarks[j.vertex];
    const auto& a = frame.landmarks[j.a];
    const auto& b = frame.landmarks[j.b];
    const double ax = (a.x - v.x) * width, ay = (a.y - v.y) * height;
    const double bx = (b.x - v.x) * width, by = (b.y - v.y) * height;
    const double na = std::hypot(ax, ay), nb = std::hypot(bx, by);
    if (!(na > 1e-9) || !(nb > 1e-9)) continue;
    const double c = std::clamp((ax * bx + ay * by) / (na * nb), -1.0, 1.0);
    out[j.vertex] = std::acos(c) * 180 / std::numbers::pi;
  }
  return out;
}

PoseAgreement ComparePoses(const domain::PoseSequence& a, const domain::PoseSequence& b, int width,
                           int height) {
  std::map<int, const domain::PoseFrame*> by_frame;
  for (const auto& f : b.frames) by_frame[f.frame] = &f;
  PoseAgreement r;
  std::vector<double> dist, dz, dp, a3, a2;
  const double aspect = width > 0 && height > 0 ? static_cast<double>(width) / height : 1.0;
  for (const auto& fa : a.frames) {
    const auto it = by_frame.find(fa.frame);
    if (it == by_frame.end()) {
      ++r.not_in_b;
      continue;
    }
    const auto& fb = *it->second;
    if (fa.timestamp_ms != fb.timestamp_ms) ++r.timestamp_mismatches;
    if (fa.detected != fb.detected) {
      ++(fa.detected ? r.only_a : r.only_b);
      continue;
    }
    if (!fa.detected) continue;
    ++r.frames;
    for (int i : kResultLandmarks) {
      const auto& p = fa.landmarks[i];
      const auto& q = fb.landmarks[i];
      dist.push_back(std::hypot(p.x - q.x, p.y - q.y));
      dz.push_back(std::abs(p.z - q.z));
      dp.push_back(std::abs(p.presence - q.presence));
    }
    for (const auto& angle : domain::JointAngles(fa, aspect)) {
      if (const auto o = domain::MeasureJointAngle(fb, angle.joint, aspect)) {
        a3.push_back(std::abs(angle.degrees - o->degrees));
      }
    }
    const auto pa = JointAngles2D(fa, width, height), pb = JointAngles2D(fb, width, height);
    for (const auto& [joint, angle] : pa) {
      if (auto o = pb.find(joint); o != pb.end()) a2.push_back(std::abs(angle - o->second));
    }
  }
  r.distance_mean = Mean(dist);
  r.distance_median = Percentile(dist, 0.5);
  r.distance_p95 = Percentile(dist, 0.95);
  r.z_mean = Mean(dz);
  r.z_median = Percentile(dz, 0.5);
  r.z_p95 = Percentile(dz, 0.95);
  r.angle3d_mean = Mean(a3);
  r.angle3d_median = Percentile(a3, 0.5);
  r.angle2d_mean = Mean(a2);
  r.angle2d_median = Percentile(a2, 0.5);
  r.presence_median = Percentile(dp, 0.5);
  r.presence_max = dp.empty() ? NAN : *std::max_element(dp.begin(), dp.end());
  return r;
}

Result<domain::PoseSequence> PoseSequenceFromResult(const nlohmann::json& doc) {
  if (!doc.is_object() || !doc.contains("frames") || !doc["frames"].is_array()) {
    return InvalidArgument("not a result document: no \"frames\" array");
  }
  domain::PoseSequence seq;
  for (const auto& jf : doc["frames"]) {
    domain::PoseFrame f;
    double frame = 0, ts = 0;
    if (!jf.is_object() || !Number(jf, "frame", &frame) || !Number(jf, "timestamp_ms", &ts)) {
      return InvalidArgument("a frame without frame/timestamp_ms numbers");
    }
    f.frame = static_cast<int>(frame);
    f.timestamp_ms = static_cast<std::int64_t>(ts);
    const auto detected = jf.find("pose_detected");
    f.detected = detected != jf.end() && detected->is_boolean() && detected->get<bool>();
    if (f.detected) {
      const auto lms = jf.find("landmarks");
      if (lms == jf.end() || !lms->is_object()) return InvalidArgument("a pose without landmarks");
      for (const auto& [key, lm] : lms->items()) {
        int index = -1;
        try {
          index = std::stoi(key);
        } catch (const std::exception&) {
          return InvalidArgument("landmark key " + key + " is not a number");
        }
        if (index < 0 || index >= domain::kLandmarkCount || !lm.is_object()) {
          return InvalidArgument("landmark " + key + " out of range");
        }
        auto& l = f.landmarks[index];
        if (!Number(lm, "x", &l.x) || !Number(lm, "y", &l.y) || !Number(lm, "z", &l.z)) {
          return InvalidArgument("landmark " + key + " without x/y/z numbers");
        }
        Number(lm, "pres", &l.presence);
      }
    }
    seq.frames.push_back(f);
  }
  return seq;
}

}  // namespace ascension::vision
