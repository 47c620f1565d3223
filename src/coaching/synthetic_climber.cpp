#include "coaching/synthetic_climber.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace ascension::coaching::testing {
namespace {

Xy Add(Xy a, Xy b) {
  return {a.x + b.x, a.y + b.y};
}

// Joint between `root` and `end` for bones of lengths a and b, bent towards side `outward`
// (-1 left, +1 right in the image); on the straight line when the bones cannot reach.
Xy MiddleJoint(Xy root, Xy end, double a, double b, double outward) {
  const double dx = end.x - root.x;
  const double dy = end.y - root.y;
  const double d = std::hypot(dx, dy);
  if (d == 0) return {root.x + outward * a, root.y};
  const Xy u{dx / d, dy / d};
  if (d >= a + b) return {root.x + a * u.x, root.y + a * u.y};
  const double along = (a * a - b * b + d * d) / (2 * d);
  const double h = std::sqrt(std::max(0.0, a * a - along * along));
  Xy perp{-u.y, u.x};
  if (perp.x * outward < 0) perp = {-perp.x, -perp.y};
  return {root.x + along * u.x + h * perp.x, root.y + along * u.y + h * perp.y};
}

// Deterministic jitter in [-1, 1] from a frame and a landmark index.
double Jitter(int frame, int index, int axis) {
  std::uint32_t h = static_cast<std::uint32_t>(frame) * 2654435761u ^
                    static_cast<std::uint32_t>(index * 3 + axis) * 2246822519u;
  h ^= h >> 15;
  h *= 2654435761u;
  h ^= h >> 13;
  return static_cast<double>(h % 20001) / 10000.0 - 1.0;
}

}  // namespace

domain::PoseFrame Render(const ClimberState& s, int frame, double fps, double noise) {
  domain::PoseFrame f;
  f.frame = frame;
  f.timestamp_ms = static_cast<std::int64_t>(frame * 1000 / fps);
  f.detected = true;
  auto set = [&](int index, Xy p, double z) {
    f.landmarks[index] = {p.x + noise * Jitter(frame, index, 0),
                          p.y + noise * Jitter(frame, index, 1), z, 1.0, 1.0};
  };
  const double bz = s.body_z;
  const Xy lh = Add(s.hips, {-kHalfHips, 0});
  const Xy rh = Add(s.hips, {kHalfHips, 0});
  const Xy shoulders = Add(s.hips, {0, -kTrunk});
  const Xy ls = Add(shoulders, {-kHalfShoulders, 0});
  const Xy rs = Add(shoulders, {kHalfShoulders, 0});
  set(domain::kNose, Add(shoulders, {0, -0.06}), bz);
  set(7, Add(shoulders, {-0.02, -0.065}), bz);
  set(8, Add(shoulders, {0.02, -0.065}), bz);
  set(domain::kLeftShoulder, ls, bz);
  set(domain::kRightShoulder, rs, bz);
  set(domain::kLeftHip, lh, bz);
  set(domain::kRightHip, rh, bz);
  set(domain::kLeftWrist, s.limbs[0], 0);
  set(domain::kRightWrist, s.limbs[1], 0);
  set(domain::kLeftAnkle, s.limbs[2], 0);
  set(domain::kRightAnkle, s.limbs[3], 0);
  set(domain::kLeftElbow, MiddleJoint(ls, s.limbs[0], kUpperArm, kForearm, -1), bz / 2);
  set(domain::kRightElbow, MiddleJoint(rs, s.limbs[1], kUpperArm, kForearm, 1), bz / 2);
  set(domain::kLeftKnee, MiddleJoint(lh, s.limbs[2], kThigh, kShank, -1), bz / 2);
  set(domain::kRightKnee, MiddleJoint(rh, s.limbs[3], kThigh, kShank, 1), bz / 2);
  return f;
}

domain::PoseSequence Sample(const std::function<ClimberState(double)>& pose, double seconds,
                            double fps, double noise) {
  domain::PoseSequence seq;
  seq.model = "synthetic";
  seq.video = {1000, 1000, 0, fps, seconds, 0, "synthetic"};
  const int count = static_cast<int>(std::floor(seconds * fps)) + 1;
  for (int i = 0; i < count; ++i) seq.frames.push_back(Render(pose(i / fps), i, fps, noise));
  seq.video.frame_count = count;
  return seq;
}

double MinJerk(double t, double t0, double t1) {
  if (t <= t0) return 0;
  if (t >= t1) return 1;
  const double u = (t - t0) / (t1 - t0);
  return u * u * u * (10 - 15 * u + 6 * u * u);
}

ClimberState Ascent::At(double t) const {
  t -= lead_in_s;
  // Phase windows within a cycle, as fractions of cycle_s: RH, LH, body, RF, LF.
  struct Phase {
    double from;
    double to;
  };
  const std::array<Phase, 5> phases = {
      {{0.05, 0.2}, {0.25, 0.4}, {0.45, 0.65}, {0.7, 0.82}, {0.85, 0.97}}};
  auto progress = [&](int p, bool body) {
    double total = 0;
    for (int c = 0; c < cycles; ++c) {
      const double t0 = (c + phases[p].from) * cycle_s;
      const double t1 = (c + phases[p].to) * cycle_s;
      if (body && body_profile) {
        total += t <= t0 ? 0.0 : (t >= t1 ? 1.0 : body_profile((t - t0) / (t1 - t0)));
      } else {
        total += MinJerk(t, t0, t1);
      }
    }
    return total * step;
  };
  ClimberState s = start;
  s.limbs[1].y -= progress(0, false);
  s.limbs[0].y -= progress(1, false);
  s.hips.y -= progress(2, true);
  s.limbs[3].y -= progress(3, false);
  s.limbs[2].y -= progress(4, false);
  return s;
}

