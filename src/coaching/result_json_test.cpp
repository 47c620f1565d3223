#include "coaching/result_json.hpp"

#include <gtest/gtest.h>

#include "coaching/synthetic_climber.hpp"

namespace ascension::coaching {
namespace {

TEST(ResultJsonTest, SameInputGivesByteIdenticalDocuments) {
  auto render = [] {
    const Biomechanics b = Analyze(testing::LongPauseAscent());
    nlohmann::json frames = nlohmann::json::array();
    for (const FrameMetrics& m : b.frames) frames.push_back(FrameJson(m));
    return BiomechanicsJson(b).dump() + AdviceJson(Advise(b, "fr")).dump() + frames.dump();
  };
  EXPECT_EQ(render(), render());
}

TEST(ResultJsonTest, BiomechanicsHasSummaryScoresAndEvents) {
  const Biomechanics b = Analyze(testing::CleanAscent());
  const nlohmann::json j = BiomechanicsJson(b);
  EXPECT_EQ(j.at("version"), 2);
  const auto& s = j.at("summary");
  EXPECT_EQ(s.at("hand_moves"), 6);
  EXPECT_EQ(s.at("duration_ms"), 13500);
  for (const char* score : {"global", "technique", "fluidity", "stability", "efficiency", "pace"}) {
    EXPECT_GE(s.at("scores").at(score).get<double>(), 0.0);
    EXPECT_LE(s.at("scores").at(score).get<double>(), 100.0);
  }
  ASSERT_EQ(j.at("moves").size(), 12u);
  const auto& m = j.at("moves")[0];
  EXPECT_EQ(m.at("limb"), "right_hand");
  EXPECT_EQ(m.at("frames").size(), 2u);
  EXPECT_TRUE(j.at("pauses").is_array());
  EXPECT_TRUE(j.at("placements").is_array());
}

TEST(ResultJsonTest, FrameCarriesTheCentreOfMassUnderCom) {
  const Biomechanics b = Analyze(testing::CleanAscent());
  const nlohmann::json f = FrameJson(b.frames[10]);
  EXPECT_NEAR(f.at("com").at("x").get<double>(), b.frames[10].com->x, 1e-4);
  EXPECT_NEAR(f.at("com").at("y").get<double>(), b.frames[10].com->y, 1e-4);
  EXPECT_FALSE(f.contains("elbows"));  // the frame's own "angles" are the one truth
  EXPECT_TRUE(f.at("placed").is_array());
  EXPECT_EQ(FrameJson(FrameMetrics{}),
            (nlohmann::json{{"placed", nlohmann::json::array()}, {"still", false}}));
}

TEST(ResultJsonTest, AdviceCarriesEverythingTheAppNeeds) {
  const nlohmann::json j = AdviceJson(Advise(Analyze(testing::JerkyAscent()), "en"));
  ASSERT_GE(j.size(), 3u);
  for (const auto& a : j) {
    for (const char* key :
         {"id", "kind", "priority", "timestamp_ms", "lang", "title", "points", "evidence"}) {
      EXPECT_TRUE(a.contains(key)) << key;
    }
    for (const auto& e : a.at("evidence")) {
      for (const char* key : {"measure", "value", "threshold", "frames"}) {
        EXPECT_TRUE(e.contains(key)) << key;
      }
    }
  }
  EXPECT_EQ(j[0].at("id"), "smooth_moves");
  EXPECT_EQ(j[0].at("lang"), "en");
}

}  // namespace
}  // namespace ascension::coaching
