#include "coaching/biomechanics.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "coaching/anthropometry.hpp"
#include "coaching/geometry.hpp"
#include "coaching/thresholds.hpp"
#include "domain/joint_angles.hpp"

namespace ascension::coaching {

const char* LimbName(Limb limb) {
  switch (limb) {
    case Limb::kLeftHand:
      return "left_hand";
    case Limb::kRightHand:
      return "right_hand";
    case Limb::kLeftFoot:
      return "left_foot";
    case Limb::kRightFoot:
      return "right_foot";
  }
  return "unknown";
}

namespace {

namespace th = thresholds;
namespace an = anthropometry;
using geometry::Vec2;
using geometry::Vec3;

constexpr int kLeftEar = 7;
constexpr int kRightEar = 8;
// End point of each Limb, in Limb order.
constexpr std::array<int, kLimbCount> kLimbEndPoint = {domain::kLeftWrist, domain::kRightWrist,
                                                       domain::kLeftAnkle, domain::kRightAnkle};

// The usable landmarks of one frame in frame-height units: x and z multiplied by width/height.
using Joints = std::array<std::optional<Vec3>, domain::kLandmarkCount>;

template <typename T>
using Series = std::vector<std::optional<T>>;

// The landmarks the whole product treats as measurable (domain::LandmarkUsable).
Joints UsableJoints(const domain::PoseFrame& frame, double aspect) {
  Joints joints{};
  if (!frame.detected) return joints;
  for (int i = 0; i < domain::kLandmarkCount; ++i) {
    const domain::Landmark& l = frame.landmarks[i];
    if (domain::LandmarkUsable(l)) joints[i] = Vec3{l.x * aspect, l.y, l.z * aspect};
  }
  return joints;
}

// The certain elbow angle of `side` (0 left, 1 right): the very number the frame's `angles`
// holds for 13 or 14.
std::optional<double> ElbowAngle(const domain::PoseFrame& frame, int side, double aspect) {
  const auto a = domain::MeasureJointAngle(
      frame, side == 0 ? domain::kLeftElbow : domain::kRightElbow, aspect);
  if (!a || !a->certain) return std::nullopt;
  return a->degrees;
}

// Midpoint of two optional points, or the one that exists.
std::optional<Vec3> Mid(const std::optional<Vec3>& a, const std::optional<Vec3>& b) {
  if (a && b) return 0.5 * (*a + *b);
  return a ? a : b;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Stature in frame heights. Image-plane segment lengths are shortened whenever a limb points
// towards or away from the camera, so each segment type contributes the 90th percentile of its
// lengths over the clip divided by its stature fraction; the median of those estimates resists
// one badly tracked segment. 0 when no segment is ever visible.
double EstimateBodyHeight(const std::vector<Joints>& frames) {
  struct Bone {
    int a;
    int b;
  };
  struct Group {
    std::array<Bone, 2> bones;
    double fraction;
  };
  const std::array<Group, 4> groups = {{
      {{{{domain::kLeftShoulder, domain::kLeftElbow},
         {domain::kRightShoulder, domain::kRightElbow}}},
       an::kUpperArmLength},
      {{{{domain::kLeftElbow, domain::kLeftWrist}, {domain::kRightElbow, domain::kRightWrist}}},
       an::kForearmLength},
      {{{{domain::kLeftHip, domain::kLeftKnee}, {domain::kRightHip, domain::kRightKnee}}},
       an::kThighLength},
      {{{{domain::kLeftKnee, domain::kLeftAnkle}, {domain::kRightKnee, domain::kRightAnkle}}},
       an::kLegLength},
  }};
  auto p90 = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(0.9 * static_cast<double>(v.size() - 1))];
  };
  std::vector<double> estimates;
  for (const Group& g : groups) {
    std::vector<double> lengths;
    for (const Joints& j : frames) {
      for (const Bone& bone : g.bones) {
        if (j[bone.a] && j[bone.b]) lengths.push_back(Norm(Planar(*j[bone.a] - *j[bone.b])));
      }
    }
    if (!lengths.empty()) estimates.push_back(p90(std::move(lengths)) / g.fraction);
  }
  std::vector<double> trunk;
  for (const Joints& j : frames) {
    const auto shoulders = Mid(j[domain::kLeftShoulder], j[domain::kRightShoulder]);
    const auto hips = Mid(j[domain::kLeftHip], j[domain::kRightHip]);
    if (shoulders && hips) trunk.push_back(Norm(Planar(*shoulders - *hips)));
  }
  if (!trunk.empty()) estimates.push_back(p90(std::move(trunk)) / an::kTrunkLength);
  return estimates.empty() ? 0.0 : Median(std::move(estimates));
}

// Centre of mass of the segment model (anthropometry.hpp). Needs at least one shoulder and one
// hip. A limb segment whose distal landmark is missing puts its mass (and the mass of the
// segments beyond it) at its last visible joint, so the total mass stays 1 and the error stays
// within the limb's length; a missing shoulder or hip borrows the other side's.
std::optional<Vec3> CentreOfMass(const Joints& j) {
  const auto shoulders = Mid(j[domain::kLeftShoulder], j[domain::kRightShoulder]);
  const auto hips = Mid(j[domain::kLeftHip], j[domain::kRightHip]);
  if (!shoulders || !hips) return std::nullopt;
  Vec3 sum{};
  auto add = [&sum](double mass, Vec3 p) { sum = sum + mass * p; };
  add(an::kTrunk.mass_fraction, Lerp(*hips, *shoulders, an::kTrunk.com_from_proximal));

  Vec3 head;
  if (const auto ears = Mid(j[kLeftEar], j[kRightEar])) {
    head = *ears;
  } else if (j[domain::kNose]) {
    head = *j[domain::kNose];
  } else {
    head = *shoulders + an::kHeadAboveShouldersPerTrunk * (*shoulders - *hips);
  }
  add(an::kHeadAndNeck.mass_fraction, head);

  auto limb = [&add](Vec3 root, const std::optional<Vec3>& middle, const std::optional<Vec3>& end,
                     an::Segment proximal, an::Segment distal) {
    if (!middle) {
      add(proximal.mass_fraction + distal.mass_fraction, root);
      return;
    }
    add(proximal.mass_fraction, Lerp(root, *middle, proximal.com_from_proximal));
    add(distal.mass_fraction, end ? Lerp(*middle, *end, distal.com_from_proximal) : *middle);
  };
  const auto& ls = j[domain::kLeftShoulder];
  const auto& rs = j[domain::kRightShoulder];
  const auto& lh = j[domain::kLeftHip];
  const auto& rh = j[domain::kRightHip];
  limb(ls ? *ls : *rs, j[domain::kLeftElbow], j[domain::kLeftWrist], an::kUpperArm,
       an::kForearmAndHand);
  limb(rs ? *rs : *ls, j[domain::kRightElbow], j[domain::kRightWrist], an::kUpperArm,
       an::kForearmAndHand);
  limb(lh ? *lh : *rh, j[domain::kLeftKnee], j[domain::kLeftAnkle], an::kThigh, an::kLegAndFoot);
  limb(rh ? *rh : *lh, j[domain::kRightKnee], j[domain::kRightAnkle], an::kThigh, an::kLegAndFoot);
  return sum;
}

// Centred moving average over ±kSmoothingHalfWindowMs. The window is made symmetric (as many
// samples on each side, contiguous and present) so that a uniform motion is left unchanged and
// the ends of the clip are not dragged inwards.
Series<Vec2> Smooth(const Series<Vec2>& s, const std::vector<std::int64_t>& t) {
  Series<Vec2> out(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!s[i]) continue;
    std::size_t left = 0;
    while (left < i && s[i - left - 1] && t[i] - t[i - left - 1] <= th::kSmoothingHalfWindowMs) {
      ++left;
    }
    std::size_t right = 0;
    while (i + right + 1 < s.size() && s[i + right + 1] &&
           t[i + right + 1] - t[i] <= th::kSmoothingHalfWindowMs) {
      ++right;
    }
    const std::size_t k = std::min(left, right);
    Vec2 acc{};
    for (std::size_t m = i - k; m <= i + k; ++m) acc = acc + *s[m];
    out[i] = (1.0 / static_cast<double>(2 * k + 1)) * acc;
  }
  return out;
}

