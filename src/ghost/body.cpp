#include "ghost/body.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "coaching/anthropometry.hpp"
#include "coaching/thresholds.hpp"

namespace ascension::ghost {
namespace {

namespace anthro = coaching::anthropometry;
using coaching::geometry::ConvexHull;
using coaching::geometry::DistanceToHull;

// Stature fractions of Drillis & Contini (1966; Winter 2009, Fig. 4.1) that the coaching's table
// does not need: hand length (wrist → fingertip), ankle height. The hip width is that of the hip
// joint centres, where BlazePose puts landmarks 23/24: about half the shoulder width (the
// table's 0.191 is the outer, bitrochanteric width); ear-to-ear width (head breadth ≈ 0.08 of
// stature) is for drawing only.
constexpr double kHandLength = 0.108;
constexpr double kAnkleHeight = 0.039;
constexpr double kHipWidth = 0.13;
constexpr double kHeadWidth = 0.08;
// Arm length (shoulder → fingertip) of the table's average body, whose span equals its height.
constexpr double kArmLength = anthro::kUpperArmLength + anthro::kForearmLength + kHandLength;
// The grip point lies half a hand beyond the wrist (middle of the fingers closed on a hold).
constexpr double kGripPerHand = 0.5;
// Limits on root → end distance, as fractions of the straight limb.
constexpr double kArmMaxExtension = 0.985;
constexpr double kLegMaxExtension = 0.97;
constexpr double kArmMinExtension = 0.25;
constexpr double kLegMinExtension = 0.2;
// A foot's ankle rises at most this far (fraction of stature) above the hip midpoint (a high
// step with the knee at the chest).
constexpr double kFootAbovePelvis = 0.1;
// Lock-off strain: a holding hand more than kLockOffFree (of stature) below its shoulder strains
// the arm, fully at kLockOffFree + kLockOffRange.
constexpr double kLockOffFree = 0.15;
constexpr double kLockOffRange = 0.3;
// Span accepted relative to height (ape index); beyond, the profile is taken as a typing error.
constexpr double kMinSpanRatio = 0.8;
constexpr double kMaxSpanRatio = 1.25;

// Preferred bending side of the middle joint (elbow, knee), by limb index.
constexpr std::array<Vec2, kLimbCount> kBendPreference = {Vec2{-0.6, -0.8}, Vec2{0.6, -0.8},
                                                          Vec2{-0.9, 0.45}, Vec2{0.9, 0.45}};

Vec2 Unit(Vec2 v, Vec2 fallback) {
  const double n = Length(v);
  return n > 1e-12 ? (1.0 / n) * v : fallback;
}

struct Chain {
  Vec2 root, mid, end;
};

// Two-bone inverse kinematics from `root` towards `target` with bone lengths a and b: the end
// lands on the target when |target − root| lies in [|a − b|, a + b], else as close as possible.
Chain TwoBone(Vec2 root, Vec2 target, double a, double b, Vec2 preference) {
  const Vec2 delta = target - root;
  const double d = Length(delta);
  const Vec2 u = Unit(delta, Vec2{0, -1});
  const double lo = std::abs(a - b) + 1e-9;
  const double hi = a + b;
  if (d >= hi) return {root, root + a * u, root + hi * u};
  const double dc = std::max(d, lo);
  const double cos_a = std::clamp((a * a + dc * dc - b * b) / (2 * a * dc), -1.0, 1.0);
  const double sin_a = std::sqrt(std::max(0.0, 1 - cos_a * cos_a));
  Vec2 n{-u.y, u.x};
  if (coaching::geometry::Dot(n, preference) < 0) n = -1.0 * n;
  return {root, root + a * (cos_a * u + sin_a * n), root + dc * u};
}

struct TorsoPoints {
  Vec2 up, right;
  Vec2 shoulder_mid, left_shoulder, right_shoulder, left_hip, right_hip, head;
};

TorsoPoints Translated(TorsoPoints p, Vec2 by) {
  p.shoulder_mid = p.shoulder_mid + by;
  p.left_shoulder = p.left_shoulder + by;
  p.right_shoulder = p.right_shoulder + by;
  p.left_hip = p.left_hip + by;
  p.right_hip = p.right_hip + by;
  p.head = p.head + by;
  return p;
}

TorsoPoints Torso(const BodyModel& b, const TorsoPose& t) {
  TorsoPoints p;
  p.up = {std::sin(t.lean), std::cos(t.lean)};
  p.right = {std::cos(t.lean), -std::sin(t.lean)};
  p.shoulder_mid = t.pelvis + b.trunk * p.up;
  p.left_shoulder = p.shoulder_mid - (b.shoulder_width / 2) * p.right;
  p.right_shoulder = p.shoulder_mid + (b.shoulder_width / 2) * p.right;
  p.left_hip = t.pelvis - (b.hip_width / 2) * p.right;
  p.right_hip = t.pelvis + (b.hip_width / 2) * p.right;
  p.head = p.shoulder_mid + b.head_above_shoulders * p.up;
  return p;
}

Vec2 Root(const TorsoPoints& p, Limb limb) {
  switch (limb) {
    case Limb::kLeftHand:
      return p.left_shoulder;
    case Limb::kRightHand:
      return p.right_shoulder;
    case Limb::kLeftFoot:
      return p.left_hip;
    case Limb::kRightFoot:
      return p.right_hip;
  }
  return p.left_shoulder;
}

// Where a limb without an end (absent, or nothing to hold) points: straight down, a little out.
Vec2 HangingEnd(const BodyModel& b, Vec2 root, Limb limb) {
  const double side = (limb == Limb::kLeftHand || limb == Limb::kLeftFoot) ? -1 : 1;
  if (IsHand(limb)) return root + Vec2{side * 0.05 * b.height, -0.95 * b.MaxReach(limb)};
  return root + Vec2{side * 0.02 * b.height, -b.MaxReach(limb)};
}

// The joints of one limb: root, middle (elbow/knee), distal (wrist/ankle) and end (grip/toe).
struct LimbJoints {
  Vec2 root, mid, distal, end;
};

LimbJoints PoseLimb(const BodyModel& b, const TorsoPoints& tp, Limb limb,
                    const std::optional<Vec2>& end) {
  const Vec2 root = Root(tp, limb);
  const Vec2 target = end ? ReachPoint(b, limb, *end) : HangingEnd(b, root, limb);
  const Vec2 pref = kBendPreference[Index(limb)];
  if (IsHand(limb)) {
    const Chain c = TwoBone(root, target, b.upper_arm, b.forearm + b.grip_offset, pref);
    const Vec2 wrist = c.mid + b.forearm * Unit(c.end - c.mid, Vec2{0, -1});
    return {root, c.mid, wrist, c.end};
  }
  const Chain c = TwoBone(root, target, b.thigh, b.leg, pref);
  return {root, c.mid, c.end, c.end - Vec2{0, b.ankle_height}};
}

Vec2 ComFromJoints(const BodyModel& b, const TorsoPoints& tp,
                   const std::array<LimbJoints, kLimbCount>& limbs) {
  const Vec2 hip_mid = 0.5 * (tp.left_hip + tp.right_hip);
  Vec2 sum = anthro::kTrunk.mass_fraction * (0.5 * (hip_mid + tp.shoulder_mid)) +
             anthro::kHeadAndNeck.mass_fraction * tp.head;
  double mass = anthro::kTrunk.mass_fraction + anthro::kHeadAndNeck.mass_fraction;
  for (Limb limb : kLimbs) {
    if (!b.Available(limb)) continue;
    const LimbJoints& j = limbs[Index(limb)];
    const auto& upper = IsHand(limb) ? anthro::kUpperArm : anthro::kThigh;
    const auto& lower = IsHand(limb) ? anthro::kForearmAndHand : anthro::kLegAndFoot;
    sum = sum + upper.mass_fraction * (j.root + upper.com_from_proximal * (j.mid - j.root));
    sum = sum + lower.mass_fraction * (j.mid + lower.com_from_proximal * (j.distal - j.mid));
    mass += upper.mass_fraction + lower.mass_fraction;
  }
  return (1.0 / mass) * sum;
}

std::vector<Vec2> ContactPoints(const LimbEnds& contacts) {
  std::vector<Vec2> pts;
  for (const auto& c : contacts) {
    if (c) pts.push_back(*c);
  }
  return pts;
}

// Strain of one limb at root → end distance d (0 relaxed, 1 at a limit), squared ramps. Arms
// are relaxed nearly straight (hanging on the skeleton, the technique the coaching rewards) and
// strained when bent; legs are relaxed bent and strained near straight or fully folded.
double LimbStrain(const BodyModel& b, Limb limb, double d) {
  if (IsHand(limb)) {
    const double r = d / (b.MaxReach(limb) / kArmMaxExtension);
    const double hi = std::clamp((r - 0.95) / 0.035, 0.0, 1.0);
    const double lo = std::clamp((0.6 - r) / 0.45, 0.0, 1.0);
    return hi * hi + lo * lo;
  }
  const double r = d / (b.MaxReach(limb) / kLegMaxExtension);
  const double hi = std::clamp((r - 0.88) / 0.09, 0.0, 1.0);
  const double lo = std::clamp((0.45 - r) / 0.25, 0.0, 1.0);
  return hi * hi + lo * lo;
}

// Sampling of the torso pose: leans (radians) × a grid over the reachable pelvis box. The planner
// solves many stances coarsely; the ghost's poses are sampled finely, then refined.
constexpr double kFineLeans[] = {-0.36, -0.18, 0.0, 0.18, 0.36};
constexpr double kCoarseLeans[] = {-0.27, 0.0, 0.27};
constexpr int kFineGrid = 5;
constexpr int kCoarseGrid = 4;

struct Candidate {
  TorsoPose torso;
  Vec2 com;
  double strain = 0, balance = 0, objective = 0;
};

// The constraints of one query, with the reach points precomputed.
class Problem {
 public:
  Problem(const BodyModel& body, const StanceQuery& q) : b_(body), q_(q) {
    for (Limb limb : kLimbs) {
      const int i = Index(limb);
      if (q.contacts[i] && body.Available(limb)) {
        active_[i] = true;
        reach_[i] = ReachPoint(body, limb, *q.contacts[i]);
        ends_[i] = q.contacts[i];
      }
    }
    if (q.reach_limb && body.Available(*q.reach_limb)) {
      const int i = Index(*q.reach_limb);
      active_[i] = true;
      reach_[i] = ReachPoint(body, *q.reach_limb, q.reach_target);
      ends_[i] = q.reach_target;
    }
    for (Limb limb : kLimbs) {
      const int i = Index(limb);
      max_reach2_[i] = body.MaxReach(limb) * body.MaxReach(limb);
      min_reach2_[i] = body.MinReach(limb) * body.MinReach(limb);
    }
    const std::vector<Vec2> pts = ContactPoints(contacts());
    hull_ = ConvexHull(pts);
    if (!pts.empty()) {
      x_lo_ = x_hi_ = pts.front().x;
      for (Vec2 p : pts) {
        x_lo_ = std::min(x_lo_, p.x);
        x_hi_ = std::max(x_hi_, p.x);
      }
    }
    x_mid_ = (x_lo_ + x_hi_) / 2;
    x_half_ = (x_hi_ - x_lo_) / 2 + body.support_margin;
    has_contacts_ = !pts.empty();
  }

