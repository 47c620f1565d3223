#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "vision/pose/detector.hpp"
#include "vision/pose/geometry.hpp"
#include "vision/pose/landmarker.hpp"
#include "vision/pose/one_euro.hpp"
#include "vision/pose_analyzer.hpp"

namespace ascension::vision::pose {
namespace {

constexpr double kPi = std::numbers::pi;

TEST(AnchorsTest, CountAndLayout) {
  const auto anchors = PoseDetectorAnchors();
  ASSERT_EQ(anchors.size(), 2254u);  // 28*28*2 + 14*14*2 + 7*7*6
  EXPECT_FLOAT_EQ(anchors[0].x, 0.5f / 28);
  EXPECT_FLOAT_EQ(anchors[1].x, 0.5f / 28);  // two anchors per cell on the stride-8 grid
  EXPECT_FLOAT_EQ(anchors[2].x, 1.5f / 28);
  EXPECT_FLOAT_EQ(anchors[1568].x, 0.5f / 14);  // first stride-16 anchor
  EXPECT_FLOAT_EQ(anchors[1568 + 392].y, 0.5f / 7);
  EXPECT_FLOAT_EQ(anchors.back().x, 6.5f / 7);
  EXPECT_FLOAT_EQ(anchors.back().y, 6.5f / 7);
}

Detection Box(float score, float x0, float y0, float x1, float y1, float kx) {
  Detection d;
  d.score = score;
  d.xmin = x0, d.ymin = y0, d.xmax = x1, d.ymax = y1;
  d.keypoints = {{kx, 0.5}, {kx, 0.25}};
  return d;
}

TEST(NmsTest, WeightedMergeOfOverlappingBoxes) {
  std::vector<Detection> dets = {
      Box(0.6f, 0.1f, 0.1f, 0.5f, 0.5f, 0.2f),    // overlaps the best one (IoU ~0.68)
      Box(0.9f, 0.12f, 0.1f, 0.52f, 0.5f, 0.4f),  // best
      Box(0.8f, 0.7f, 0.7f, 0.9f, 0.9f, 0.8f),    // separate cluster
  };
  EXPECT_NEAR(IntersectionOverUnion(dets[0], dets[1]), 0.38 * 0.4 / (0.16 + 0.16 - 0.152), 1e-5);
  auto out = WeightedNms(dets, 0.3f, 5);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_FLOAT_EQ(out[0].score, 0.9f);  // the cluster keeps its best score
  EXPECT_NEAR(out[0].xmin, (0.6 * 0.1 + 0.9 * 0.12) / 1.5, 1e-6);
  EXPECT_NEAR(out[0].keypoints[0].x, (0.6 * 0.2 + 0.9 * 0.4) / 1.5, 1e-6);
  EXPECT_FLOAT_EQ(out[1].score, 0.8f);
  EXPECT_FLOAT_EQ(out[1].xmin, 0.7f);
  EXPECT_EQ(WeightedNms(dets, 0.3f, 1).size(), 1u);
  EXPECT_TRUE(WeightedNms({}, 0.3f, 1).empty());
}

TEST(DecodeTest, ScoresAndOffsetsFromAnchors) {
  const auto anchors = PoseDetectorAnchors();
  std::vector<float> boxes(anchors.size() * 12, 0.f), logits(anchors.size(), -5.f);
  logits[10] = 2.f;
  boxes[10 * 12 + 0] = 22.4f;  // +0.1 in x
  boxes[10 * 12 + 2] = 44.8f;  // width 0.2
  boxes[10 * 12 + 3] = 44.8f;
  boxes[10 * 12 + 5] = -22.4f;  // keypoint 0 y -0.1
  logits[11] = 500.f;           // clamped, still a valid score
  auto dets = DecodeDetections(boxes, logits, anchors, 0.5f);
  ASSERT_EQ(dets.size(), 2u);
  EXPECT_NEAR(dets[0].score, 1 / (1 + std::exp(-2.0)), 1e-6);
  EXPECT_NEAR(dets[0].xmin, anchors[10].x + 0.1 - 0.1, 1e-6);
  EXPECT_NEAR(dets[0].keypoints[0].y, anchors[10].y - 0.1, 1e-6);
  EXPECT_NEAR(dets[1].score, 1.0, 1e-6);
}

TEST(LetterboxTest, UndoesPadding) {
  const Letterbox lb = SquareLetterbox(480, 854);  // portrait: padded left and right
  EXPECT_NEAR(lb.pad_x, (1 - 480.0 / 854) / 2, 1e-12);
  EXPECT_EQ(lb.pad_y, 0);
  Detection d = Box(1, static_cast<float>(lb.pad_x), 0, static_cast<float>(1 - lb.pad_x), 1, 0.5f);
  Detection r = RemoveLetterbox(d, lb);
  EXPECT_NEAR(r.xmin, 0, 1e-6);
  EXPECT_NEAR(r.xmax, 1, 1e-6);
  EXPECT_NEAR(r.keypoints[0].x, 0.5, 1e-6);
}

TEST(RoiTest, FromAlignmentPoints) {
  // Scale point straight above the centre: upright person, no rotation.
  Roi up = RoiFromAlignmentPoints({100, 200}, {100, 150}, 1.25);
  EXPECT_NEAR(up.rotation, 0, 1e-12);
  EXPECT_NEAR(up.width, 125, 1e-9);
  EXPECT_NEAR(up.height, 125, 1e-9);
  EXPECT_EQ(up.cx, 100);
  // Scale point to the right: the body lies along +x, rotated by +90 degrees.
  Roi right = RoiFromAlignmentPoints({0, 0}, {10, 0}, 1);
  EXPECT_NEAR(right.rotation, kPi / 2, 1e-12);
  EXPECT_NEAR(right.width, 20, 1e-12);
  // Straight down wraps to -pi (range [-pi, pi)).
  EXPECT_NEAR(RoiFromAlignmentPoints({0, 0}, {0, 10}, 1).rotation, -kPi, 1e-12);
  EXPECT_NEAR(NormalizeRadians(3 * kPi), -kPi, 1e-12);
}

TEST(RoiTest, CropMappingMatchesMatrix) {
  Roi roi{320, 240, 200, 200, 0.3};
  const Point c = CropToImage(roi, {0.5, 0.5});
  EXPECT_NEAR(c.x, 320, 1e-9);
  EXPECT_NEAR(c.y, 240, 1e-9);
  Roi upright{100, 100, 50, 50, 0};
  const Point top = CropToImage(upright, {0.5, 0});
  EXPECT_NEAR(top.x, 100, 1e-9);
  EXPECT_NEAR(top.y, 75, 1e-9);
  const auto m = CropToImageMatrix(roi, 256, 256);
  for (Point uv : {Point{0, 0}, Point{256, 0}, Point{31, 200}}) {
    const Point want = CropToImage(roi, {uv.x / 256, uv.y / 256});
    EXPECT_NEAR(m[0] * uv.x + m[1] * uv.y + m[2], want.x, 1e-9);
    EXPECT_NEAR(m[3] * uv.x + m[4] * uv.y + m[5], want.y, 1e-9);
  }
}

TEST(OneEuroTest, KnownSequence) {
  OneEuroFilter f(0.05, 80, 1);
  // MediaPipe semantics: a first timestamp of 0 passes through without touching the state.
  EXPECT_EQ(f.Apply(0, 1.0, 5.0), 5.0);
  EXPECT_EQ(f.Apply(33333, 1.0, 1.0), 1.0);  // first real sample initialises the filter
  // Second sample: frequency from the timestamps, derivative from the raw values.
  const double freq = 1e6 / 33333;
  auto alpha = [&](double cutoff) { return 1 / (1 + (1 / (2 * kPi * cutoff)) * freq); };
  const double scale = 0.01;
  const double dvalue = (2.0 - 1.0) * scale * freq;
  // The derivative filter was initialised with 0 by the previous sample.
  const double edvalue = alpha(1) * dvalue;
  const double cutoff = 0.05 + 80 * std::abs(edvalue);
  const double want = alpha(cutoff) * 2.0 + (1 - alpha(cutoff)) * 1.0;
  EXPECT_NEAR(f.Apply(66666, scale, 2.0), want, 1e-12);
  // Same or older timestamp: returned unfiltered.
  EXPECT_EQ(f.Apply(66666, scale, 9.0), 9.0);
  // A constant signal stays constant.
  OneEuroFilter g(0.05, 80, 1);
  for (int i = 1; i < 20; ++i) EXPECT_NEAR(g.Apply(i * 33333, 0.01, 3.5), 3.5, 1e-12);
}

TEST(HeatmapTest, RefinesTowardsPeak) {
  const int h = 64, w = 64, c = 2;
  std::vector<float> hm(h * w * c, -10.f);
  hm[(20 * w + 30) * c + 0] = 10.f;  // channel 0 peaks at row 20, col 30
  hm[(21 * w + 31) * c + 0] = 10.f;  // and at row 21, col 31: centroid (30.5, 20.5)
  std::vector<RawLandmark> lms(2);
  lms[0].x = 31.9 / 64;
  lms[0].y = 19.2 / 64;
  lms[1].x = 0.4;  // channel 1 has no confident cell: unchanged
  lms[1].y = 0.6;
  RefineWithHeatmap(hm, h, w, c, 7, 0.5, lms);
  EXPECT_NEAR(lms[0].x, 30.5 / 64, 1e-3);  // no +0.5: the centroid of cell indices
  EXPECT_NEAR(lms[0].y, 20.5 / 64, 1e-3);
  EXPECT_EQ(lms[1].x, 0.4);
  EXPECT_EQ(lms[1].y, 0.6);
  // Outside the heatmap: unchanged.
  std::vector<RawLandmark> out(1);
  out[0].x = 1.2;
  RefineWithHeatmap(hm, h, w, c, 7, 0.5, out);
  EXPECT_EQ(out[0].x, 1.2);
}

TEST(ResultJsonTest, MatchesReferenceKeys) {
  domain::PoseSequence seq;
  seq.model = "heavy";
  seq.video.fps = 29.956;
  domain::PoseFrame f;
  f.frame = 3;
  f.timestamp_ms = 100;
  f.detected = true;
  for (auto& l : f.landmarks) l = {0.12345, 0.5, -0.2, 0.9, 0.9996};
  seq.frames = {f, domain::PoseFrame{4, 133, false, {}}};
  const auto j = ResultJson(seq);
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["model"], "heavy");
  const auto& f0 = j["frames"][0];
  EXPECT_EQ(f0["frame"], 3);
  EXPECT_EQ(f0["timestamp_ms"], 100);
  EXPECT_EQ(f0["pose_detected"], true);
  EXPECT_EQ(f0["landmarks"].size(), 12u);
  EXPECT_DOUBLE_EQ(f0["landmarks"]["11"]["x"].get<double>(), 0.123);
  EXPECT_DOUBLE_EQ(f0["landmarks"]["28"]["pres"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(f0["landmarks"]["28"]["vis"].get<double>(), 0.9);
  EXPECT_EQ(f0["landmarks33"].size(), 33u);
  EXPECT_FALSE(j["frames"][1].contains("landmarks"));
  EXPECT_EQ(j["frames"][1]["pose_detected"], false);
}

// One view of the truth: an angle resting on a landmark too uncertain to measure is not among
// the drawn "angles"; it is listed apart, and the landmark is flagged.
TEST(ResultJsonTest, UncertainLandmarksAreFlaggedAndTheirAnglesSetApart) {
  domain::PoseSequence seq;
  seq.video.width = 480;
  seq.video.height = 854;
  domain::PoseFrame f;
  f.detected = true;
  for (auto& l : f.landmarks) l = {0.5, 0.5, 0, 0.9, 0.9};
  f.landmarks[11] = {0.5, 0.3, 0, 0.9, 0.9};  // left shoulder
  f.landmarks[13] = {0.5, 0.5, 0, 0.9, 0.9};  // left elbow
  f.landmarks[15] = {0.7, 0.5, 0, 0.9, 0.9};  // left wrist: a right angle
  f.landmarks[12] = {0.6, 0.3, 0, 0.9, 0.9};  // right shoulder
  f.landmarks[14] = {0.6, 0.5, 0, 0.9, 0.9};  // right elbow
  f.landmarks[16] = {0.6, 0.7, 0, 0.3, 0.9};  // right wrist: occluded (visibility 0.3)
  seq.frames = {f};
  const auto frame = ResultJson(seq)["frames"][0];
  EXPECT_EQ(frame["uncertain"], nlohmann::json::array({"16"}));
  EXPECT_NEAR(frame["angles"]["13"].get<double>(), 90.0, 1e-9);
  EXPECT_FALSE(frame["angles"].contains("14"));
  EXPECT_NEAR(frame["uncertain_angles"]["14"].get<double>(), 180.0, 1e-9);
  EXPECT_FALSE(frame["uncertain_angles"].contains("13"));
}

TEST(ModelVariantTest, ParseAndName) {
  EXPECT_EQ(ParseModelVariant("lite"), ModelVariant::kLite);
  EXPECT_EQ(ParseModelVariant("heavy"), ModelVariant::kHeavy);
  EXPECT_FALSE(ParseModelVariant("Heavy").has_value());
  EXPECT_STREQ(ModelVariantName(ModelVariant::kFull), "full");
}

}  // namespace
}  // namespace ascension::vision::pose
