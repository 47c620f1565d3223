// Biomechanics of a climb, computed from a pose sequence: per-frame measures (centre of mass,
// arm bend, hips, reach, balance) and per-climb facts (placements, moves, pauses, smoothness,
// scores). Pure and deterministic: no I/O, no clock; the same sequence gives the same result.
//
// Units. Positions are reported in normalized frame coordinates, like the landmarks. Distances
// and speeds are computed after rescaling x (and z) by width/height, so that both image axes
// share one unit, the frame height ("fh"); body-relative values divide by the estimated body
// height ("bh", see ClimbSummary::body_height). Times are in ms of the video timeline.
// docs/coaching.md gives every formula; thresholds.hpp holds every threshold.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "domain/indicators.hpp"
#include "domain/pose.hpp"
#include "domain/profile.hpp"
#include "domain/vector.hpp"

namespace ascension::coaching {

// A point in normalized frame coordinates (x: 0..1 left→right, y: 0..1 top→bottom).
using Point = domain::Vec2;

// The four end points that hold the climber on the wall: hands at the wrists, feet at the ankles.
enum class Limb { kLeftHand = 0, kRightHand = 1, kLeftFoot = 2, kRightFoot = 3 };
inline constexpr int kLimbCount = 4;
// "left_hand", "right_hand", "left_foot", "right_foot".
const char* LimbName(Limb limb);
inline bool IsHand(Limb limb) {
  return limb == Limb::kLeftHand || limb == Limb::kRightHand;
}

// Measures of one sampled frame. A measure is empty when the landmarks it needs are missing
// (frame without a detected pose, or landmarks below the confidence threshold).
struct FrameMetrics {
  int frame = 0;  // index of the frame in the video (domain::PoseFrame::frame)
  std::int64_t timestamp_ms = 0;
  std::optional<Point> com;            // centre of mass (segment model)
  std::optional<double> com_speed;     // fh/s, smoothed
  std::optional<double> com_speed_bh;  // bh/s
  std::optional<double> com_jerk_bh;   // |d³COM/dt³| in bh/s³
  // The elbow angles 13 and 14 exactly as the result's frame draws them (domain::JointAngles),
  // present only when certain (shoulder, elbow and wrist usable); 180 = straight.
  std::optional<double> left_elbow_deg;
  std::optional<double> right_elbow_deg;
  std::optional<double> hip_distance_bh;  // hips to the line through hands and feet, in bh
  std::optional<double> reach_bh;         // highest hand above lowest foot, in bh
  std::optional<bool> com_over_feet;      // COM horizontally between the feet (± margin)
  std::optional<bool> com_in_support;     // COM inside the polygon of placed hands and feet
  std::array<bool, kLimbCount> placed{};  // limb (by Limb index) is within a placement
  bool still = false;                     // whole body still (COM and every visible limb)
};

// A limb resting on a hold. `first`/`last` index Biomechanics::frames.
struct Placement {
  Limb limb = Limb::kLeftHand;
  std::size_t first = 0;
  std::size_t last = 0;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  Point position;  // mean end point while placed
};

// A limb travelling from one placement to the next, further than kMoveMinDistance.
struct Move {
  Limb limb = Limb::kLeftHand;
  std::size_t first = 0;  // last frame of the placement it leaves
  std::size_t last = 0;   // first frame of the placement it reaches
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  double distance_bh = 0;
};

// The whole body still for at least kPauseMinMs; a rest when at least kRestMinMs.
struct Pause {
  std::size_t first = 0;
  std::size_t last = 0;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  double straight_arm_share = 0;  // share of the pause's arm readings with a straight elbow
  bool rest = false;
};

// The global score and the named indicators (domain/indicators.hpp), 0..100 with one decimal;
// formulas in docs/coaching.md. An indicator whose measures do not exist in the clip (stability
// when the camera does not face the climber's back, pace without any move…) is empty, and the
// global score is the weighted mean of the others (empty without any pose).
struct Scores {
  std::optional<double> global;
  domain::IndicatorValues indicators;
};

// The climber's own scale: the measures in centimetres, when the profile gives a height (the
// estimated body height of the clip is then that many cm). Reach is judged against the climber's
// arm span (the height when the span is not known: an ape index of 1).
struct ClimberScale {
  double height_cm = 0;
  double arm_span_cm = 0;
  bool span_measured = false;  // the span is the profile's, not the height
  double com_path_cm = 0;
  double mean_com_speed_cm_s = 0;
  double max_com_speed_cm_s = 0;
  double mean_hip_distance_cm = 0;
  double max_reach_cm = 0;
  double longest_hand_move_cm = 0;
  double longest_hand_move_span = 0;  // longest hand move / arm span
};

// What a measure rests on: the frames where it exists and the time they cover (their share of
// the frames with a pose, times the time on the wall).
struct Coverage {
  int frames = 0;
  std::int64_t ms = 0;
};

// The coverage of each family of measures. A claim about "the climb" resting on fewer than
// kWholeClimbShare of the frames with a pose must say what it rests on.
struct ClimbCoverage {
  Coverage com;          // centre of mass: at least one shoulder and one hip usable
  Coverage left_elbow;   // left_elbow_deg
  Coverage right_elbow;  // right_elbow_deg
  Coverage hips;         // hip_distance_bh: hips, a hand and a foot
  Coverage over_feet;    // com_over_feet: centre of mass and a foot
  Coverage both_feet;    // both ankles (foot placements, moves and readjustments)
  Coverage all_limbs;    // both wrists and both ankles (hand against foot moves)
  Coverage torso;        // both shoulders and both hips (camera_facing)
};

// Facts about the whole climb. Ratios are shares (0..1) of the frames where the measure exists;
// they are 0 when it never does.
struct ClimbSummary {
  int frame_count = 0;
  int detected_frame_count = 0;
  std::int64_t start_ms = 0;     // first frame with a pose
  std::int64_t end_ms = 0;       // last frame with a pose
  std::int64_t duration_ms = 0;  // time on the wall: end_ms − start_ms
  double body_height = 0;        // estimated stature in fh (0 when no pose)
  // How squarely the camera faces the climber's back: median image-plane shoulder width over
  // trunk length, relative to a back seen square on; 1 = square, 0 = side view (capped at 1).
  // Image-plane balance (com_over_feet, com_in_support) is meaningful only when it is high.
  double camera_facing = 0;