  const LimbEnds& contacts() const { return q_.contacts; }
  const BodyModel& body() const { return b_; }

  // Bounding box of the pelvis positions allowed by the reach limits at this lean.
  bool Box(double lean, Vec2* lo, Vec2* hi) const {
    *lo = {-1e9, -1e9};
    *hi = {1e9, 1e9};
    bool any = false;
    const TorsoPoints tp = Torso(b_, {{0, 0}, lean});
    for (Limb limb : kLimbs) {
      const int i = Index(limb);
      if (!active_[i]) continue;
      any = true;
      const Vec2 c = reach_[i] - Root(tp, limb);
      const double r = b_.MaxReach(limb);
      lo->x = std::max(lo->x, c.x - r);
      lo->y = std::max(lo->y, c.y - r);
      hi->x = std::min(hi->x, c.x + r);
      hi->y = std::min(hi->y, c.y + r);
    }
    return any && lo->x <= hi->x && lo->y <= hi->y;
  }

  // A pelvis position inside every reach disc when one exists (cyclic projections onto the
  // discs, which are convex), starting from `start`.
  Vec2 Project(double lean, Vec2 start) const {
    const TorsoPoints tp = Torso(b_, {{0, 0}, lean});
    Vec2 p = start;
    for (int iter = 0; iter < 12; ++iter) {
      for (Limb limb : kLimbs) {
        const int i = Index(limb);
        if (!active_[i]) continue;
        const Vec2 c = reach_[i] - Root(tp, limb);
        const double r = b_.MaxReach(limb) * 0.995;
        const Vec2 d = p - c;
        const double n = Length(d);
        if (n > r) p = c + (r / n) * d;
      }
    }
    return p;
  }