// Time derivative per second: central difference where both neighbours exist, one-sided at
// the edges of present data.
Series<Vec2> Derivative(const Series<Vec2>& s, const std::vector<std::int64_t>& t) {
  Series<Vec2> out(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!s[i]) continue;
    const std::size_t prev = (i > 0 && s[i - 1]) ? i - 1 : i;
    const std::size_t next = (i + 1 < s.size() && s[i + 1]) ? i + 1 : i;
    if (prev == next || t[next] <= t[prev]) continue;
    const double dt = static_cast<double>(t[next] - t[prev]) / 1000.0;
    out[i] = (1.0 / dt) * (*s[next] - *s[prev]);
  }
  return out;
}

Series<double> Magnitude(const Series<Vec2>& s, double scale) {
  Series<double> out(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i]) out[i] = Norm(*s[i]) * scale;
  }
  return out;
}

// Maximal runs of indices where `pred` holds, as [first, last] pairs.
template <typename Pred>
std::vector<std::pair<std::size_t, std::size_t>> Runs(std::size_t n, Pred pred) {
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t i = 0; i < n;) {
    if (!pred(i)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < n && pred(j + 1)) ++j;
    runs.emplace_back(i, j);
    i = j + 1;
  }
  return runs;
}

double Share(int hits, int total) {
  return total == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(total);
}