  double com_path_bh = 0;          // length of the smoothed COM path
  double com_displacement_bh = 0;  // straight-line distance, first to last COM
  double directness = 0;           // displacement / path, 0..1
  double mean_com_speed = 0;       // fh/s
  double mean_com_speed_bh = 0;    // bh/s
  double max_com_speed_bh = 0;

  double left_straight_arm_ratio = 0;
  double right_straight_arm_ratio = 0;
  double mean_hip_distance_bh = 0;
  double hips_far_ratio = 0;
  double max_reach_bh = 0;
  double com_over_feet_ratio = 0;
  double com_in_support_ratio = 0;

  int hand_moves = 0;
  int foot_moves = 0;
  int hand_readjustments = 0;  // successive placements of a hand closer than kMoveMinDistance
  int foot_readjustments = 0;
  double mean_move_ms = 0;  // time per move
  double longest_hand_move_bh = 0;
  int pause_count = 0;
  int rest_count = 0;
  std::int64_t total_pause_ms = 0;
  std::int64_t longest_pause_ms = 0;

  double jerk_hz = 0;     // COM jerk frequency over the frames where the body moves (0: none)
  double smoothness = 0;  // 0..1 from jerk_hz
  int moving_frames = 0;  // frames the jerk frequency rests on

  ClimbCoverage coverage;
  Scores scores;
};

struct Biomechanics {
  std::vector<FrameMetrics> frames;   // one per input frame, same order
  std::vector<Placement> placements;  // by limb, then time
  std::vector<Move> moves;            // by start time, then limb
  std::vector<Move> readjustments;    // placements closer than kMoveMinDistance; same order
  std::vector<Pause> pauses;          // by time
  ClimbSummary summary;
  domain::ClimberProfile profile;     // what the climb was analysed with
  std::optional<ClimberScale> scale;  // with a height in the profile
};

// Computes the biomechanics of `poses` for the climber of `profile` (which sets the scale in cm
// and leaves absent arms out of the technique score; the measures themselves are the frames').
// Frames must be in increasing timestamp order (as the vision pipeline produces them). Never
// fails: an empty sequence or one without any detected pose gives frames without measures and a
// zero summary (detected_frame_count == 0).
Biomechanics Analyze(const domain::PoseSequence& poses, const domain::ClimberProfile& profile = {});

}  // namespace ascension::coaching
