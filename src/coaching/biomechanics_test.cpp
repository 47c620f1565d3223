#include "coaching/biomechanics.hpp"

#include <gtest/gtest.h>

#include "coaching/geometry.hpp"
#include "coaching/synthetic_climber.hpp"
#include "coaching/thresholds.hpp"

namespace ascension::coaching {
namespace {

namespace th = thresholds;
using testing::ClimberState;

domain::PoseSequence OneFrame(const ClimberState& state) {
  return testing::Sample([&](double) { return state; }, 0.0);
}

using domain::Indicator;

// An indicator's value, -1 when it was not measured.
double Get(const Scores& s, Indicator i) {
  return s.indicators.Get(i).value_or(-1);
}

void ExpectScoresInRange(const Scores& s) {
  for (Indicator i : domain::kIndicators) {
    if (const auto v = s.indicators.Get(i)) {
      EXPECT_GE(*v, 0.0);
      EXPECT_LE(*v, 100.0);
    }
  }
  if (s.global) {
    EXPECT_GE(*s.global, 0.0);
    EXPECT_LE(*s.global, 100.0);
  }
}

TEST(BiomechanicsTest, EmptyAndUndetectedSequencesGiveNoMeasures) {
  const Biomechanics empty = Analyze(domain::PoseSequence{});
  EXPECT_TRUE(empty.frames.empty());
  EXPECT_EQ(empty.summary.detected_frame_count, 0);

  domain::PoseSequence blind = testing::CleanAscent();
  for (auto& f : blind.frames) f.detected = false;
  const Biomechanics b = Analyze(blind);
  ASSERT_EQ(b.frames.size(), blind.frames.size());
  EXPECT_EQ(b.summary.detected_frame_count, 0);
  EXPECT_EQ(b.summary.body_height, 0.0);
  for (const FrameMetrics& m : b.frames) EXPECT_FALSE(m.com.has_value());
  EXPECT_TRUE(b.moves.empty());
  ExpectScoresInRange(b.summary.scores);
}

TEST(BiomechanicsTest, CentreOfMassLiesInsideTheBodyHullOnEveryFrame) {
  const domain::PoseSequence seq = testing::CleanAscent(0.002);
  const Biomechanics b = Analyze(seq);
  for (std::size_t i = 0; i < seq.frames.size(); ++i) {
    std::vector<geometry::Vec2> body;
    for (const domain::Landmark& l : seq.frames[i].landmarks) {
      if (l.visibility > 0) body.push_back({l.x, l.y});
    }
    ASSERT_TRUE(b.frames[i].com.has_value()) << "frame " << i;
    const geometry::Vec2 com{b.frames[i].com->x, b.frames[i].com->y};
    EXPECT_LT(geometry::DistanceToHull(com, geometry::ConvexHull(body)), 1e-9) << "frame " << i;
  }
}

TEST(BiomechanicsTest, CentreOfMassFollowsTheBodyAndSitsOnTheSymmetryAxis) {
  ClimberState s = testing::StraightArmStart();
  const Point a = *Analyze(OneFrame(s)).frames[0].com;
  EXPECT_NEAR(a.x, 0.5, 1e-9);  // the start posture is left-right symmetric about x = 0.5
  // Between the hips (0.75) and the shoulders (0.6), nearer the hips: the legs outweigh the arms.
  EXPECT_GT(a.y, 0.62);
  EXPECT_LT(a.y, 0.75);
  s.hips.x += 0.05;
  s.hips.y -= 0.02;
  for (auto& l : s.limbs) l = {l.x + 0.05, l.y - 0.02};
  const Point b = *Analyze(OneFrame(s)).frames[0].com;
  EXPECT_NEAR(b.x - a.x, 0.05, 1e-9);
  EXPECT_NEAR(b.y - a.y, -0.02, 1e-9);
}

TEST(BiomechanicsTest, MissingLandmarksDegradeGracefully) {
  const ClimberState s = testing::StraightArmStart();
  const Point full = *Analyze(OneFrame(s)).frames[0].com;

  // The reference data's landmark set: no nose, ears, heels or feet indices.
  domain::PoseSequence twelve = OneFrame(s);
  for (int i : {0, 7, 8}) twelve.frames[0].landmarks[i] = {};
  const auto c12 = Analyze(twelve).frames[0].com;
  ASSERT_TRUE(c12.has_value());
  EXPECT_NEAR(c12->x, full.x, 1e-9);
  EXPECT_NEAR(c12->y, full.y, 0.01);

  // Hands out of view: their mass moves to the elbows, below the hands, so the COM drops a bit.
  domain::PoseSequence no_wrists = OneFrame(s);
  no_wrists.frames[0].landmarks[domain::kLeftWrist].visibility = 0.1;
  no_wrists.frames[0].landmarks[domain::kRightWrist].presence = 0.1;
  const Biomechanics nw = Analyze(no_wrists);
  ASSERT_TRUE(nw.frames[0].com.has_value());
  EXPECT_GT(nw.frames[0].com->y, full.y);
  EXPECT_LT(nw.frames[0].com->y - full.y, 0.01);
  EXPECT_FALSE(nw.frames[0].left_elbow_deg.has_value());
  EXPECT_FALSE(nw.frames[0].reach_bh.has_value());

  // No shoulder at all: no trunk, no COM.
  domain::PoseSequence headless = OneFrame(s);
  headless.frames[0].landmarks[domain::kLeftShoulder] = {};
  headless.frames[0].landmarks[domain::kRightShoulder] = {};
  EXPECT_FALSE(Analyze(headless).frames[0].com.has_value());
}

TEST(BiomechanicsTest, BodyHeightAndBodyRelativeSpeed) {
  const Biomechanics b = Analyze(testing::CleanAscent());
  // Segment lengths of the synthetic climber imply a stature of ≈ 0.52 fh.
  EXPECT_NEAR(b.summary.body_height, 0.52, 0.03);
  for (const FrameMetrics& m : b.frames) {
    ASSERT_TRUE(m.com_speed && m.com_speed_bh);
    EXPECT_NEAR(*m.com_speed_bh * b.summary.body_height, *m.com_speed, 1e-12);
  }
  // The body rises 3 × 0.1 fh in 13.5 s.
  EXPECT_NEAR(b.summary.com_displacement_bh * b.summary.body_height, 0.3, 0.03);
  EXPECT_NEAR(b.summary.mean_com_speed, 0.3 / 13.5, 0.005);
}

TEST(BiomechanicsTest, CleanAscentDetectsEveryMoveAndScoresHigh) {
  const Biomechanics b = Analyze(testing::CleanAscent());
  const ClimbSummary& s = b.summary;
  EXPECT_EQ(s.hand_moves, 6);
  EXPECT_EQ(s.foot_moves, 6);
  EXPECT_EQ(s.hand_readjustments + s.foot_readjustments, 0);
  EXPECT_EQ(b.moves.size(), 12u);
  for (const Move& m : b.moves) {
    EXPECT_NEAR(m.distance_bh * s.body_height, 0.1, 0.01) << LimbName(m.limb);
    EXPECT_GT(m.end_ms, m.start_ms);
  }
  EXPECT_GT(s.mean_move_ms, 250);
  EXPECT_LT(s.mean_move_ms, 800);
  EXPECT_EQ(s.duration_ms, 13500);
  EXPECT_GT(s.directness, 0.9);
  EXPECT_GT(s.camera_facing, 0.9);
  EXPECT_EQ(s.com_over_feet_ratio, 1.0);
  EXPECT_GT(s.com_in_support_ratio, 0.95);
  EXPECT_EQ(s.hips_far_ratio, 0.0);
  EXPECT_GT(s.smoothness, 0.7);
  EXPECT_GT(Get(s.scores, Indicator::kTechnique), 90);
  EXPECT_GT(Get(s.scores, Indicator::kFluidity), 80);
  EXPECT_GT(Get(s.scores, Indicator::kStability), 90);
  EXPECT_GT(Get(s.scores, Indicator::kEfficiency), 90);
  EXPECT_GT(Get(s.scores, Indicator::kPace), 90);
  EXPECT_GT(s.scores.global.value_or(0), 85);
  // The first right-hand move starts at 0.7 s and ends at 1.3 s (minimum-jerk, 0.1 fh).
  ASSERT_FALSE(b.moves.empty());
  EXPECT_EQ(b.moves[0].limb, Limb::kRightHand);
  EXPECT_NEAR(static_cast<double>(b.moves[0].start_ms), 750, 120);
  EXPECT_NEAR(static_cast<double>(b.moves[0].end_ms), 1250, 120);
}

TEST(BiomechanicsTest, NoiseDoesNotInventMoves) {
  const ClimbSummary s = Analyze(testing::CleanAscent(0.002)).summary;
  EXPECT_EQ(s.hand_moves, 6);
  EXPECT_EQ(s.foot_moves, 6);
}

TEST(BiomechanicsTest, FrameRateDoesNotChangeTheMoves) {
  const testing::Ascent a(testing::StraightArmStart());
  for (double fps : {10.0, 15.0, 24.0, 25.0, 30.0, 50.0, 60.0}) {
    const ClimbSummary s =
        Analyze(testing::Sample([&](double t) { return a.At(t); }, a.Duration(), fps, 0.002))
            .summary;
    EXPECT_EQ(s.hand_moves, 6) << fps << " fps";
    EXPECT_EQ(s.foot_moves, 6) << fps << " fps";
    EXPECT_GT(s.smoothness, 0.7) << fps << " fps";
  }
}

TEST(BiomechanicsTest, StraightAndBentArms) {
  const ClimbSummary straight = Analyze(testing::CleanAscent()).summary;
  EXPECT_GT(straight.left_straight_arm_ratio, 0.95);
  EXPECT_GT(straight.right_straight_arm_ratio, 0.95);
  const Biomechanics bent = Analyze(testing::BentArmAscent());
  EXPECT_LT(bent.summary.left_straight_arm_ratio, th::kAdviceStraightArmRatio);
  EXPECT_LT(bent.frames[0].left_elbow_deg.value(), 90.0);
  EXPECT_LT(Get(bent.summary.scores, Indicator::kTechnique),
            Get(straight.scores, Indicator::kTechnique) - 20);
}

TEST(BiomechanicsTest, LongPauseIsOneRestOnBentArms) {
  const Biomechanics b = Analyze(testing::LongPauseAscent());
  EXPECT_GE(b.summary.longest_pause_ms, 6000);
  EXPECT_GE(b.summary.rest_count, 1);
  const auto longest = std::max_element(b.pauses.begin(), b.pauses.end(), [](auto& x, auto& y) {
    return x.end_ms - x.start_ms < y.end_ms - y.start_ms;
  });
  ASSERT_NE(longest, b.pauses.end());
  EXPECT_TRUE(longest->rest);
  EXPECT_LT(longest->straight_arm_share, 0.5);
  EXPECT_NEAR(static_cast<double>(longest->start_ms), 4500, 800);
  for (std::size_t i = longest->first; i <= longest->last; ++i) EXPECT_TRUE(b.frames[i].still);
  const ClimbSummary clean = Analyze(testing::CleanAscent()).summary;
  EXPECT_LT(clean.longest_pause_ms, th::kRestMinMs);
  EXPECT_LT(Get(b.summary.scores, Indicator::kFluidity), Get(clean.scores, Indicator::kFluidity));
}

TEST(BiomechanicsTest, StopAndGoMovesAreJerky) {
  const ClimbSummary jerky = Analyze(testing::JerkyAscent()).summary;
  const ClimbSummary clean = Analyze(testing::CleanAscent()).summary;
  EXPECT_GT(jerky.jerk_hz, clean.jerk_hz + 0.2);
  EXPECT_LT(jerky.smoothness, 0.5);
  EXPECT_LT(Get(jerky.scores, Indicator::kFluidity), Get(clean.scores, Indicator::kFluidity) - 20);
  const Biomechanics b = Analyze(testing::JerkyAscent());
  double peak = 0;
  for (const FrameMetrics& m : b.frames) peak = std::max(peak, m.com_jerk_bh.value_or(0));
  EXPECT_GT(peak, 1.0);
}

TEST(BiomechanicsTest, HipsFarFromTheWall) {
  const ClimbSummary far = Analyze(testing::HipsFarAscent()).summary;
  EXPECT_GT(far.hips_far_ratio, 0.9);
  EXPECT_GT(far.mean_hip_distance_bh, th::kHipsFarDistance);
  const ClimbSummary clean = Analyze(testing::CleanAscent()).summary;
  EXPECT_LT(clean.mean_hip_distance_bh, 0.02);
  EXPECT_LT(Get(far.scores, Indicator::kTechnique), Get(clean.scores, Indicator::kTechnique) - 20);
}

TEST(BiomechanicsTest, WeightOutsideTheFeet) {
  ClimberState s = testing::StraightArmStart();
  s.limbs[2] = {0.7, 0.95};
  s.limbs[3] = {0.75, 0.95};
  const Biomechanics b = Analyze(OneFrame(s));
  EXPECT_EQ(b.frames[0].com_over_feet, false);
  EXPECT_EQ(Analyze(OneFrame(testing::StraightArmStart())).frames[0].com_over_feet, true);
}

TEST(BiomechanicsTest, ReachIsHighestHandAboveLowestFoot) {
  const ClimberState s = testing::StraightArmStart();
  const Biomechanics b = Analyze(OneFrame(s));
  const double expected = (0.95 - s.limbs[0].y) / b.summary.body_height;
  EXPECT_NEAR(b.frames[0].reach_bh.value(), expected, 1e-9);
}

TEST(BiomechanicsTest, AspectRatioRescalesHorizontalDistances) {
  // The same climber filmed in portrait (width = height / 2): x values double in normalized
  // units, distances must not change.
  domain::PoseSequence square = testing::CleanAscent();
  domain::PoseSequence portrait = square;
  portrait.video.width = 500;
  for (auto& f : portrait.frames) {
    for (auto& l : f.landmarks) {
      l.x = 0.5 + (l.x - 0.5) * 2;
      l.z *= 2;
    }
  }
  const ClimbSummary a = Analyze(square).summary;
  const ClimbSummary b = Analyze(portrait).summary;
  EXPECT_NEAR(a.body_height, b.body_height, 1e-9);
  EXPECT_NEAR(a.com_path_bh, b.com_path_bh, 1e-9);
  EXPECT_EQ(a.hand_moves, b.hand_moves);
}

TEST(BiomechanicsTest, ScoresStayWithinBoundsOnEveryScenario) {
  for (const auto& seq :
       {testing::CleanAscent(), testing::CleanAscent(0.01), testing::BentArmAscent(),
        testing::LongPauseAscent(), testing::JerkyAscent(), testing::HipsFarAscent()}) {
    ExpectScoresInRange(Analyze(seq).summary.scores);
  }
}

// The global score is a weighted mean of the indicators measured in the clip (the evidence
// checker recomputes it exactly, EvidenceTest): it lies between the lowest and the highest.
TEST(BiomechanicsTest, GlobalScoreLiesAmongTheMeasuredIndicators) {
  for (const auto& scenario : testing::AllScenarios()) {
    const Scores s = Analyze(scenario.poses).summary.scores;
    double low = 100, high = 0;
    for (Indicator i : domain::kIndicators) {
      if (const auto v = s.indicators.Get(i)) {
        low = std::min(low, *v);
        high = std::max(high, *v);
      }
    }
    ASSERT_TRUE(s.global.has_value()) << scenario.name;
    EXPECT_GE(*s.global, low - 0.05) << scenario.name;
    EXPECT_LE(*s.global, high + 0.05) << scenario.name;
  }
  // Bent arms pull the global score down from the clean ascent's.
  EXPECT_LT(*Analyze(testing::BentArmAscent()).summary.scores.global,
            *Analyze(testing::CleanAscent()).summary.scores.global - 5);
  EXPECT_FALSE(Analyze(domain::PoseSequence{}).summary.scores.global.has_value());
}

// A measure the clip cannot give is not scored: stability without a camera behind the climber,
// pace without any move, an arm that is never visible.
TEST(BiomechanicsTest, IndicatorsThatCannotBeMeasuredAreLeftOut) {
  // Seen from the side: the shoulders overlap.
  domain::PoseSequence side = testing::CleanAscent();
  for (auto& f : side.frames) {
    for (int i :
         {domain::kLeftShoulder, domain::kRightShoulder, domain::kLeftHip, domain::kRightHip}) {
      f.landmarks[i].x = 0.5 + (f.landmarks[i].x - 0.5) * 0.2;
    }
  }
  const Biomechanics b = Analyze(side);
  ASSERT_LT(b.summary.camera_facing, th::kFrontalViewMin);
  EXPECT_FALSE(b.summary.scores.indicators.Get(Indicator::kStability).has_value());
  EXPECT_TRUE(b.summary.scores.indicators.Get(Indicator::kTechnique).has_value());

  // Nothing moves: no pace, no fluidity.
  const Biomechanics still =
      Analyze(testing::Sample([](double) { return testing::StraightArmStart(); }, 5.0));
  EXPECT_FALSE(still.summary.scores.indicators.Get(Indicator::kPace).has_value());
  EXPECT_FALSE(still.summary.scores.indicators.Get(Indicator::kFluidity).has_value());
  EXPECT_TRUE(still.summary.scores.global.has_value());

  // The right arm never visible: technique rests on the left arm and the hips alone.
  domain::PoseSequence one_arm = testing::BentArmAscent();
  for (auto& f : one_arm.frames) f.landmarks[domain::kRightWrist].visibility = 0.1;
  const Biomechanics oa = Analyze(one_arm);
  EXPECT_EQ(oa.summary.coverage.right_elbow.frames, 0);
  const double expected =
      100 * (th::kTechniqueStraightArmWeight * oa.summary.left_straight_arm_ratio +
             th::kTechniqueHipsCloseWeight * (1 - oa.summary.hips_far_ratio));
  EXPECT_NEAR(Get(oa.summary.scores, Indicator::kTechnique), expected, 0.051);
}

TEST(BiomechanicsTest, AnAbsentArmDoesNotCountInTheTechnique) {
  // Left arm bent, right arm straight.
  const testing::Ascent a([] {
    testing::ClimberState s = testing::StraightArmStart();
    s.limbs[0].y += 0.1;
    return s;
  }());
  const domain::PoseSequence seq = testing::Sample([&](double t) { return a.At(t); }, a.Duration());
  domain::ClimberProfile p;
  p.limbs[static_cast<int>(domain::BodyLimb::kLeftArm)] = domain::LimbCondition::kAbsent;
  const double both = Get(Analyze(seq).summary.scores, Indicator::kTechnique);
  const double without_left = Get(Analyze(seq, p).summary.scores, Indicator::kTechnique);
  EXPECT_GT(without_left, both + 10);
  p.limbs[static_cast<int>(domain::BodyLimb::kLeftArm)] = domain::LimbCondition::kInjured;
  EXPECT_EQ(Get(Analyze(seq, p).summary.scores, Indicator::kTechnique), both);
}

// With a height, the measures are also given in centimetres, and reach against the span.
TEST(BiomechanicsTest, TheProfileGivesTheScale) {
  const domain::PoseSequence seq = testing::CleanAscent();
  EXPECT_FALSE(Analyze(seq).scale.has_value());
  domain::ClimberProfile p;
  p.height_cm = 170;
  const Biomechanics b = Analyze(seq, p);
  ASSERT_TRUE(b.scale.has_value());
  EXPECT_NEAR(b.scale->com_path_cm, b.summary.com_path_bh * 170, 1e-9);
  EXPECT_NEAR(b.scale->max_reach_cm, b.summary.max_reach_bh * 170, 1e-9);
  // The body rises 0.3 fh; a stature of ≈ 0.52 fh is 170 cm: ≈ 98 cm.
  EXPECT_NEAR(b.summary.com_displacement_bh * 170, 0.3 / 0.52 * 170, 10);
  EXPECT_EQ(b.scale->arm_span_cm, 170);
  EXPECT_FALSE(b.scale->span_measured);
  p.arm_span_cm = 180;
  const Biomechanics s = Analyze(seq, p);
  EXPECT_TRUE(s.scale->span_measured);
  EXPECT_NEAR(s.scale->longest_hand_move_span, s.scale->longest_hand_move_cm / 180, 1e-12);
  // The measures themselves are the frames', profile or not.
  EXPECT_EQ(s.summary.left_straight_arm_ratio, Analyze(seq).summary.left_straight_arm_ratio);
}

}  // namespace
}  // namespace ascension::coaching