double Round(double v, double unit) {
  return std::round(v / unit) * unit;
}

// The clip's time series, in frame-height units, shared by the steps of Analyze.
struct Tracks {
  std::size_t n = 0;
  double aspect = 1;  // width / height
  double height = 0;  // body height, fh
  double per_bh = 0;  // 1 / height
  std::vector<Joints> joints;
  std::vector<std::array<std::optional<double>, 2>> elbows;  // certain left, right elbow angles
  std::vector<std::int64_t> t;
  Series<Vec2> com;         // raw centre of mass
  Series<Vec2> com_smooth;  // smoothed, for the path
  Series<double> com_speed;
  Series<double> com_speed_bh;
  Series<double> com_jerk_bh;
  std::array<Series<Vec2>, kLimbCount> limb_pos;  // smoothed end points
  std::array<Series<double>, kLimbCount> limb_speed_bh;

  bool LimbStill(int l, std::size_t i) const {
    return limb_speed_bh[l][i] && *limb_speed_bh[l][i] < th::kLimbStillSpeed;
  }
};

// Centre of mass and limb end points with their derivatives. `tr.joints`, `tr.t` and the
// body height must be set.
void ComputeKinematics(Tracks& tr) {
  const std::size_t n = tr.n;
  tr.com.assign(n, std::nullopt);
  for (std::size_t i = 0; i < n; ++i) {
    if (const auto c = CentreOfMass(tr.joints[i])) tr.com[i] = Planar(*c);
  }
  tr.com_smooth = Smooth(tr.com, tr.t);
  const Series<Vec2> velocity = Derivative(tr.com_smooth, tr.t);
  const Series<Vec2> accel = Derivative(Smooth(velocity, tr.t), tr.t);
  const Series<Vec2> jerk = Derivative(Smooth(accel, tr.t), tr.t);
  tr.com_speed = Magnitude(velocity, 1.0);
  tr.com_speed_bh = Magnitude(velocity, tr.per_bh);
  tr.com_jerk_bh = Magnitude(jerk, tr.per_bh);
  for (int l = 0; l < kLimbCount; ++l) {
    Series<Vec2> raw(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (const auto& p = tr.joints[i][kLimbEndPoint[l]]) raw[i] = Planar(*p);
    }
    tr.limb_pos[l] = Smooth(raw, tr.t);
    tr.limb_speed_bh[l] = Magnitude(Derivative(tr.limb_pos[l], tr.t), tr.per_bh);
  }
}

