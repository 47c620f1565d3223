#include "ghost/body.hpp"

#include <gtest/gtest.h>

#include "ghost/scale.hpp"

namespace ascension::ghost {
namespace {

BodyModel Make(std::optional<double> height, std::optional<double> span = std::nullopt) {
  ClimberProfile p;
  p.height_cm = height;
  p.arm_span_cm = span;
  auto b = MakeBodyModel(p);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return *b;
}

TEST(Body, SegmentsFromTheAnthropometricTable) {
  const BodyModel b = Make(180);
  EXPECT_TRUE(b.height_from_profile);
  EXPECT_NEAR(b.upper_arm, 0.186 * 1.8, 1e-12);  // Drillis & Contini, as the coaching
  EXPECT_NEAR(b.forearm, 0.146 * 1.8, 1e-12);
  EXPECT_NEAR(b.thigh, 0.245 * 1.8, 1e-12);
  EXPECT_NEAR(b.leg, 0.246 * 1.8, 1e-12);
  EXPECT_NEAR(b.trunk, (0.818 - 0.530) * 1.8, 1e-12);
  EXPECT_NEAR(b.shoulder_width, 0.259 * 1.8, 1e-12);
  const BodyModel d = Make(std::nullopt);
  EXPECT_FALSE(d.height_from_profile);
  EXPECT_NEAR(d.height, kDefaultHeightCm / 100, 1e-12);
  EXPECT_NEAR(d.span, d.height, 1e-12);
}

TEST(Body, ASpanLongerThanTheHeightLengthensTheArms) {
  const BodyModel same = Make(175, 175);
  const BodyModel ape = Make(175, 185);
  EXPECT_EQ(same.thigh, ape.thigh);
  // Each arm takes half the 10 cm difference.
  const double arm_same = same.upper_arm + same.forearm + same.hand;
  const double arm_ape = ape.upper_arm + ape.forearm + ape.hand;
  EXPECT_NEAR(arm_ape - arm_same, 0.05, 1e-12);
  EXPECT_GT(ape.MaxReach(Limb::kLeftHand), same.MaxReach(Limb::kLeftHand));
}

TEST(Body, ProfileIsValidated) {
  const auto fails = [](ClimberProfile p, const char* field) {
    auto b = MakeBodyModel(p);
    ASSERT_FALSE(b.ok());
    EXPECT_NE(b.status().message().find(field), std::string::npos) << b.status().message();
  };
  ClimberProfile p;
  p.height_cm = 99;
  fails(p, "height");
  p.height_cm = 231;
  fails(p, "height");
  p.height_cm = std::nan("");
  fails(p, "height");
  p = {};
  p.arm_span_cm = 260;
  fails(p, "span");
  p.arm_span_cm = 110;  // with the default height 175: 63 %
  fails(p, "span");
  p = {};
  p.limbs[Index(Limb::kLeftHand)] = LimbCondition::kAbsent;
  p.limbs[Index(Limb::kRightHand)] = LimbCondition::kAbsent;
  fails(p, "arm");
}

TEST(Body, InverseKinematicsKeepsLengthsAndReachesTargets) {
  const BodyModel b = Make(175);
  const TorsoPose torso{{0, 1.0}, 0.1};
  LimbEnds ends;
  ends[0] = Vec2{-0.3, 2.0};
  ends[1] = Vec2{0.35, 1.7};
  ends[2] = Vec2{-0.2, 0.4};
  ends[3] = Vec2{0.4, 0.6};
  const Skeleton s = PoseBody(b, torso, ends);
  EXPECT_NEAR(Length(s.points[11] - s.points[13]), b.upper_arm, 1e-9);
  EXPECT_NEAR(Length(s.points[13] - s.points[15]), b.forearm, 1e-9);
  EXPECT_NEAR(Length(s.points[23] - s.points[25]), b.thigh, 1e-9);
  EXPECT_NEAR(Length(s.points[25] - s.points[27]), b.leg, 1e-9);
  EXPECT_NEAR(Length(s.points[19] - *ends[0]), 0, 1e-9);
  EXPECT_NEAR(Length(s.points[20] - *ends[1]), 0, 1e-9);
  EXPECT_NEAR(Length(s.points[31] - *ends[2]), 0, 1e-9);
  // Elbows bend down and out, knees out.
  EXPECT_LT(s.points[13].x, s.points[11].x);
  EXPECT_LT(s.points[25].x, s.points[23].x);
  // A target out of reach gives a straight limb pointing at it.
  ends[0] = Vec2{-0.3, 4.0};
  const Skeleton far = PoseBody(b, torso, ends);
  EXPECT_NEAR(Length(far.points[11] - far.points[13]), b.upper_arm, 1e-9);
  EXPECT_GT(Length(far.points[19] - *ends[0]), 1.0);
  // The centre of mass of a symmetric pose is on the midline.
  LimbEnds sym;
  sym[0] = Vec2{-0.3, 2.0};
  sym[1] = Vec2{0.3, 2.0};
  sym[2] = Vec2{-0.25, 0.3};
  sym[3] = Vec2{0.25, 0.3};
  EXPECT_NEAR(CentreOfMass(b, {{0, 1.0}, 0}, sym).x, 0, 1e-9);
}

TEST(Body, StanceSolverHoldsOrRefuses) {
  const BodyModel b = Make(175);
  StanceQuery q;
  q.contacts[0] = Vec2{-0.25, 1.9};
  q.contacts[1] = Vec2{0.25, 1.9};
  q.contacts[2] = Vec2{-0.2, 0.6};
  q.contacts[3] = Vec2{0.2, 0.6};
  auto sol = SolveStance(b, q);
  ASSERT_TRUE(sol);
  EXPECT_TRUE(ComSupported(b, q.contacts, sol->com, SupportRule::kPolygon));
  EXPECT_NEAR(sol->com.x, 0, 0.05);
  // Hands 3 m above the feet: no body of 175 cm holds that.
  q.contacts[2] = Vec2{-0.2, -1.2};
  q.contacts[3] = Vec2{0.2, -1.2};
  EXPECT_FALSE(SolveStance(b, q));
  // Hanging from the hands alone: the centre of mass below them, over them horizontally, which
  // is what the vertical rule asks during a move.
  StanceQuery hang;
  hang.contacts[0] = Vec2{-0.25, 1.9};
  hang.contacts[1] = Vec2{0.25, 1.9};
  hang.rule = SupportRule::kVertical;
  auto s2 = SolveStance(b, hang);
  ASSERT_TRUE(s2);
  EXPECT_TRUE(ComSupported(b, hang.contacts, s2->com, SupportRule::kVertical));
  EXPECT_LT(s2->com.y, 1.9);
}

TEST(Scale, FollowsTheIssuesOrder) {
  std::vector<PixelHold> holds(3);
  holds[0] = {"a", {100, 100}, {}, 20, SizeClass::kMedium, HoldRole::kNone, true, ""};
  holds[1] = {"b", {100, 600}, {}, 20, SizeClass::kMedium, HoldRole::kNone, true, ""};
  holds[2] = {"c", {300, 600}, {}, 10, SizeClass::kSmall, HoldRole::kNone, true, ""};
  const ImageSize image{1000, 1500};
  ScaleInputs in;
  in.skeleton = SkeletonScale{500, 180, true};
  in.distance = HoldDistance{"a", "b", 200};
  in.wall_height_cm = 450;
  auto s = EstimateScale(holds, image, in);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->source, ScaleSource::kClimberSkeleton);
  EXPECT_NEAR(s->metres_per_pixel, 1.8 / 500, 1e-12);
  EXPECT_NEAR(s->confidence, 0.8, 1e-12);
  in.skeleton->height_from_profile = false;  // a default height ranks after the user's numbers
  s = EstimateScale(holds, image, in);
  EXPECT_EQ(s->source, ScaleSource::kUserDistance);
  EXPECT_NEAR(s->metres_per_pixel, 2.0 / 500, 1e-12);
  in.distance.reset();
  s = EstimateScale(holds, image, in);
  EXPECT_EQ(s->source, ScaleSource::kWallHeight);
  EXPECT_NEAR(s->metres_per_pixel, 4.5 / 1500, 1e-12);
  in.wall_height_cm.reset();
  s = EstimateScale(holds, image, in);
  EXPECT_EQ(s->source, ScaleSource::kClimberSkeleton);
  EXPECT_LT(s->confidence, 0.5);
  in.skeleton.reset();
  s = EstimateScale(holds, image, in);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->source, ScaleSource::kHoldSizes);
  // medium 0.12 m over 40 px; small 0.06 m over 20 px: 0.003 m/px, in full agreement.
  EXPECT_NEAR(s->metres_per_pixel, 0.003, 1e-12);
  EXPECT_LE(s->confidence, 0.35);
  EXPECT_FALSE(s->detail.empty());
}

TEST(Scale, UnusableInputsAreErrors) {
  std::vector<PixelHold> holds(2);
  holds[0] = {"a", {100, 100}, {}, 20, SizeClass::kMedium, HoldRole::kNone, true, ""};
  holds[1] = {"b", {100, 100}, {}, 20, SizeClass::kMedium, HoldRole::kNone, true, ""};
  ScaleInputs in;
  in.distance = HoldDistance{"a", "x", 100};
  EXPECT_EQ(EstimateScale(holds, {100, 100}, in).status().kind(), ErrorKind::kInvalidArgument);
  in.distance = HoldDistance{"a", "b", 100};  // the same place
  EXPECT_EQ(EstimateScale(holds, {100, 100}, in).status().kind(), ErrorKind::kInvalidArgument);
  in.distance = HoldDistance{"a", "b", 0.5};
  EXPECT_EQ(EstimateScale(holds, {100, 100}, in).status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(EstimateScale(holds, {0, 100}, {}).status().kind(), ErrorKind::kInvalidArgument);
  // Two holds are too few to estimate from their sizes.
  EXPECT_EQ(EstimateScale(holds, {100, 100}, {}).status().kind(), ErrorKind::kFailedPrecondition);
}

}  // namespace
}  // namespace ascension::ghost