ClimberState StraightArmStart() {
  ClimberState s;
  s.hips = {0.5, 0.75};
  const double shoulder_y = 0.75 - kTrunk;
  s.limbs = {Xy{0.43, shoulder_y - 0.18}, Xy{0.57, shoulder_y - 0.18}, Xy{0.44, 0.95},
             Xy{0.56, 0.95}};
  return s;
}

ClimberState BentArmStart() {
  ClimberState s = StraightArmStart();
  const double shoulder_y = 0.75 - kTrunk;
  s.limbs[0].y = shoulder_y - 0.08;
  s.limbs[1].y = shoulder_y - 0.08;
  return s;
}

domain::PoseSequence CleanAscent(double noise) {
  const Ascent a(StraightArmStart());
  return Sample([&](double t) { return a.At(t); }, a.Duration(), 30, noise);
}

domain::PoseSequence BentArmAscent() {
  const Ascent a(BentArmStart());
  return Sample([&](double t) { return a.At(t); }, a.Duration());
}

domain::PoseSequence LongPauseAscent() {
  const Ascent a(BentArmStart());
  const double hold_at = a.lead_in_s + a.cycle_s;
  const double hold_for = 6.0;
  auto warped = [&](double t) {
    return a.At(t < hold_at ? t : (t < hold_at + hold_for ? hold_at : t - hold_for));
  };
  return Sample(warped, a.Duration() + hold_for);
}

domain::PoseSequence JerkyAscent() {
  Ascent a(StraightArmStart());
  // Half the way in the first quarter of the phase, stop, the other half in the third quarter:
  // velocity jumps from 0 to full and back, twice.
  a.body_profile = [](double u) {
    if (u < 0.25) return 2 * u;
    if (u < 0.5) return 0.5;
    if (u < 0.75) return 0.5 + 2 * (u - 0.5);
    return 1.0;
  };
  return Sample([&](double t) { return a.At(t); }, a.Duration());
}

domain::PoseSequence HipsFarAscent() {
  ClimberState start = StraightArmStart();
  start.body_z = -0.4;
  const Ascent a(start);
  return Sample([&](double t) { return a.At(t); }, a.Duration());
}

domain::PoseSequence HandsOnlyAscent() {
  const ClimberState start = StraightArmStart();
  return Sample(
      [start](double t) {
        ClimberState s = start;
        for (int k = 0; k < 6; ++k) {
          const double t0 = 0.5 + 1.5 * k;
          s.limbs[k % 2].y -= 0.1 * MinJerk(t, t0, t0 + 0.6);
        }
        return s;
      },
      10.0);
}

domain::PoseSequence OffsetFeetAscent() {
  ClimberState start = StraightArmStart();
  start.limbs[2].x += 0.25;
  start.limbs[3].x += 0.25;
  const Ascent a(start);
  return Sample([&](double t) { return a.At(t); }, a.Duration());
}

domain::PoseSequence ShufflingFeetAscent() {
  const Ascent a(StraightArmStart());
  return Sample(
      [&](double t) {
        ClimberState s = a.At(t);
        for (int k = 0; k < 6; ++k) {
          const double t0 = 0.9 + 2.0 * k;
          s.limbs[3].x += 0.025 * (MinJerk(t, t0, t0 + 0.2) - MinJerk(t, t0 + 0.6, t0 + 0.8));
        }
        return s;
      },
      a.Duration());
}

domain::PoseSequence OccludedArmAscent() {
  const Ascent a(StraightArmStart());
  const double duration = a.Duration();
  const double visible_from = 0.6 * duration;
  domain::PoseSequence seq = Sample(
      [&](double t) {
        ClimberState s = a.At(t);
        if (t >= visible_from) s.limbs[1].y += 0.1;
        return s;
      },
      duration);
  for (domain::PoseFrame& f : seq.frames) {
    if (f.timestamp_ms < visible_from * 1000) f.landmarks[domain::kRightWrist].visibility = 0.2;
  }
  return seq;
}

domain::PoseSequence LongReachAscent() {
  Ascent a(StraightArmStart());
  a.step = 0.3;
  return Sample([&](double t) { return a.At(t); }, a.Duration());
}

std::vector<Scenario> AllScenarios() {
  return {{"clean", CleanAscent()},
          {"clean_noisy", CleanAscent(0.01)},
          {"bent_arms", BentArmAscent()},
          {"long_pause", LongPauseAscent()},
          {"jerky", JerkyAscent()},
          {"hips_far", HipsFarAscent()},
          {"hands_only", HandsOnlyAscent()},
          {"offset_feet", OffsetFeetAscent()},
          {"shuffling_feet", ShufflingFeetAscent()},
          {"occluded_arm", OccludedArmAscent()},
          {"long_reach", LongReachAscent()}};
}

}  // namespace ascension::coaching::testing
