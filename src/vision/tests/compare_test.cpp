// ComparePoses, PoseSequenceFromResult and the image-plane joint angles on hand-made poses.
#include <gtest/gtest.h>

#include <cmath>

#include "vision/pose_analyzer.hpp"
#include "vision/pose_compare.hpp"

namespace ascension::vision {
namespace {

// A standing figure: the right arm straight down, the left arm out to the side.
domain::PoseFrame Figure(int index, double dx = 0, double dz = 0) {
  domain::PoseFrame f;
  f.frame = index;
  f.timestamp_ms = index * 33;
  f.detected = true;
  auto set = [&](int i, double x, double y, double z = 0) {
    f.landmarks[i] = {x + dx, y, z + dz, 1, 1};
  };
  set(11, 0.40, 0.30);  // left shoulder
  set(12, 0.60, 0.30);
  set(13, 0.30, 0.30);  // left elbow, out to the side
  set(14, 0.60, 0.45);
  set(15, 0.20, 0.30);
  set(16, 0.60, 0.60);
  set(23, 0.40, 0.60);  // hips below the shoulders
  set(24, 0.60, 0.60);
  set(25, 0.45, 0.75);
  set(26, 0.55, 0.75);
  set(27, 0.45, 0.90);
  set(28, 0.55, 0.90);
  return f;
}

TEST(JointAnglesTest, ImagePlaneAnglesUsePixels) {
  const auto f = Figure(0);
  // In a 480 x 854 frame the left arm is horizontal and the torso vertical: 90 degrees at the
  // shoulder in pixels, whatever the normalized units say.
  const auto px = JointAngles2D(f, 480, 854);
  ASSERT_EQ(px.count(11), 1u);
  EXPECT_NEAR(px.at(11), 90.0, 1e-9);
  EXPECT_NEAR(px.at(14), 180.0, 1e-9);  // the straight right elbow
  EXPECT_TRUE(JointAngles2D(f, 0, 854).empty());
  domain::PoseFrame none;
  EXPECT_TRUE(JointAngles2D(none, 480, 854).empty());
}

TEST(ComparePosesTest, CountsAndDifferences) {
  domain::PoseSequence a, b;
  for (int i = 0; i < 4; ++i) {
    a.frames.push_back(Figure(i));
    b.frames.push_back(Figure(i, 0.01, 0.02));  // shifted: same angles, z off by 0.02
  }
  b.frames[3].detected = false;
  b.frames[0].landmarks[27].presence = 0.9;  // one landmark of one frame less present
  a.frames.push_back(Figure(9));             // not in b
  const auto r = ComparePoses(a, b, 480, 854);
  EXPECT_EQ(r.frames, 3);
  EXPECT_EQ(r.only_a, 1);
  EXPECT_EQ(r.not_in_b, 1);
  EXPECT_NEAR(r.distance_median, 0.01, 1e-9);
  EXPECT_NEAR(r.z_median, 0.02, 1e-9);
  EXPECT_NEAR(r.angle3d_median, 0.0, 1e-6);
  EXPECT_NEAR(r.angle2d_median, 0.0, 1e-6);
  EXPECT_NEAR(r.presence_median, 0.0, 1e-9);
  EXPECT_NEAR(r.presence_max, 0.1, 1e-9);
}

TEST(PoseSequenceFromResultTest, ReadsResultDocumentsAndRejectsOthers) {
  domain::PoseSequence seq;
  seq.frames.push_back(Figure(3));
  seq.frames.push_back(domain::PoseFrame{4, 133, false, {}});
  auto back = PoseSequenceFromResult(ResultJson(seq));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->frames.size(), 2u);
  EXPECT_TRUE(back->frames[0].detected);
  EXPECT_FALSE(back->frames[1].detected);
  EXPECT_NEAR(back->frames[0].landmarks[13].x, 0.30, 1e-9);
  EXPECT_EQ(back->frames[1].timestamp_ms, 133);

  using nlohmann::json;
  EXPECT_FALSE(PoseSequenceFromResult(json::array()).ok());
  EXPECT_FALSE(PoseSequenceFromResult(json{{"frames", "x"}}).ok());
  EXPECT_FALSE(PoseSequenceFromResult(json{{"frames", {{{"frame", "1"}}}}}).ok());
  const json bad_key = {{"frames",
                         {{{"frame", 1},
                           {"timestamp_ms", 0},
                           {"pose_detected", true},
                           {"landmarks", {{"eleven", {{"x", 0}, {"y", 0}, {"z", 0}}}}}}}}};
  EXPECT_FALSE(PoseSequenceFromResult(bad_key).ok());
  const json out_of_range = {{"frames",
                              {{{"frame", 1},
                                {"timestamp_ms", 0},
                                {"pose_detected", true},
                                {"landmarks", {{"99", {{"x", 0}, {"y", 0}, {"z", 0}}}}}}}}};
  EXPECT_FALSE(PoseSequenceFromResult(out_of_range).ok());
  const json wrong_type = {{"frames",
                            {{{"frame", 1},
                              {"timestamp_ms", 0},
                              {"pose_detected", true},
                              {"landmarks", {{"11", {{"x", "0"}, {"y", 0}, {"z", 0}}}}}}}}};
  EXPECT_FALSE(PoseSequenceFromResult(wrong_type).ok());
}

}  // namespace
}  // namespace ascension::vision