  // Evaluates a torso pose: false when it breaks a hard constraint.
  bool Evaluate(const TorsoPose& t, Candidate* out) const {
    return Evaluate(Torso(b_, {{0, 0}, t.lean}), t, out);
  }

  // The same with the torso's points for pelvis (0, 0) at this lean already computed.
  bool Evaluate(const TorsoPoints& at_origin, const TorsoPose& t, Candidate* out) const {
    const TorsoPoints tp = Translated(at_origin, t.pelvis);
    double strain = 0;
    for (Limb limb : kLimbs) {
      const int i = Index(limb);
      if (!active_[i]) continue;
      const Vec2 root = Root(tp, limb);
      const Vec2 v = reach_[i] - root;
      const double d2 = v.x * v.x + v.y * v.y;
      if (d2 > max_reach2_[i] || d2 < min_reach2_[i]) return false;
      const double d = std::sqrt(d2);
      if (!IsHand(limb) && reach_[i].y > t.pelvis.y + kFootAbovePelvis * b_.height) {
        return false;
      }
      strain += LimbStrain(b_, limb, d);
      if (IsHand(limb) && q_.contacts[i]) {
        // Lock-off: a holding hand well below its shoulder carries the body on a bent arm.
        const double lock = std::clamp(
            (root.y - reach_[i].y - kLockOffFree * b_.height) / (kLockOffRange * b_.height), 0.0,
            1.0);
        strain += lock * lock;
      }
    }
    strain += 0.5 * (t.lean / 0.36) * (t.lean / 0.36);
    std::array<LimbJoints, kLimbCount> joints;
    for (Limb limb : kLimbs) joints[Index(limb)] = PoseLimb(b_, tp, limb, ends_[Index(limb)]);
    const Vec2 com = ComFromJoints(b_, tp, joints);
    if (!Supported(com)) return false;
    out->torso = t;
    out->com = com;
    out->strain = strain;
    out->balance = std::min(1.0, std::abs(com.x - x_mid_) / x_half_);
    double objective = strain + out->balance;
    if (q_.near) {
      const double dp = Length(t.pelvis - q_.near->pelvis) / b_.height;
      objective += 4 * dp * dp + 0.5 * std::abs(t.lean - q_.near->lean);
    }
    if (q_.prefer_reach && q_.reach_limb) {
      const double miss =
          Length(ReachPoint(b_, *q_.reach_limb, *q_.prefer_reach) - Root(tp, *q_.reach_limb)) -
          b_.MaxReach(*q_.reach_limb);
      if (miss > 0) objective += 0.5 + miss / b_.height;
    }
    out->objective = objective;
    return true;
  }

