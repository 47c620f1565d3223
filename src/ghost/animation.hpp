// The ghost: a beta played as a climbing body. Each state becomes a pose (2-D inverse kinematics
// with constant segment lengths, centre of mass over its support); each move shifts the weight
// onto the three other limbs, carries the moving limb to its hold and settles, at a pace that
// grows with the distance. Frames are sampled at a fixed rate, in the wall frame (metres); the
// JSON writer turns them into the analysis frame format.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/status.hpp"
#include "ghost/body.hpp"
#include "ghost/planner.hpp"
#include "ghost/route.hpp"

namespace ascension::ghost {

// Durations of the ghost's motions (seconds). A move lasts shift + travel + settle (+ a pause),
// travel = base + per_metre · distance (× injured_factor for an injured limb): about 1.5 s for
// a 40 cm hand move, a plausible gym pace (docs/ghost.md).
struct Pace {
  double fps = 30;
  double shift_s = 0.35;        // weight onto the other limbs before the limb leaves
  double hand_travel_s = 0.55;  // a hand's flight, plus hand_per_metre_s per metre
  double hand_per_metre_s = 0.6;
  double foot_travel_s = 0.45;
  double foot_per_metre_s = 0.5;
  double settle_s = 0.3;        // weight back over the new stance
  double pause_s = 0.15;        // still in the new stance before the next move
  double injured_factor = 1.3;  // an injured limb moves slower
  double start_still_s = 0.8;   // the start position held before the first move
  double end_still_s = 1.0;     // the finish held after the last
};

struct GhostMove {
  Limb limb = Limb::kLeftHand;
  Contact from, to;
  std::int64_t start_ms = 0;  // the limb leaves its hold
  std::int64_t end_ms = 0;    // the limb lands on the next
  double distance = 0;        // metres
  double cost = 0;            // as in BetaMove
};

struct GhostFrame {
  std::int64_t timestamp_ms = 0;
  Skeleton skeleton;                      // wall frame, metres
  std::array<bool, kLimbCount> placed{};  // limb on its contact (not moving, not absent)
  std::optional<std::size_t> move;        // the move under way, if any
};

struct Ghost {
  std::vector<GhostMove> moves;
  std::vector<GhostFrame> frames;
  std::vector<TorsoPose> state_poses;  // the pose of each beta state
  std::vector<std::int64_t> state_ms;  // when each state is settled
  std::int64_t duration_ms = 0;
};

// Plays `beta` (planned by PlanBeta for this body). Fails (kInvalidArgument) on a beta without
// states or a non-positive frame rate, (kInternal) if a state of the beta has no pose, which
// PlanBeta never returns.
Result<Ghost> AnimateBeta(const BodyModel& body, const Beta& beta, const Pace& pace = {});

}  // namespace ascension::ghost