// Placements, moves and readjustments of each limb; marks FrameMetrics::placed.
void DetectPlacements(const Tracks& tr, Biomechanics& out) {
  ClimbSummary& sum = out.summary;
  const auto& t = tr.t;
  for (int l = 0; l < kLimbCount; ++l) {
    const Limb limb = static_cast<Limb>(l);
    // Index of this limb's previous placement (pointers would dangle as the vector grows).
    std::optional<std::size_t> previous;
    Vec2 previous_pos{};
    for (const auto& [first, last] :
         Runs(tr.n, [&](std::size_t i) { return tr.LimbStill(l, i); })) {
      if (t[last] - t[first] < th::kPlacementMinMs) continue;
      Vec2 acc{};
      for (std::size_t i = first; i <= last; ++i) {
        acc = acc + *tr.limb_pos[l][i];
        out.frames[i].placed[l] = true;
      }
      const Vec2 pos = (1.0 / static_cast<double>(last - first + 1)) * acc;
      out.placements.push_back(
          {limb, first, last, t[first], t[last], Point{pos.x / tr.aspect, pos.y}});
      if (previous) {
        const Placement& from = out.placements[*previous];
        const double distance = Norm(pos - previous_pos) * tr.per_bh;
        const Move move{limb, from.last, first, from.end_ms, t[first], distance};
        if (distance >= th::kMoveMinDistance) {
          out.moves.push_back(move);
          (IsHand(limb) ? sum.hand_moves : sum.foot_moves) += 1;
        } else {
          out.readjustments.push_back(move);
          (IsHand(limb) ? sum.hand_readjustments : sum.foot_readjustments) += 1;
        }
      }
      previous = out.placements.size() - 1;
      previous_pos = pos;
    }
  }
  const auto by_time = [](const Move& a, const Move& b) {
    return a.start_ms < b.start_ms || (a.start_ms == b.start_ms && a.limb < b.limb);
  };
  std::stable_sort(out.moves.begin(), out.moves.end(), by_time);
  std::stable_sort(out.readjustments.begin(), out.readjustments.end(), by_time);
  if (!out.moves.empty()) {
    double total = 0;
    for (const Move& m : out.moves) {
      total += static_cast<double>(m.end_ms - m.start_ms);
      if (IsHand(m.limb))
        sum.longest_hand_move_bh = std::max(sum.longest_hand_move_bh, m.distance_bh);
    }
    sum.mean_move_ms = total / static_cast<double>(out.moves.size());
  }
}

