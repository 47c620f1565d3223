#include "ghost/holds_used.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ghost/comparison.hpp"
#include "ghost/ghost_json.hpp"

namespace ascension::ghost {
namespace {

using nlohmann::json;

// A square hold of half side `r` centred on (x, y), normalized coordinates.
HoldShape Square(std::string id, double x, double y, double r,
                 SizeClass size = SizeClass::kMedium) {
  return {std::move(id), {{x - r, y - r}, {x + r, y - r}, {x + r, y + r}, {x - r, y + r}}, size};
}

LimbPlacement At(Limb limb, double x, double y, std::int64_t from = 1000, std::int64_t to = 2000) {
  return {limb, from, to, {x, y}};
}

// Aspect 1, a climber half the frame high: a hand reaches 0.04 fh, a foot 0.06 fh.
HoldsUsedOptions Options() {
  HoldsUsedOptions o;
  o.aspect = 1;
  o.body_height_fh = 0.5;
  return o;
}

TEST(HoldsUsed, APlacementOnAHoldIsOnThatHold) {
  std::vector<HoldShape> holds = {Square("a", 0.3, 0.3, 0.02), Square("b", 0.6, 0.3, 0.02)};
  auto used = MatchPlacements({At(Limb::kRightHand, 0.605, 0.29, 1200, 3400)}, holds, Options());
  ASSERT_EQ(used.used.size(), 1u);
  EXPECT_EQ(used.unmatched, 0);
  const HoldUse& u = used.used[0];
  EXPECT_EQ(u.hold_id, "b");
  EXPECT_EQ(u.limb, Limb::kRightHand);
  EXPECT_EQ(u.from_ms, 1200);
  EXPECT_EQ(u.to_ms, 3400);
  EXPECT_DOUBLE_EQ(u.distance_bh, 0);
  EXPECT_NEAR(u.hold_centre.x, 0.6, 1e-9);
  EXPECT_NEAR(u.hold_centre.y, 0.3, 1e-9);
}

TEST(HoldsUsed, AWristJustBelowItsHoldIsOnIt) {
  // The wrist is a hand's length from the grip: 0.03 fh below the outline (0.06 bh) is in reach.
  std::vector<HoldShape> holds = {Square("a", 0.5, 0.3, 0.02)};
  auto used = MatchPlacements({At(Limb::kLeftHand, 0.5, 0.35)}, holds, Options());
  ASSERT_EQ(used.used.size(), 1u);
  EXPECT_EQ(used.used[0].hold_id, "a");
  EXPECT_NEAR(used.used[0].distance_bh, 0.06, 1e-9);
}

TEST(HoldsUsed, BetweenTwoHoldsTheNearerOneWins) {
  std::vector<HoldShape> holds = {Square("left", 0.40, 0.5, 0.02),
                                  Square("right", 0.50, 0.5, 0.02)};
  // 0.02 fh from "left"'s edge, 0.04 from "right"'s: both within a foot's 0.06 fh.
  auto used = MatchPlacements({At(Limb::kLeftFoot, 0.44, 0.5)}, holds, Options());
  ASSERT_EQ(used.used.size(), 1u);
  EXPECT_EQ(used.used[0].hold_id, "left");
  // Mirrored: the other one.
  used = MatchPlacements({At(Limb::kLeftFoot, 0.46, 0.5)}, holds, Options());
  ASSERT_EQ(used.used.size(), 1u);
  EXPECT_EQ(used.used[0].hold_id, "right");
}

TEST(HoldsUsed, NoHoldNearIsUnmatched) {
  std::vector<HoldShape> holds = {Square("a", 0.2, 0.2, 0.02), Square("b", 0.8, 0.8, 0.02)};
  // A hand 0.1 fh from the nearest outline (0.2 bh, beyond a hand's 0.08 bh): a smear, not a hold.
  auto used = MatchPlacements({At(Limb::kRightHand, 0.32, 0.2), At(Limb::kLeftFoot, 0.5, 0.5)},
                              holds, Options());
  EXPECT_TRUE(used.used.empty());
  EXPECT_EQ(used.unmatched, 2);
}

TEST(HoldsUsed, TheReachOfAFootIsLongerThanAHands) {
  std::vector<HoldShape> holds = {Square("a", 0.5, 0.5, 0.02)};
  // 0.05 fh from the outline = 0.1 bh: beyond a hand's reach, within a foot's.
  auto used = MatchPlacements({At(Limb::kLeftHand, 0.5, 0.57), At(Limb::kRightFoot, 0.5, 0.57)},
                              holds, Options());
  ASSERT_EQ(used.used.size(), 1u);
  EXPECT_EQ(used.used[0].limb, Limb::kRightFoot);
  EXPECT_EQ(used.unmatched, 1);
}

TEST(HoldsUsed, AFootOnAVolumeIsOnTheVolumeOrOnTheHoldBoltedOnIt) {
  std::vector<HoldShape> holds = {Square("volume", 0.5, 0.7, 0.12, SizeClass::kVolume),
                                  Square("chip", 0.55, 0.72, 0.01, SizeClass::kFootChip)};
  auto used = MatchPlacements({At(Limb::kLeftFoot, 0.45, 0.68), At(Limb::kRightFoot, 0.552, 0.72)},
                              holds, Options());
  ASSERT_EQ(used.used.size(), 2u);
  EXPECT_EQ(used.used[0].hold_id, "volume");
  EXPECT_DOUBLE_EQ(used.used[0].distance_bh, 0);
  EXPECT_EQ(used.used[1].hold_id, "chip");  // inside both: the smaller one
}

TEST(HoldsUsed, TheAspectRatioScalesHorizontalDistances) {
  std::vector<HoldShape> holds = {Square("a", 0.5, 0.5, 0.02)};
  // 0.02 normalized to the right of the outline: 0.02 fh on a square frame (in reach of a hand),
  // 0.0356 fh on a 16:9 frame... still in reach; on a 4:1 panorama 0.08 fh: out of reach.
  auto o = Options();
  EXPECT_EQ(MatchPlacements({At(Limb::kLeftHand, 0.54, 0.5)}, holds, o).used.size(), 1u);
  o.aspect = 4;
  EXPECT_EQ(MatchPlacements({At(Limb::kLeftHand, 0.54, 0.5)}, holds, o).used.size(), 0u);
}

TEST(HoldsUsed, EmptyPlacementsAndDegenerateInputsAreNotUses) {
  std::vector<HoldShape> holds = {Square("a", 0.5, 0.5, 0.02), {"line", {{0, 0}, {1, 1}}, {}}};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto used = MatchPlacements({At(Limb::kLeftHand, 0.5, 0.5, 2000, 2000),
                               At(Limb::kLeftHand, nan, 0.5), At(Limb::kLeftHand, 0.5, 0.5)},
                              holds, Options());
  ASSERT_EQ(used.used.size(), 1u);
  EXPECT_EQ(used.unmatched, 2);
  auto bad = Options();
  bad.body_height_fh = nan;  // falls back to half the frame
  bad.aspect = -1;
  EXPECT_EQ(MatchPlacements({At(Limb::kLeftHand, 0.5, 0.5)}, holds, bad).used.size(), 1u);
}

json ResultDoc(json placements) {
  return {{"video", {{"width", 1920}, {"height", 1080}}},
          {"biomechanics",
           {{"summary", {{"body_height", 0.62}}}, {"placements", std::move(placements)}}}};
}

TEST(HoldsUsed, ReadsThePlacementsOfAResultDocument) {
  auto read =
      PlacementsFromResult(ResultDoc(json::array({{{"limb", "left_foot"},
                                                   {"start_ms", 500},
                                                   {"end_ms", 1500},
                                                   {"frames", {1, 2}},
                                                   {"position", {{"x", 0.25}, {"y", 0.75}}}}})));
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_NEAR(read->aspect, 1920.0 / 1080.0, 1e-12);
  ASSERT_TRUE(read->body_height_fh);
  EXPECT_DOUBLE_EQ(*read->body_height_fh, 0.62);
  ASSERT_EQ(read->placements.size(), 1u);
  EXPECT_EQ(read->placements[0].limb, Limb::kLeftFoot);
  EXPECT_EQ(read->placements[0].from_ms, 500);
  EXPECT_EQ(read->placements[0].to_ms, 1500);
  EXPECT_DOUBLE_EQ(read->placements[0].position.x, 0.25);
  // No biomechanics (no pose found): no placements, not an error.
  auto none = PlacementsFromResult(json{{"frames", json::array()}});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->placements.empty());
}

TEST(HoldsUsed, AHostileResultNamesTheField) {
  const json good = {{"limb", "left_hand"},
                     {"start_ms", 0},
                     {"end_ms", 10},
                     {"position", {{"x", 0.1}, {"y", 0.2}}}};
  auto with = [&](const char* key, json value) {
    json p = good;
    p[key] = std::move(value);
    return PlacementsFromResult(ResultDoc(json::array({p})));
  };
  EXPECT_EQ(PlacementsFromResult(json::array()).status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(PlacementsFromResult(ResultDoc("x")).status().message().find("biomechanics.placements"),
            std::string::npos);
  EXPECT_NE(with("limb", "left_knee").status().message().find("placements[0].limb"),
            std::string::npos);
  EXPECT_NE(with("limb", 3).status().message().find(".limb"), std::string::npos);
  EXPECT_NE(with("start_ms", "0").status().message().find("start_ms"), std::string::npos);
  EXPECT_NE(with("end_ms", 1.5).status().message().find("end_ms"), std::string::npos);
  EXPECT_NE(with("position", json::array({0.1, 0.2})).status().message().find("position"),
            std::string::npos);
  EXPECT_NE(with("position", {{"x", "a"}, {"y", 0}}).status().message().find("position"),
            std::string::npos);
  EXPECT_FALSE(PlacementsFromResult(ResultDoc(json::array({"p"}))).ok());
  json biomech_string = {{"biomechanics", "x"}};
  EXPECT_FALSE(PlacementsFromResult(biomech_string).ok());
  json video_string = {{"video", 3}};
  EXPECT_FALSE(PlacementsFromResult(video_string).ok());
}

TEST(HoldsUsed, TheJsonIsWhatTheComparisonReadsBack) {
  std::vector<HoldShape> holds = {Square("h1", 0.5, 0.5, 0.02)};
  auto used = MatchPlacements({At(Limb::kRightFoot, 0.5, 0.5, 100, 900)}, holds, Options());
  json doc = {{"route", {{"holds_used", HoldsUsedJson(used)}}}};
  ASSERT_EQ(doc["route"]["holds_used"].size(), 1u);
  EXPECT_EQ(doc["route"]["holds_used"][0]["hold_id"], "h1");
  EXPECT_EQ(doc["route"]["holds_used"][0]["limb"], "right_foot");
  Route route;
  route.holds.push_back({});
  route.holds[0].id = "h1";
  route.holds[0].radius = 0.1;
  auto climb = ParseClimbJson(doc, route);
  ASSERT_TRUE(climb.ok()) << climb.status().message();
  ASSERT_EQ(climb->placements.size(), 1u);
  EXPECT_EQ(climb->placements[0].hold_id, "h1");
  EXPECT_EQ(climb->placements[0].limb, Limb::kRightFoot);
  EXPECT_EQ(climb->placements[0].from_ms, 100);
  EXPECT_EQ(climb->placements[0].to_ms, 900);
}

}  // namespace
}  // namespace ascension::ghost