  bool Supported(Vec2 com) const {
    if (!has_contacts_) return false;
    if (q_.rule == SupportRule::kPolygon) return DistanceToHull(com, hull_) <= b_.support_margin;
    return com.x >= x_lo_ - b_.support_margin && com.x <= x_hi_ + b_.support_margin;
  }

 private:
  const BodyModel& b_;
  const StanceQuery& q_;
  std::array<bool, kLimbCount> active_{};
  std::array<Vec2, kLimbCount> reach_{};
  LimbEnds ends_{};
  std::array<double, kLimbCount> max_reach2_{}, min_reach2_{};
  std::vector<Vec2> hull_;
  double x_lo_ = 0, x_hi_ = 0, x_mid_ = 0, x_half_ = 1;
  bool has_contacts_ = false;
};

// Calls visit(candidate) for every feasible sample of the lean × pelvis grid (plus one
// projected point per lean).
template <typename Visit>
void Sample(const Problem& problem, bool fine, Visit&& visit) {
  const std::span<const double> leans =
      fine ? std::span<const double>(kFineLeans) : std::span<const double>(kCoarseLeans);
  const int grid = fine ? kFineGrid : kCoarseGrid;
  for (double lean : leans) {
    Vec2 lo, hi;
    if (!problem.Box(lean, &lo, &hi)) continue;
    const Vec2 size = hi - lo;
    const TorsoPoints at_origin = Torso(problem.body(), {{0, 0}, lean});
    Candidate c;
    for (int iy = 0; iy < grid; ++iy) {
      for (int ix = 0; ix < grid; ++ix) {
        const Vec2 p{lo.x + (ix + 0.5) * size.x / grid, lo.y + (iy + 0.5) * size.y / grid};
        if (problem.Evaluate(at_origin, {p, lean}, &c)) visit(c);
      }
    }
    const Vec2 centre = lo + 0.5 * size;
    if (problem.Evaluate(at_origin, {problem.Project(lean, centre), lean}, &c)) visit(c);
  }
}

}  // namespace

std::optional<Limb> ParseLimb(std::string_view name) {
  for (Limb limb : kLimbs) {
    if (name == LimbName(limb)) return limb;
  }
  return std::nullopt;
}

std::string_view LimbConditionText(const std::optional<LimbCondition>& condition) {
  return condition ? domain::LimbConditionName(*condition) : std::string_view("healthy");
}

double BodyModel::MaxReach(Limb limb) const {
  return IsHand(limb) ? (upper_arm + forearm + grip_offset) * kArmMaxExtension
                      : (thigh + leg) * kLegMaxExtension;
}

double BodyModel::MinReach(Limb limb) const {
  return IsHand(limb) ? (upper_arm + forearm + grip_offset) * kArmMinExtension
                      : (thigh + leg) * kLegMinExtension;
}

Result<BodyModel> MakeBodyModel(const ClimberProfile& profile) {
  if (auto error = domain::ValidateProfile(profile)) {
    return InvalidArgument(error->field + ": " + error->message);
  }
  BodyModel b;
  double height_cm = kDefaultHeightCm;
  if (profile.height_cm) {
    height_cm = *profile.height_cm;
    b.height_from_profile = true;
  }
  double span_cm = height_cm;
  if (profile.arm_span_cm) {
    span_cm = *profile.arm_span_cm;
    b.span_from_profile = true;
    const double ratio = span_cm / height_cm;
    if (ratio < kMinSpanRatio || ratio > kMaxSpanRatio) {
      return InvalidArgument("arm_span_cm: the span must be between 80 and 125 % of the height");
    }
  }
  b.limbs = profile.limbs;
  if (!b.Available(Limb::kLeftHand) && !b.Available(Limb::kRightHand)) {
    return InvalidArgument("limbs: at least one arm must be available to climb");
  }
  const double h = height_cm / 100;
  b.height = h;
  b.span = span_cm / 100;
  // The table describes a body whose span equals its height; a different span lengthens or
  // shortens each arm by half the difference, shared in the table's proportions.
  const double arm_scale = 1 + (b.span - h) / (2 * kArmLength * h);
  b.upper_arm = anthro::kUpperArmLength * h * arm_scale;
  b.forearm = anthro::kForearmLength * h * arm_scale;
  b.hand = kHandLength * h * arm_scale;
  b.grip_offset = kGripPerHand * b.hand;
  b.thigh = anthro::kThighLength * h;
  b.leg = anthro::kLegLength * h;
  b.ankle_height = kAnkleHeight * h;
  b.trunk = anthro::kTrunkLength * h;
  b.shoulder_width = anthro::kShouldersPerTrunk * b.trunk;
  b.hip_width = kHipWidth * h;
  b.head_above_shoulders = anthro::kHeadAboveShouldersPerTrunk * b.trunk;
  b.head_width = kHeadWidth * h;
  b.support_margin = coaching::thresholds::kBaseOfSupportMargin * h;
  return b;
}

Vec2 LimbRoot(const BodyModel& body, const TorsoPose& torso, Limb limb) {
  return Root(Torso(body, torso), limb);
}

Vec2 ReachPoint(const BodyModel& body, Limb limb, Vec2 end) {
  return IsHand(limb) ? end : end + Vec2{0, body.ankle_height};
}

Skeleton PoseBody(const BodyModel& body, const TorsoPose& torso, const LimbEnds& ends) {
  using namespace domain;
  const TorsoPoints tp = Torso(body, torso);
  std::array<LimbJoints, kLimbCount> joints;
  for (Limb limb : kLimbs) joints[Index(limb)] = PoseLimb(body, tp, limb, ends[Index(limb)]);
  Skeleton s;
  const auto set = [&](int i, Vec2 p) {
    s.points[i] = p;
    s.present[i] = true;
  };
  set(kNose, tp.head + (0.02 * body.height) * tp.up);
  set(7, tp.head - (body.head_width / 2) * tp.right);
  set(8, tp.head + (body.head_width / 2) * tp.right);
  struct Indices {
    Limb limb;
    int root, mid, distal, end, extra1, extra2;
  };
  // Hands: 15/16 wrist, 19/20 index (the grip), 17/18 pinky, 21/22 thumb. Feet: 27/28 ankle,
  // 31/32 foot index (the toe on the hold), 29/30 heel.
  for (const Indices& ix :
       {Indices{Limb::kLeftHand, kLeftShoulder, kLeftElbow, kLeftWrist, 19, 17, 21},
        Indices{Limb::kRightHand, kRightShoulder, kRightElbow, kRightWrist, 20, 18, 22},
        Indices{Limb::kLeftFoot, kLeftHip, kLeftKnee, kLeftAnkle, 31, 29, -1},
        Indices{Limb::kRightFoot, kRightHip, kRightKnee, kRightAnkle, 32, 30, -1}}) {
    const LimbJoints& j = joints[Index(ix.limb)];
    set(ix.root, j.root);
    if (!body.Available(ix.limb)) continue;
    set(ix.mid, j.mid);
    set(ix.distal, j.distal);
    set(ix.end, j.end);
    if (IsHand(ix.limb)) {
      const Vec2 along = Unit(j.end - j.distal, Vec2{0, -1});
      const Vec2 across{-along.y, along.x};
      set(ix.extra1, j.distal + 0.8 * (j.end - j.distal) + (0.2 * body.hand) * across);
      set(ix.extra2, j.distal + 0.4 * (j.end - j.distal) - (0.2 * body.hand) * across);
    } else {
      set(ix.extra1, j.distal - Vec2{0, 0.5 * body.ankle_height});
    }
  }
  s.com = ComFromJoints(body, tp, joints);
  return s;
}

Vec2 CentreOfMass(const BodyModel& body, const TorsoPose& torso, const LimbEnds& ends) {
  const TorsoPoints tp = Torso(body, torso);
  std::array<LimbJoints, kLimbCount> joints;
  for (Limb limb : kLimbs) joints[Index(limb)] = PoseLimb(body, tp, limb, ends[Index(limb)]);
  return ComFromJoints(body, tp, joints);
}

bool ComSupported(const BodyModel& body, const LimbEnds& contacts, Vec2 com, SupportRule rule) {
  const std::vector<Vec2> pts = ContactPoints(contacts);
  if (pts.empty()) return false;
  if (rule == SupportRule::kPolygon) {
    return DistanceToHull(com, ConvexHull(pts)) <= body.support_margin;
  }
  double lo = pts.front().x, hi = lo;
  for (Vec2 p : pts) {
    lo = std::min(lo, p.x);
    hi = std::max(hi, p.x);
  }
  return com.x >= lo - body.support_margin && com.x <= hi + body.support_margin;
}

double Balance(const BodyModel& body, const LimbEnds& contacts, Vec2 com) {
  const std::vector<Vec2> pts = ContactPoints(contacts);
  if (pts.empty()) return 1;
  double lo = pts.front().x, hi = lo;
  for (Vec2 p : pts) {
    lo = std::min(lo, p.x);
    hi = std::max(hi, p.x);
  }
  const double half = (hi - lo) / 2 + body.support_margin;
  return std::min(1.0, std::abs(com.x - (lo + hi) / 2) / half);
}

std::optional<StanceSolution> SolveStance(const BodyModel& body, const StanceQuery& query) {
  const Problem problem(body, query);
  std::optional<Candidate> best;
  Sample(problem, query.refine, [&](const Candidate& c) {
    if (!best || c.objective < best->objective) best = c;
  });
  if (!best) return std::nullopt;
  if (query.refine) {
    // Pattern search around the best sample (the grid is a fifth of the reachable box): pelvis
    // steps in 8 directions and lean steps, halving the steps each round.
    double step = 0.03 * body.height;
    double lean_step = 0.09;
    for (int round = 0; round < 4; ++round, step /= 2, lean_step /= 2) {
      for (int iter = 0; iter < 3; ++iter) {
        const Candidate centre = *best;
        for (int k = 0; k < 10; ++k) {
          static constexpr int kDx[] = {1, -1, 0, 0, 1, 1, -1, -1, 0, 0};
          static constexpr int kDy[] = {0, 0, 1, -1, 1, -1, 1, -1, 0, 0};
          const double dl = k == 8 ? lean_step : k == 9 ? -lean_step : 0;
          const TorsoPose t{centre.torso.pelvis + Vec2{kDx[k] * step, kDy[k] * step},
                            std::clamp(centre.torso.lean + dl, -0.45, 0.45)};
          Candidate c;
          if (problem.Evaluate(t, &c) && c.objective < best->objective - 1e-9) best = c;
        }
        if (best->objective >= centre.objective - 1e-9) break;
      }
    }
  }
  return StanceSolution{best->torso, best->com, best->strain, best->balance};
}

std::optional<double> ReachShortfall(const BodyModel& body, const LimbEnds& contacts,
                                     SupportRule rule, Limb limb, Vec2 target) {
  StanceQuery q;
  q.contacts = contacts;
  q.contacts[Index(limb)].reset();
  q.rule = rule;
  const Problem problem(body, q);
  const Vec2 reach = ReachPoint(body, limb, target);
  const auto shortfall = [&](const TorsoPose& t) {
    return Length(reach - LimbRoot(body, t, limb)) - body.MaxReach(limb);
  };
  std::optional<TorsoPose> best;
  double best_value = std::numeric_limits<double>::infinity();
  Sample(problem, true, [&](const Candidate& c) {
    const double v = shortfall(c.torso);
    if (v < best_value) {
      best_value = v;
      best = c.torso;
    }
  });
  if (!best) return std::nullopt;
  double step = 0.03 * body.height;
  for (int round = 0; round < 5; ++round, step /= 2) {
    for (int iter = 0; iter < 4; ++iter) {
      const TorsoPose centre = *best;
      const double before = best_value;
      for (int k = 0; k < 10; ++k) {
        static constexpr int kDx[] = {1, -1, 0, 0, 1, 1, -1, -1, 0, 0};
        static constexpr int kDy[] = {0, 0, 1, -1, 1, -1, 1, -1, 0, 0};
        const double dl = k == 8 ? 0.05 : k == 9 ? -0.05 : 0;
        const TorsoPose t{centre.pelvis + Vec2{kDx[k] * step, kDy[k] * step},
                          std::clamp(centre.lean + dl, -0.45, 0.45)};
        Candidate c;
        if (!problem.Evaluate(t, &c)) continue;
        const double v = shortfall(t);
        if (v < best_value - 1e-9) {
          best_value = v;
          best = t;
        }
      }
      if (best_value >= before - 1e-9) break;
    }
  }
  return best_value;
}

}  // namespace ascension::ghost