// Per-frame posture and balance measures, stillness, and their summary ratios. Needs the
// placements (com_in_support uses them).
void MeasurePosture(const Tracks& tr, Biomechanics& out) {
  ClimbSummary& sum = out.summary;
  const double margin = th::kBaseOfSupportMargin * tr.height;
  auto depth_weighted = [](Vec3 p) { return Vec3{p.x, p.y, p.z * th::kDepthWeight}; };
  int straight[2] = {0, 0}, elbow_readings[2] = {0, 0};
  int hips_far = 0, hip_readings = 0, over_feet = 0, feet_readings = 0, in_support = 0,
      support_readings = 0;
  double hip_total = 0;
  for (std::size_t i = 0; i < tr.n; ++i) {
    FrameMetrics& m = out.frames[i];
    const Joints& j = tr.joints[i];
    const auto& com = tr.com[i];
    if (com) m.com = Point{com->x / tr.aspect, com->y};
    m.com_speed = tr.com_speed[i];
    m.com_speed_bh = tr.com_speed_bh[i];
    m.com_jerk_bh = tr.com_jerk_bh[i];

    for (int side = 0; side < 2; ++side) {
      const auto& angle = tr.elbows[i][side];
      if (!angle) continue;
      (side == 0 ? m.left_elbow_deg : m.right_elbow_deg) = *angle;
      ++elbow_readings[side];
      if (*angle > th::kStraightElbowDeg) ++straight[side];
    }

    const auto hips = Mid(j[domain::kLeftHip], j[domain::kRightHip]);
    const auto hands = Mid(j[domain::kLeftWrist], j[domain::kRightWrist]);
    const auto feet = Mid(j[domain::kLeftAnkle], j[domain::kRightAnkle]);
    if (hips && hands && feet) {
      const double d = geometry::DistanceToLine(depth_weighted(*hips), depth_weighted(*hands),
                                                depth_weighted(*feet)) *
                       tr.per_bh;
      m.hip_distance_bh = d;
      hip_total += d;
      ++hip_readings;
      if (d > th::kHipsFarDistance) ++hips_far;
    }

    std::optional<double> top_hand, low_foot, feet_min, feet_max;
    for (int w : {domain::kLeftWrist, domain::kRightWrist}) {
      if (j[w]) top_hand = top_hand ? std::min(*top_hand, j[w]->y) : j[w]->y;
    }
    for (int a : {domain::kLeftAnkle, domain::kRightAnkle}) {
      if (!j[a]) continue;
      low_foot = low_foot ? std::max(*low_foot, j[a]->y) : j[a]->y;
      feet_min = feet_min ? std::min(*feet_min, j[a]->x) : j[a]->x;
      feet_max = feet_max ? std::max(*feet_max, j[a]->x) : j[a]->x;
    }
    if (top_hand && low_foot) {
      m.reach_bh = (*low_foot - *top_hand) * tr.per_bh;
      sum.max_reach_bh = std::max(sum.max_reach_bh, *m.reach_bh);
    }
    if (com && feet_min) {
      m.com_over_feet = com->x >= *feet_min - margin && com->x <= *feet_max + margin;
      ++feet_readings;
      if (*m.com_over_feet) ++over_feet;
    }
    if (com) {
      std::vector<Vec2> support;
      for (int l = 0; l < kLimbCount; ++l) {
        if (m.placed[l]) support.push_back(*tr.limb_pos[l][i]);
      }
      m.com_in_support =
          geometry::DistanceToHull(*com, geometry::ConvexHull(std::move(support))) <= margin;
      ++support_readings;
      if (*m.com_in_support) ++in_support;
    }

    bool still = tr.com_speed_bh[i] && *tr.com_speed_bh[i] < th::kBodyStillSpeed;
    for (int l = 0; l < kLimbCount && still; ++l) {
      if (tr.limb_speed_bh[l][i] && !tr.LimbStill(l, i)) still = false;
    }
    m.still = still;
  }
  sum.left_straight_arm_ratio = Share(straight[0], elbow_readings[0]);
  sum.right_straight_arm_ratio = Share(straight[1], elbow_readings[1]);
  sum.hips_far_ratio = Share(hips_far, hip_readings);
  sum.mean_hip_distance_bh = hip_readings == 0 ? 0.0 : hip_total / hip_readings;
  sum.com_over_feet_ratio = Share(over_feet, feet_readings);
  sum.com_in_support_ratio = Share(in_support, support_readings);
}

// How squarely the camera faces the climber's back (ClimbSummary::camera_facing).
double CameraFacing(const std::vector<Joints>& frames) {
  std::vector<double> facing;
  for (const Joints& j : frames) {
    const auto &ls = j[domain::kLeftShoulder], &rs = j[domain::kRightShoulder];
    const auto &lh = j[domain::kLeftHip], &rh = j[domain::kRightHip];
    if (!ls || !rs || !lh || !rh) continue;
    const double trunk = Norm(Planar(0.5 * (*ls + *rs) - 0.5 * (*lh + *rh)));
    if (trunk > 0) facing.push_back(Norm(Planar(*ls - *rs)) / trunk / an::kShouldersPerTrunk);
  }
  return facing.empty() ? 0.0 : std::min(1.0, Median(std::move(facing)));
}

