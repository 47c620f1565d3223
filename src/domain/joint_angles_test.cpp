#include "domain/joint_angles.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace ascension::domain {
namespace {

PoseFrame Detected() {
  PoseFrame f;
  f.detected = true;
  for (Landmark& l : f.landmarks) l = {0.5, 0.5, 0, 1, 1};
  return f;
}

TEST(JointAngles, ThreeDimensional) {
  PoseFrame f = Detected();
  // Right angle at the left elbow (13) in x/y; straight left knee (25) along y.
  f.landmarks[11] = {0.5, 0.3, 0, 1, 1};
  f.landmarks[13] = {0.5, 0.5, 0, 1, 1};
  f.landmarks[15] = {0.7, 0.5, 0, 1, 1};
  f.landmarks[23] = {0.5, 0.6, 0, 1, 1};
  f.landmarks[25] = {0.5, 0.8, 0, 1, 1};
  f.landmarks[27] = {0.5, 1.0, 0, 1, 1};
  // Depth matters: the right knee (26) bends 90 degrees through z.
  f.landmarks[24] = {0.6, 0.6, 0, 1, 1};
  f.landmarks[26] = {0.6, 0.8, 0, 1, 1};
  f.landmarks[28] = {0.6, 0.8, 0.2, 1, 1};
  EXPECT_NEAR(MeasureJointAngle(f, 13, 1.0)->degrees, 90, 1e-9);
  EXPECT_NEAR(MeasureJointAngle(f, 25, 1.0)->degrees, 180, 1e-6);
  EXPECT_NEAR(MeasureJointAngle(f, 26, 1.0)->degrees, 90, 1e-9);
  EXPECT_TRUE(MeasureJointAngle(f, 26, 1.0)->certain);
  EXPECT_FALSE(MeasureJointAngle(f, 15, 1.0).has_value());  // the wrist is no vertex
  f.detected = false;
  EXPECT_TRUE(JointAngles(f, 1.0).empty());
}

// Normalized x is a share of the width and y of the height: a forearm drawn at 45° on a
// portrait 480×854 frame is not at 45° in normalized units. The angle is the body's.
TEST(JointAngles, TheFrameAspectIsUndone) {
  PoseFrame f = Detected();
  const double aspect = 480.0 / 854.0;
  f.landmarks[11] = {0.5, 0.3, 0, 1, 1};                       // shoulder straight above
  f.landmarks[13] = {0.5, 0.5, 0, 1, 1};                       // elbow
  f.landmarks[15] = {0.5 + 0.1 / aspect, 0.5 + 0.1, 0, 1, 1};  // wrist 45° down-right in pixels
  EXPECT_NEAR(MeasureJointAngle(f, 13, aspect)->degrees, 135, 1e-9);
  EXPECT_GT(std::fabs(MeasureJointAngle(f, 13, 1.0)->degrees - 135), 10);
  // z is on the scale of x: a forearm pointing at the camera by as much as it drops.
  f.landmarks[15] = {0.5, 0.5 + 0.1, -0.1 / aspect, 1, 1};
  EXPECT_NEAR(MeasureJointAngle(f, 13, aspect)->degrees, 135, 1e-9);
}

TEST(JointAngles, UncertainWhenAnyLandmarkIsNotUsable) {
  PoseFrame f = Detected();
  f.landmarks[12] = {0.6, 0.3, 0, 1, 1};
  f.landmarks[14] = {0.6, 0.5, 0, 1, 1};
  f.landmarks[16] = {0.6, 0.7, 0, 0.49, 1};  // wrist occluded
  const auto a = MeasureJointAngle(f, 14, 1.0);
  ASSERT_TRUE(a.has_value());
  EXPECT_NEAR(a->degrees, 180, 1e-9);
  EXPECT_FALSE(a->certain);
  f.landmarks[16].visibility = 0.5;
  f.landmarks[16].presence = 0.3;  // wrist out of the frame
  EXPECT_FALSE(MeasureJointAngle(f, 14, 1.0)->certain);
  f.landmarks[16].presence = 0.5;
  EXPECT_TRUE(MeasureJointAngle(f, 14, 1.0)->certain);
}

TEST(JointAngles, DegenerateAndNonFiniteInputGiveNoAngle) {
  PoseFrame f = Detected();  // every landmark at one point: zero-length arms
  EXPECT_FALSE(MeasureJointAngle(f, 13, 1.0).has_value());
  f.landmarks[11] = {0.5, 0.3, 0, 1, 1};
  f.landmarks[15] = {std::numeric_limits<double>::quiet_NaN(), 0.7, 0, 1, 1};
  EXPECT_FALSE(MeasureJointAngle(f, 13, 1.0).has_value());
  f.landmarks[15] = {0.5, 0.7, 0, 1, 1};
  EXPECT_TRUE(MeasureJointAngle(f, 13, 1.0).has_value());
  EXPECT_FALSE(MeasureJointAngle(f, 13, 0.0).has_value());
  EXPECT_FALSE(MeasureJointAngle(f, 13, std::numeric_limits<double>::infinity()).has_value());
}

TEST(JointAngles, LandmarkUsable) {
  EXPECT_TRUE(LandmarkUsable({0.1, 0.2, 0.3, 0.5, 0.5}));
  EXPECT_FALSE(LandmarkUsable({0.1, 0.2, 0.3, 0.49, 1}));
  EXPECT_FALSE(LandmarkUsable({0.1, 0.2, std::numeric_limits<double>::infinity(), 1, 1}));
}

TEST(JointAngles, AspectRatio) {
  EXPECT_DOUBLE_EQ(AspectRatio({480, 854, 0, 30, 1, 30, "h264"}), 480.0 / 854.0);
  EXPECT_DOUBLE_EQ(AspectRatio({}), 1.0);
  EXPECT_DOUBLE_EQ(AspectRatio({-4, 3, 0, 30, 1, 30, ""}), 1.0);
}

}  // namespace
}  // namespace ascension::domain
