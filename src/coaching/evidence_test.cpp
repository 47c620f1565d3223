// One view of the truth (issue 15, item 1): every piece of advice's evidence is recomputed from
// the result document's own frames — the angles the app draws, the per-frame measures — for the
// reference climb and every synthetic climber, in both languages.
#include <gtest/gtest.h>

#include "coaching/advice.hpp"
#include "coaching/evidence_check.hpp"
#include "coaching/result_frames_fixture.hpp"
#include "coaching/result_json.hpp"
#include "coaching/synthetic_climber.hpp"
#include "vision/pose_analyzer.hpp"

namespace ascension::coaching {
namespace {

using nlohmann::json;

constexpr char kExample[] = ASC_COACHING_REFERENCE_DATA "/example-2-biomechanics.json";

// The document as the worker assembles it (worker/analysis_document.cpp): the vision result,
// the coaching measures merged into each frame, the biomechanics and the advice.
json Document(const domain::PoseSequence& poses, const char* lang) {
  json doc = vision::ResultJson(poses);
  const Biomechanics bio = Analyze(poses);
  json& frames = doc["frames"];
  for (std::size_t i = 0; i < bio.frames.size(); ++i) {
    const json extra = FrameJson(bio.frames[i]);
    for (auto it = extra.begin(); it != extra.end(); ++it) frames[i][it.key()] = it.value();
  }
  doc["biomechanics"] = BiomechanicsJson(bio);
  doc["advice"] = AdviceJson(Advise(bio, lang));
  return doc;
}

std::string Join(const std::vector<std::string>& problems) {
  std::string out;
  for (const std::string& p : problems) out += "\n  " + p;
  return out;
}

TEST(EvidenceTest, EveryClaimOfEverySyntheticClimberIsRecomputedFromItsFrames) {
  for (const auto& scenario : testing::AllScenarios()) {
    for (const char* lang : {"en", "fr"}) {
      const json doc = Document(scenario.poses, lang);
      const auto problems = testing::RecomputeEvidence(doc);
      EXPECT_TRUE(problems.empty()) << scenario.name << " (" << lang << "):" << Join(problems);
      EXPECT_GE(testing::CountEvidence(doc), 3) << scenario.name;
    }
  }
}

TEST(EvidenceTest, EveryClaimOnTheReferenceClimbIsRecomputedFromItsFrames) {
  const auto seq = testing::LoadResultFrames(kExample, {480, 854, 0, 30.0, 10.3, 309, "h264"});
  ASSERT_TRUE(seq.ok()) << seq.status().ToString();
  for (const char* lang : {"en", "fr"}) {
    const json doc = Document(*seq, lang);
    const auto problems = testing::RecomputeEvidence(doc);
    EXPECT_TRUE(problems.empty()) << lang << ":" << Join(problems);
    EXPECT_GE(testing::CountEvidence(doc), 3);
  }
}

// The sample clip's contradiction, reproduced: the right arm is straight where it cannot be
// measured and bent where it can. The advice speaks of the measured part only and says so; the
// frames do not draw the straight angles as measures.
TEST(EvidenceTest, AClaimOnPartOfTheClimbSaysWhatItRestsOn) {
  const json en = Document(testing::OccludedArmAscent(), "en");
  const json& advice = en["advice"];
  const auto it = std::find_if(advice.begin(), advice.end(),
                               [](const json& a) { return a["id"] == "straight_arms"; });
  ASSERT_NE(it, advice.end()) << advice.dump(1);
  const json& e = (*it)["evidence"][0];
  EXPECT_EQ(e["measure"], "right_straight_arm_ratio");
  EXPECT_FALSE(e["basis"]["whole_climb"].get<bool>());
  const std::string point = (*it)["points"][0];
  EXPECT_NE(point.find("s where your right arm was visible"), std::string::npos) << point;
  EXPECT_EQ(point.find("of the climb"), std::string::npos) << point;

  int set_apart_straight = 0;
  for (const json& f : en["frames"]) {
    if (f["uncertain_angles"].contains("14")) {
      EXPECT_FALSE(f["angles"].contains("14"));
      set_apart_straight += f["uncertain_angles"]["14"].get<double>() > 150 ? 1 : 0;
    }
  }
  EXPECT_GT(set_apart_straight, 100);

  const json fr = Document(testing::OccludedArmAscent(), "fr");
  for (const json& a : fr["advice"]) {
    if (a["id"] != "straight_arms") continue;
    const std::string p = a["points"][0];
    EXPECT_NE(p.find("s où votre bras droit était visible"), std::string::npos) << p;
  }
}

// The check can fail: each contradiction the issue describes is caught.
TEST(EvidenceTest, TheCheckCatchesContradictions) {
  const json doc = Document(testing::OccludedArmAscent(), "en");
  ASSERT_TRUE(testing::RecomputeEvidence(doc).empty());
  std::size_t straight = 0;
  while (doc["advice"][straight]["id"] != "straight_arms") ++straight;

  // The app draws a straight arm at the advice's moment.
  json drawn = doc;
  for (json& f : drawn["frames"]) {
    if (f["timestamp_ms"] == doc["advice"][straight]["timestamp_ms"]) f["angles"]["14"] = 171.0;
  }
  EXPECT_FALSE(testing::RecomputeEvidence(drawn).empty());

  // The ratio is about other frames than the drawn ones (the uncertain ones counted too).
  json counted = doc;
  counted["advice"][straight]["evidence"][0]["value"] = 0.6;
  EXPECT_FALSE(testing::RecomputeEvidence(counted).empty());

  // A claim on part of the climb that says "of the climb".
  json unscoped = doc;
  unscoped["advice"][straight]["points"][0] = "[0ms] Your right arm was straight 0% of the climb.";
  EXPECT_FALSE(testing::RecomputeEvidence(unscoped).empty());

  // An angle drawn although it rests on an uncertain landmark.
  json flagged = doc;
  for (json& f : flagged["frames"]) {
    if (f["uncertain_angles"].contains("14")) f["angles"]["14"] = f["uncertain_angles"]["14"];
  }
  EXPECT_FALSE(testing::RecomputeEvidence(flagged).empty());

  // A measure nobody can recompute.
  json unknown = doc;
  unknown["advice"][0]["evidence"][0]["measure"] = "gut_feeling";
  EXPECT_FALSE(testing::RecomputeEvidence(unknown).empty());

  EXPECT_FALSE(testing::RecomputeEvidence(json::object()).empty());
}

}  // namespace
}  // namespace ascension::coaching