// Pauses and rests from FrameMetrics::still.
void DetectPauses(const Tracks& tr, Biomechanics& out) {
  ClimbSummary& sum = out.summary;
  const auto& t = tr.t;
  for (const auto& [first, last] : Runs(tr.n, [&](std::size_t i) { return out.frames[i].still; })) {
    if (t[last] - t[first] < th::kPauseMinMs) continue;
    int readings = 0, straight_readings = 0;
    for (std::size_t i = first; i <= last; ++i) {
      for (const auto& angle : {out.frames[i].left_elbow_deg, out.frames[i].right_elbow_deg}) {
        if (!angle) continue;
        ++readings;
        if (*angle > th::kStraightElbowDeg) ++straight_readings;
      }
    }
    Pause p{first, last, t[first], t[last], Share(straight_readings, readings), false};
    p.rest = p.end_ms - p.start_ms >= th::kRestMinMs;
    out.pauses.push_back(p);
    ++sum.pause_count;
    if (p.rest) ++sum.rest_count;
    sum.total_pause_ms += p.end_ms - p.start_ms;
    sum.longest_pause_ms = std::max(sum.longest_pause_ms, p.end_ms - p.start_ms);
  }
}

// COM path, speeds and smoothness.
void MeasurePath(const Tracks& tr, ClimbSummary& sum) {
  std::optional<Vec2> first_com, last_com;
  double speed_total = 0;
  int speed_readings = 0;
  for (std::size_t i = 0; i < tr.n; ++i) {
    if (const auto& c = tr.com_smooth[i]) {
      if (last_com) sum.com_path_bh += Norm(*c - *last_com) * tr.per_bh;
      if (!first_com) first_com = c;
      last_com = c;
    }
    if (tr.com_speed[i]) {
      speed_total += *tr.com_speed[i];
      ++speed_readings;
      sum.max_com_speed_bh = std::max(sum.max_com_speed_bh, *tr.com_speed_bh[i]);
    }
  }
  if (first_com) sum.com_displacement_bh = Norm(*last_com - *first_com) * tr.per_bh;
  sum.directness =
      sum.com_path_bh > 0 ? std::min(1.0, sum.com_displacement_bh / sum.com_path_bh) : 0.0;
  sum.mean_com_speed = speed_readings == 0 ? 0.0 : speed_total / speed_readings;
  sum.mean_com_speed_bh = sum.mean_com_speed * tr.per_bh;

  // Smoothness: the jerk frequency sqrt(RMS|jerk| / RMS|speed|) / 2π over the frames where the
  // body moves. For a sinusoidal motion of frequency f it is exactly f; it ignores amplitude and
  // needs no segmentation into movements, which pose noise makes unreliable.
  double jerk2 = 0, speed2 = 0;
  for (std::size_t i = 0; i < tr.n; ++i) {
    const auto& v = tr.com_speed_bh[i];
    const auto& j = tr.com_jerk_bh[i];
    if (v && *v >= th::kBodyStillSpeed && j) {
      jerk2 += *j * *j;
      speed2 += *v * *v;
      ++sum.moving_frames;
    }
  }
  sum.jerk_hz = speed2 > 0 ? std::sqrt(std::sqrt(jerk2 / speed2)) / (2 * std::numbers::pi) : 0.0;
  sum.smoothness = std::clamp(
      (th::kJerkyJerkHz - sum.jerk_hz) / (th::kJerkyJerkHz - th::kSmoothJerkHz), 0.0, 1.0);
}

// How many frames each family of measures rests on (ClimbCoverage).
void MeasureCoverage(const Tracks& tr, Biomechanics& out) {
  ClimbSummary& sum = out.summary;
  ClimbCoverage& c = sum.coverage;
  for (std::size_t i = 0; i < tr.n; ++i) {
    const FrameMetrics& m = out.frames[i];
    const Joints& j = tr.joints[i];
    c.com.frames += m.com ? 1 : 0;
    c.left_elbow.frames += m.left_elbow_deg ? 1 : 0;
    c.right_elbow.frames += m.right_elbow_deg ? 1 : 0;
    c.hips.frames += m.hip_distance_bh ? 1 : 0;
    c.over_feet.frames += m.com_over_feet ? 1 : 0;
    const bool feet = j[domain::kLeftAnkle] && j[domain::kRightAnkle];
    c.both_feet.frames += feet ? 1 : 0;
    c.all_limbs.frames += feet && j[domain::kLeftWrist] && j[domain::kRightWrist] ? 1 : 0;
    c.torso.frames += j[domain::kLeftShoulder] && j[domain::kRightShoulder] &&
                              j[domain::kLeftHip] && j[domain::kRightHip]
                          ? 1
                          : 0;
  }
  // A frame's share of the time on the wall: the frames with a pose cover all of it.
  const double interval = sum.detected_frame_count > 0
                              ? static_cast<double>(sum.duration_ms) / sum.detected_frame_count
                              : 0.0;
  for (Coverage* k : {&c.com, &c.left_elbow, &c.right_elbow, &c.hips, &c.over_feet, &c.both_feet,
                      &c.all_limbs, &c.torso}) {
    k->ms = std::llround(k->frames * interval);
  }
}

