// Test support: synthetic climbers with known properties. A climber is described by where its
// hips, hands and feet are; Render() places every other joint with fixed segment lengths (a
// two-bone inverse kinematics, elbows and knees bent outwards), as seen from behind the climber
// by a camera facing the wall. Deterministic.
#pragma once

#include <array>
#include <functional>
#include <vector>

#include "domain/pose.hpp"
#include "domain/vector.hpp"

namespace ascension::coaching::testing {

using Xy = domain::Vec2;

// Segment lengths in frame heights (stature ≈ 0.52 fh with Drillis & Contini proportions).
inline constexpr double kUpperArm = 0.097;
inline constexpr double kForearm = 0.076;
inline constexpr double kThigh = 0.127;
inline constexpr double kShank = 0.128;
inline constexpr double kTrunk = 0.15;     // hip centre → shoulder centre
inline constexpr double kHalfHips = 0.04;  // hip centre → each hip
inline constexpr double kHalfShoulders = 0.065;

struct ClimberState {
  Xy hips;                  // centre of the hips
  double body_z = 0;        // depth of the trunk, head, elbows and knees relative to hands and
                            // feet; negative = nearer the camera = further from the wall
  std::array<Xy, 4> limbs;  // left wrist, right wrist, left ankle, right ankle
};

// One detected frame: 17 landmarks (nose, ears, 11–16, 23–28) with visibility and presence 1,
// the others absent. `noise` adds a deterministic jitter of that amplitude (fh) to x and y.
domain::PoseFrame Render(const ClimberState& state, int frame, double fps, double noise = 0);

// Samples `pose(t_seconds)` at `fps` for `seconds` (frames 0..floor(seconds*fps)), timestamps
// int(i*1000/fps) like the vision pipeline; a square 1000×1000 video.
domain::PoseSequence Sample(const std::function<ClimberState(double)>& pose, double seconds,
                            double fps = 30, double noise = 0);

// Minimum-jerk progress 0..1 of a movement from t0 to t1 (Flash & Hogan): 10τ³ − 15τ⁴ + 6τ⁵.
double MinJerk(double t, double t0, double t1);

// After `lead_in_s` seconds still, a climbing cycle of `cycle_s` seconds repeated: right hand, left
// hand, body, right foot, left foot each move `step` fh upwards, one after the other, each with a
// minimum-jerk profile and still in between. `start` is the posture at t = 0. `body_profile` maps
// the body's phase progress (0..1, linear in time) to its displacement progress (default: minimum
// jerk).
struct Ascent {
  explicit Ascent(ClimberState start_posture) : start(start_posture) {}
  ClimberState start;
  double step = 0.1;
  double lead_in_s = 0.5;
  double cycle_s = 4.0;
  int cycles = 3;
  std::function<double(double)> body_profile;
  ClimberState At(double t) const;
  double Duration() const { return lead_in_s + cycle_s * cycles + 1.0; }
};

// Start postures: arms nearly straight (hands 0.18 fh above the shoulders) or bent (0.08 fh).
ClimberState StraightArmStart();
ClimberState BentArmStart();

// The scenarios of the tests, 30 fps, 3 cycles of 4 s (+1.5 s still) unless said otherwise.
// A clean ascent: straight arms, hips on the wall, minimum-jerk moves.
domain::PoseSequence CleanAscent(double noise = 0);
// The same climber keeping its arms bent (hands 0.08 fh above the shoulders at rest).
domain::PoseSequence BentArmAscent();
// The bent-arm ascent frozen for 6 s after its first cycle (a long pause on bent arms).
domain::PoseSequence LongPauseAscent();
// The clean ascent with stop-and-go body moves (two abrupt constant-speed jolts per move).
domain::PoseSequence JerkyAscent();
// The clean ascent with the trunk 0.4 fh (in z) away from the wall.
domain::PoseSequence HipsFarAscent();
// Hands climb 0.1 fh every 1.5 s, alternately, for 10 s; the body and the feet never move.
domain::PoseSequence HandsOnlyAscent();
// The clean ascent with the feet 0.25 fh to the right of the body.
domain::PoseSequence OffsetFeetAscent();
// The clean ascent where the right foot shuffles 0.025 fh sideways and back every 2 s.
domain::PoseSequence ShufflingFeetAscent();
// The sample clip's case (issue 15): the clean ascent, straight-armed, with the right wrist
// occluded (visibility 0.2) for the first 60 % of the frames; in the last 40 %, visible again,
// the right hand hangs 0.1 fh lower so that the right arm is bent. The right elbow's angle is
// certain only where the arm is bent.
domain::PoseSequence OccludedArmAscent();
// The clean ascent with moves three times longer (0.3 fh, ≈ 0.58 body heights per hand move).
domain::PoseSequence LongReachAscent();
// Every scenario above, with a name, for tests that run them all.
struct Scenario {
  const char* name;
  domain::PoseSequence poses;
};
std::vector<Scenario> AllScenarios();

}  // namespace ascension::coaching::testing
