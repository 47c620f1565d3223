// The reference climb (testdata/example-2-biomechanics.json: MediaPipe heavy model, 309 frames
// at 30 fps, only landmarks 11–16 and 23–28) against testdata/example-2.golden.json. Run with
// ASC_UPDATE_GOLDEN=1 to rewrite the golden file after an intended change, and review its diff.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "coaching/advice.hpp"
#include "coaching/anthropometry.hpp"
#include "coaching/geometry.hpp"
#include "coaching/result_frames_fixture.hpp"
#include "coaching/result_json.hpp"

namespace ascension::coaching {
namespace {

using nlohmann::json;

constexpr char kExample[] = ASC_COACHING_REFERENCE_DATA "/example-2-biomechanics.json";
constexpr char kGolden[] = ASC_COACHING_TESTDATA "/example-2.golden.json";

// Numbers may drift by this much (absolute + relative to the golden value) before the test
// fails: enough for floating-point differences between compilers, far below any real change.
constexpr double kAbsTolerance = 0.01;
constexpr double kRelTolerance = 0.02;

// example-2.mp4: 480×854 portrait (track header), 30 fps, 309 frames.
domain::VideoInfo ExampleVideo() {
  return {480, 854, 0, 30.0, 10.3, 309, "h264"};
}

Result<domain::PoseSequence> LoadExample() {
  return testing::LoadResultFrames(kExample, ExampleVideo());
}

void ExpectClose(const json& expected, const json& actual, const std::string& path) {
  if (expected.is_number()) {
    ASSERT_TRUE(actual.is_number()) << path;
    const double e = expected.get<double>();
    const double a = actual.get<double>();
    EXPECT_LE(std::fabs(a - e), kAbsTolerance + kRelTolerance * std::fabs(e))
        << path << ": golden " << e << ", now " << a;
  } else if (expected.is_array()) {
    ASSERT_TRUE(actual.is_array()) << path;
    ASSERT_EQ(expected.size(), actual.size()) << path;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      ExpectClose(expected[i], actual[i], path + "[" + std::to_string(i) + "]");
    }
  } else if (expected.is_object()) {
    ASSERT_TRUE(actual.is_object()) << path;
    EXPECT_EQ(expected.size(), actual.size()) << path << ": keys differ";
    for (const auto& [key, value] : expected.items()) {
      ASSERT_TRUE(actual.contains(key)) << path << "." << key << " is missing";
      ExpectClose(value, actual.at(key), path + "." + key);
    }
  } else {
    EXPECT_EQ(expected, actual) << path;
  }
}

TEST(GoldenTest, ExampleClimbMatchesTheGoldenFile) {
  const auto seq = LoadExample();
  ASSERT_TRUE(seq.ok()) << seq.status().ToString();
  ASSERT_EQ(seq->frames.size(), 309u);
  const Biomechanics b = Analyze(*seq);
  // The advice as the climber reads it (first point in both languages) and what it rests on.
  json advice = json::array();
  const auto en = Advise(b, "en"), fr = Advise(b, "fr");
  ASSERT_EQ(en.size(), fr.size());
  const json evidence = AdviceJson(en);
  for (std::size_t i = 0; i < en.size(); ++i) {
    ASSERT_EQ(en[i].id, fr[i].id);
    advice.push_back({{"id", en[i].id},
                      {"timestamp_ms", en[i].timestamp_ms},
                      {"en", en[i].points.front()},
                      {"fr", fr[i].points.front()},
                      {"evidence", evidence[i].at("evidence")}});
  }
  const json actual = {{"summary", BiomechanicsJson(b).at("summary")}, {"advice", advice}};
  if (std::getenv("ASC_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(kGolden) << actual.dump(2) << '\n';
  }
  std::ifstream in(kGolden);
  ASSERT_TRUE(in) << "cannot open " << kGolden;
  ExpectClose(json::parse(in), actual, "golden");
}

TEST(GoldenTest, ExampleClimbCopesWithTheMissingLandmarks) {
  const auto seq = LoadExample();
  ASSERT_TRUE(seq.ok()) << seq.status().ToString();
  const Biomechanics b = Analyze(*seq);
  EXPECT_EQ(b.summary.detected_frame_count, 309);
  for (std::size_t i = 0; i < b.frames.size(); ++i) {
    const FrameMetrics& m = b.frames[i];
    ASSERT_TRUE(m.com.has_value()) << "frame " << i;
    EXPECT_TRUE(m.left_elbow_deg && m.right_elbow_deg && m.hip_distance_bh && m.reach_bh);
    // The centre of mass stays within the body: inside the hull of the twelve landmarks,
    // widened by the head the model places above the shoulders.
    std::vector<geometry::Vec2> body;
    for (const domain::Landmark& l : seq->frames[i].landmarks) {
      if (l.presence > 0) body.push_back({l.x, l.y});
    }
    const auto& ls = seq->frames[i].landmarks[domain::kLeftShoulder];
    const auto& rs = seq->frames[i].landmarks[domain::kRightShoulder];
    const auto& lh = seq->frames[i].landmarks[domain::kLeftHip];
    const auto& rh = seq->frames[i].landmarks[domain::kRightHip];
    const geometry::Vec2 shoulders{(ls.x + rs.x) / 2, (ls.y + rs.y) / 2};
    const geometry::Vec2 hips{(lh.x + rh.x) / 2, (lh.y + rh.y) / 2};
    body.push_back(shoulders + anthropometry::kHeadAboveShouldersPerTrunk * (shoulders - hips));
    EXPECT_LT(geometry::DistanceToHull({m.com->x, m.com->y}, geometry::ConvexHull(body)), 1e-9)
        << "frame " << i;
  }
  for (const char* lang : {"en", "fr"}) {
    const auto advice = Advise(b, lang);
    EXPECT_GE(advice.size(), 3u);
    for (const Advice& a : advice) {
      EXPECT_GE(a.timestamp_ms, 0);
      EXPECT_LE(a.timestamp_ms, 10281);
    }
  }
}

}  // namespace
}  // namespace ascension::coaching