std::optional<double> ScoreOf(double share) {
  return Round(std::clamp(100.0 * share, 0.0, 100.0), 0.1);
}

// The indicators and the global score (docs/coaching.md, "Scores"). An indicator whose measures
// do not exist in the clip is left empty rather than scored 0; absent arms do not count.
Scores ComputeScores(const Biomechanics& b, const domain::ClimberProfile& profile) {
  using domain::Indicator;
  const ClimbSummary& sum = b.summary;
  const ClimbCoverage& c = sum.coverage;
  Scores s;
  if (sum.detected_frame_count == 0 || sum.body_height <= 0) return s;

  // Technique: the measured (and present) arms' straight shares, and the hips.
  double arms = 0;
  int arm_count = 0;
  if (c.left_elbow.frames > 0 &&
      profile.condition(domain::BodyLimb::kLeftArm) != domain::LimbCondition::kAbsent) {
    arms += sum.left_straight_arm_ratio;
    ++arm_count;
  }
  if (c.right_elbow.frames > 0 &&
      profile.condition(domain::BodyLimb::kRightArm) != domain::LimbCondition::kAbsent) {
    arms += sum.right_straight_arm_ratio;
    ++arm_count;
  }
  double technique = 0, technique_weight = 0;
  if (arm_count > 0) {
    technique += th::kTechniqueStraightArmWeight * arms / arm_count;
    technique_weight += th::kTechniqueStraightArmWeight;
  }
  if (c.hips.frames > 0) {
    technique += th::kTechniqueHipsCloseWeight * (1 - sum.hips_far_ratio);
    technique_weight += th::kTechniqueHipsCloseWeight;
  }
  if (technique_weight > 0)
    s.indicators.Set(Indicator::kTechnique, ScoreOf(technique / technique_weight));

  if (sum.moving_frames > 0) {
    const double pause_share =
        sum.duration_ms > 0
            ? std::min(1.0, static_cast<double>(sum.total_pause_ms) / sum.duration_ms)
            : 0.0;
    s.indicators.Set(Indicator::kFluidity,
                     ScoreOf(th::kFluiditySmoothnessWeight * sum.smoothness +
                             th::kFluidityContinuityWeight * (1 - pause_share)));
  }
  if (sum.camera_facing >= th::kFrontalViewMin && c.over_feet.frames > 0) {
    s.indicators.Set(Indicator::kStability,
                     ScoreOf(th::kStabilityOverFeetWeight * sum.com_over_feet_ratio +
                             th::kStabilityInSupportWeight * sum.com_in_support_ratio));
  }
  if (sum.com_path_bh > 0) {
    const int placements =
        sum.hand_moves + sum.foot_moves + sum.hand_readjustments + sum.foot_readjustments;
    const double readjusting =
        placements > 0
            ? static_cast<double>(sum.hand_readjustments + sum.foot_readjustments) / placements
            : 0.0;
    s.indicators.Set(Indicator::kEfficiency,
                     ScoreOf(th::kEfficiencyDirectnessWeight * sum.directness +
                             th::kEfficiencyNoReadjustmentWeight * (1 - readjusting)));
  }
  if (!b.moves.empty() && sum.duration_ms > 0) {
    const double tempo = std::clamp(
        (th::kSlowMoveMs - sum.mean_move_ms) / (th::kSlowMoveMs - th::kBriskMoveMs), 0.0, 1.0);
    const double per_min = sum.hand_moves * 60000.0 / static_cast<double>(sum.duration_ms);
    const double rate = std::clamp((per_min - th::kSlowHandMovesPerMin) /
                                       (th::kBriskHandMovesPerMin - th::kSlowHandMovesPerMin),
                                   0.0, 1.0);
    s.indicators.Set(Indicator::kPace,
                     ScoreOf(th::kPaceMoveTimeWeight * tempo + th::kPaceMoveRateWeight * rate));
  }

  const std::array<double, 5> weights = {th::kGlobalTechniqueWeight, th::kGlobalFluidityWeight,
                                         th::kGlobalStabilityWeight, th::kGlobalEfficiencyWeight,
                                         th::kGlobalPaceWeight};
  double total = 0, weight = 0;
  for (Indicator i : domain::kIndicators) {
    if (const auto v = s.indicators.Get(i)) {
      total += weights[static_cast<int>(i)] * *v;
      weight += weights[static_cast<int>(i)];
    }
  }
  if (weight > 0) s.global = Round(total / weight, 0.1);
  return s;
}

