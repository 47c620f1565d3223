// Every tunable number of the biomechanics and the advice rules, in one place, with its unit.
// Calibrated on the reference climb (shared/data/example-2, 30 fps, heavy model) and on the
// synthetic sequences of the tests; docs/coaching.md explains each one.
#pragma once

#include <cstdint>

namespace ascension::coaching::thresholds {

// --- Landmarks -----------------------------------------------------------------------------
// Which landmarks are measurable is decided once for the whole product: domain::LandmarkUsable
// (src/domain/joint_angles.hpp). A claim about the climb that rests on fewer than this share of
// the frames with a pose says what it rests on ("in the 3.2 s where your right arm was visible").
inline constexpr double kWholeClimbShare = 0.9;

// --- Smoothing and derivatives ---------------------------------------------------------------
// Positions are averaged over ±this many ms before differentiating (pose jitter at 30 fps makes
// raw finite differences meaningless). ±83 ms is ±2 frames at 30 fps.
inline constexpr std::int64_t kSmoothingHalfWindowMs = 84;

// --- Limbs, placements and moves -------------------------------------------------------------
// A hand or foot end point slower than this (body heights per second) is still.
inline constexpr double kLimbStillSpeed = 0.25;
// A limb is placed (on a hold) when it stays still at least this long.
inline constexpr std::int64_t kPlacementMinMs = 300;
// Two successive placements of a limb further apart than this (body heights) make a move; closer
// ones are a readjustment on the same hold.
inline constexpr double kMoveMinDistance = 0.06;

// --- Whole body: pauses and rests ------------------------------------------------------------
// The body is still when the centre of mass is slower than this (body heights per second) and
// every visible limb is still.
inline constexpr double kBodyStillSpeed = 0.12;
// A still period at least this long is a pause.
inline constexpr std::int64_t kPauseMinMs = 1000;
// A pause at least this long is a rest.
inline constexpr std::int64_t kRestMinMs = 3000;

// --- Posture ---------------------------------------------------------------------------------
// An elbow opened more than this (degrees, 3-D) is a straight arm.
inline constexpr double kStraightElbowDeg = 150.0;
// Weight of MediaPipe's z (depth) in the hip distance: z is noisier than x and y and overstates
// depth on the reference climb (median 0.43 bh hips-to-wall, about twice a plausible value).
inline constexpr double kDepthWeight = 0.5;
// Hips further than this (body heights) from the line through hands and feet are "far".
inline constexpr double kHipsFarDistance = 0.25;
// Margin (body heights) around the feet / the support polygon within which the centre of mass
// still counts as over its base: half a foot length (foot = 0.152 of stature, Drillis & Contini).
inline constexpr double kBaseOfSupportMargin = 0.076;
// Camera facing: the image-plane shoulder width over the trunk length, divided by its value for
// a back seen square on (biacromial width 0.259 / trunk 0.288 of stature). Balance in the image
// plane means something only when the camera faces the climber's back (or front): at least this.
inline constexpr double kFrontalViewMin = 0.7;

// --- Smoothness --------------------------------------------------------------------------------
// The COM jerk frequency (Hz, ClimbSummary::jerk_hz) maps linearly to smoothness 1 at
// kSmoothJerkHz and below and 0 at kJerkyJerkHz and above. Minimum-jerk moves of ~0.8 s read
// ≈ 0.7 Hz; stop-and-go moves ≈ 1.1 Hz or more.
inline constexpr double kSmoothJerkHz = 0.6;
inline constexpr double kJerkyJerkHz = 1.3;

// --- Indicators and the global score (weights sum to 1 within each) --------------------------
// technique = straight arms and hips close to the wall.
inline constexpr double kTechniqueStraightArmWeight = 0.5;
inline constexpr double kTechniqueHipsCloseWeight = 0.5;
// fluidity = smooth and continuous.
inline constexpr double kFluiditySmoothnessWeight = 0.7;
inline constexpr double kFluidityContinuityWeight = 0.3;
// stability = centre of mass over the feet and inside the support.
inline constexpr double kStabilityOverFeetWeight = 0.5;
inline constexpr double kStabilityInSupportWeight = 0.5;
// efficiency = a direct path of the centre of mass and few wasted (readjusting) placements.
inline constexpr double kEfficiencyDirectnessWeight = 0.6;
inline constexpr double kEfficiencyNoReadjustmentWeight = 0.4;
// pace = brisk moves (mean move time: 1 at kBriskMoveMs and below, 0 at kSlowMoveMs and above)
// at a steady rate (hand moves per minute on the wall: 0 at kSlowHandMovesPerMin and below, 1 at
// kBriskHandMovesPerMin and above).
inline constexpr double kPaceMoveTimeWeight = 0.5;
inline constexpr double kPaceMoveRateWeight = 0.5;
inline constexpr double kBriskMoveMs = 800;
inline constexpr double kSlowMoveMs = 2500;
inline constexpr double kSlowHandMovesPerMin = 3;
inline constexpr double kBriskHandMovesPerMin = 10;
// The global score: the weighted mean of the indicators measured in the clip.
inline constexpr double kGlobalTechniqueWeight = 0.30;
inline constexpr double kGlobalFluidityWeight = 0.20;
inline constexpr double kGlobalStabilityWeight = 0.20;
inline constexpr double kGlobalEfficiencyWeight = 0.15;
inline constexpr double kGlobalPaceWeight = 0.15;

// --- Advice rules ------------------------------------------------------------------------------
// straight_arms: the worse arm is straight in less than this share of the frames.
inline constexpr double kAdviceStraightArmRatio = 0.4;
// hips_to_wall: hips are far in more than this share of the frames.
inline constexpr double kAdviceHipsFarRatio = 0.3;
// long_pause: a pause at least this long spent on bent arms (straight share below
// kAdviceRestStraightShare) is a tiring hesitation rather than a rest.
inline constexpr std::int64_t kAdviceLongPauseMs = 4000;
inline constexpr double kAdviceRestStraightShare = 0.5;
// smooth_moves: smoothness (0..1) below this.
inline constexpr double kAdviceSmoothness = 0.5;
// weight_over_feet: centre of mass over the feet in less than this share of the frames.
inline constexpr double kAdviceOverFeetRatio = 0.5;
// quiet_feet: at least this many foot readjustments, and more than this many per foot move.
inline constexpr int kAdviceFootReadjustments = 3;
inline constexpr double kAdviceReadjustmentsPerFootMove = 0.5;
// use_legs: hand moves exceed foot moves by this factor (and by at least 2 moves).
inline constexpr double kAdviceHandFootMoveRatio = 2.0;
// long_reaches: a hand move at least this share of the climber's arm span is long (the span is
// the profile's, else the height); the rule fires for at least kAdviceLongReachMoves long moves
// making at least kAdviceLongReachShare of the hand moves.
inline constexpr double kLongReachSpanShare = 0.5;
inline constexpr int kAdviceLongReachMoves = 2;
inline constexpr double kAdviceLongReachShare = 0.3;
// hesitation: short stops (pauses that are not rests) take more than this share of the time on
// the wall.
inline constexpr double kAdviceStopShare = 0.25;
// A score at least this high earns praise when fewer than three problems were found.
inline constexpr double kAdvicePraiseScore = 60.0;
// A triggered rule's severity: kAdviceSeverityFloor + (1 − floor) · excess, where excess (0..1)
// is how far past its threshold the measure is; it orders the improvements.
inline constexpr double kAdviceSeverityFloor = 0.3;
// Foot readjustments per foot move beyond kAdviceReadjustmentsPerFootMove that give excess 1.
inline constexpr double kAdviceReadjustmentsExcessScale = 2.0;
// smooth_moves evidence: frames within this many frames of the jerk peak.
inline constexpr int kAdviceJerkEvidenceHalfWindow = 6;
// At least this many pieces of advice for a climb with a detected pose.
inline constexpr int kMinAdviceCount = 3;
// At most this many frame indices are listed in one piece of evidence.
inline constexpr int kMaxEvidenceFrames = 12;

}  // namespace ascension::coaching::thresholds