// The climber's own scale (ClimberScale), when the profile gives a height.
std::optional<ClimberScale> Scale(const Biomechanics& b, const domain::ClimberProfile& profile) {
  if (!profile.height_cm || b.summary.body_height <= 0) return std::nullopt;
  const ClimbSummary& s = b.summary;
  ClimberScale k;
  k.height_cm = *profile.height_cm;
  k.arm_span_cm = profile.SpanOrHeightCm().value_or(k.height_cm);
  k.span_measured = profile.arm_span_cm.has_value();
  k.com_path_cm = s.com_path_bh * k.height_cm;
  k.mean_com_speed_cm_s = s.mean_com_speed_bh * k.height_cm;
  k.max_com_speed_cm_s = s.max_com_speed_bh * k.height_cm;
  k.mean_hip_distance_cm = s.mean_hip_distance_bh * k.height_cm;
  k.max_reach_cm = s.max_reach_bh * k.height_cm;
  k.longest_hand_move_cm = s.longest_hand_move_bh * k.height_cm;
  k.longest_hand_move_span = k.longest_hand_move_cm / k.arm_span_cm;
  return k;
}

}  // namespace

Biomechanics Analyze(const domain::PoseSequence& poses, const domain::ClimberProfile& profile) {
  Biomechanics out;
  out.profile = profile;
  ClimbSummary& sum = out.summary;
  Tracks tr;
  tr.n = poses.frames.size();
  tr.aspect = domain::AspectRatio(poses.video);
  tr.joints.resize(tr.n);
  tr.elbows.resize(tr.n);
  tr.t.resize(tr.n);
  out.frames.resize(tr.n);
  sum.frame_count = static_cast<int>(tr.n);
  for (std::size_t i = 0; i < tr.n; ++i) {
    const domain::PoseFrame& f = poses.frames[i];
    tr.joints[i] = UsableJoints(f, tr.aspect);
    tr.elbows[i] = {ElbowAngle(f, 0, tr.aspect), ElbowAngle(f, 1, tr.aspect)};
    tr.t[i] = f.timestamp_ms;
    out.frames[i].frame = f.frame;
    out.frames[i].timestamp_ms = f.timestamp_ms;
    if (f.detected) {
      if (sum.detected_frame_count == 0) sum.start_ms = f.timestamp_ms;
      sum.end_ms = f.timestamp_ms;
      ++sum.detected_frame_count;
    }
  }
  sum.duration_ms = sum.end_ms - sum.start_ms;
  tr.height = EstimateBodyHeight(tr.joints);
  sum.body_height = tr.height;
  if (tr.height <= 0) return out;  // no usable pose: measures stay empty
  tr.per_bh = 1.0 / tr.height;

  ComputeKinematics(tr);
  DetectPlacements(tr, out);
  MeasurePosture(tr, out);
  sum.camera_facing = CameraFacing(tr.joints);
  DetectPauses(tr, out);
  MeasurePath(tr, sum);
  MeasureCoverage(tr, out);
  sum.scores = ComputeScores(out, profile);
  out.scale = Scale(out, profile);
  return out;
}

}  // namespace ascension::coaching
