// The ghost section of an analysis: the route's ghost compared with a climb given as an analysis
// result document (route.holds_used, frames with com, video.fps), as the worker does it.
#include "ghost/analysis_ghost.hpp"

#include <gtest/gtest.h>

#include "ghost/ghost_json.hpp"

namespace ascension::ghost {
namespace {

using nlohmann::json;

// A 400 x 1000 px photo of 5 m of wall: a column of ten large jugs 45 cm apart, rung 3 the start,
// rung 9 the top; a blue hold off to the right, not selected.
RouteGhostInputs Ladder() {
  RouteGhostInputs in;
  in.image_width = 400;
  in.image_height = 1000;
  in.profile.height_cm = 178;
  in.scale.wall_height_cm = 500;
  for (int i = 0; i < 10; ++i) {
    domain::RouteHold h;
    h.id = domain::Uuid::Random();
    h.outline = domain::CircleOutline({200, 1000 - 60 - 90.0 * i}, 22, 12);
    h.colour = "green";
    h.size = "large";
    h.selected = true;
    if (i == 3) h.role = domain::HoldRole::kStart;
    if (i == 9) h.role = domain::HoldRole::kTop;
    in.holds.push_back(h);
  }
  domain::RouteHold off;
  off.id = domain::Uuid::Random();
  off.outline = domain::CircleOutline({330, 400}, 15, 12);
  off.colour = "blue";
  off.size = "medium";
  in.holds.push_back(off);
  return in;
}

struct Fixture {
  RouteGhostInputs in = Ladder();
  RouteGhostModel model;

  Fixture() {
    auto m = PlanRouteGhost(in, {.alternatives = 0, .fps = 15});
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    model = std::move(*m);
  }
  const Route& route() const { return model.route.route; }
  const Ghost& ghost() const { return *model.ghost; }

  // The ghost's own climb as an analysis result: per limb, a placement on each hold from landing
  // to leaving; the ghost's frames (their com) as the video's; 15 fps.
  json Result() const {
    json used = json::array();
    for (Limb limb : kLimbs) {
      const Contact& first = model.plan.betas.front().states.front().contacts[Index(limb)];
      if (first.kind != Contact::Kind::kHold) continue;
      std::size_t hold = first.hold;
      std::int64_t since = 0;
      auto place = [&](std::int64_t to) {
        used.push_back({{"hold_id", route().holds[hold].id},
                        {"limb", LimbName(limb)},
                        {"from_ms", since},
                        {"to_ms", to}});
      };
      for (const GhostMove& m : ghost().moves) {
        if (m.limb != limb) continue;
        place(m.start_ms);
        hold = m.to.hold;
        since = m.end_ms;
      }
      place(ghost().duration_ms);
    }
    return {{"video", {{"fps", 15}}},
            {"frames", GhostFramesJson(route(), ghost())},
            {"advice", json::array({{{"id", "straight_arms"}, {"priority", 1}}})},
            {"route", {{"holds_used", used}}}};
  }
};

TEST(AnalysisGhost, TheGhostsOwnClimbHasNoDeviation) {
  const Fixture f;
  ASSERT_TRUE(f.model.ghost);
  auto section = CompareAnalysisWithGhost(f.model, f.Result(), "en");
  ASSERT_TRUE(section.ok()) << section.status().ToString();
  const json& s = section->section;
  EXPECT_EQ(s["status"], "compared");
  EXPECT_EQ(s["beta"]["moves"].size(), f.ghost().moves.size());
  const json& counts = s["comparison"]["counts"];
  EXPECT_EQ(counts.dump(), json({{"same_hold", f.ghost().moves.size()},
                                 {"other_hold", 0},
                                 {"extra_move", 0},
                                 {"skipped_move", 0}})
                               .dump())
      << counts.dump();
  EXPECT_FALSE(s["comparison"]["sync"].empty());
  EXPECT_EQ(s["duration_ms"], f.ghost().duration_ms);
  EXPECT_TRUE(section->advice.empty());
}

TEST(AnalysisGhost, OneMoveOnAnotherHoldIsExactlyThatDeviationAndItsAdvice) {
  const Fixture f;
  json result = f.Result();
  // The first hand move after the start lands on the blue hold instead of its rung.
  std::size_t k = 0;
  while (k < f.ghost().moves.size() && !IsHand(f.ghost().moves[k].limb)) ++k;
  ASSERT_LT(k, f.ghost().moves.size());
  const GhostMove& m = f.ghost().moves[k];
  const std::string blue = f.in.holds.back().id.str();
  bool changed = false;
  for (json& u : result["route"]["holds_used"]) {
    if (u["limb"] == LimbName(m.limb) && u["from_ms"] == m.end_ms) {
      u["hold_id"] = blue;
      changed = true;
    }
  }
  ASSERT_TRUE(changed);
  auto section = CompareAnalysisWithGhost(f.model, result, "fr");
  ASSERT_TRUE(section.ok()) << section.status().ToString();
  const json& c = section->section["comparison"];
  EXPECT_EQ(c["counts"]["other_hold"], 1) << c["counts"].dump();
  EXPECT_EQ(c["counts"]["extra_move"], 0);
  EXPECT_EQ(c["counts"]["skipped_move"], 0);
  int deviations = 0;
  for (const json& move : c["moves"]) {
    if (move["kind"] == "same_hold") continue;
    ++deviations;
    EXPECT_EQ(move["kind"], "other_hold");
    EXPECT_EQ(move["ghost_move"], k);
    EXPECT_EQ(move["real_hold"], blue);
  }
  EXPECT_EQ(deviations, 1);
  ASSERT_FALSE(section->advice.empty());
  const coaching::Advice& a = section->advice.front();
  EXPECT_EQ(a.id, "ghost_other_hold");
  EXPECT_EQ(a.timestamp_ms, m.end_ms);
  EXPECT_EQ(a.language, coaching::Language::kFrench);
  EXPECT_FALSE(a.evidence.empty());

  // Into the result's advice, after the coaching's, and the hints' Markdown.
  const std::string hints = AppendAdvice(result, section->advice);
  ASSERT_EQ(result["advice"].size(), 1 + section->advice.size());
  EXPECT_EQ(result["advice"][1]["id"], "ghost_other_hold");
  EXPECT_EQ(result["advice"][1]["priority"], 2);
  EXPECT_NE(hints.find("## " + a.title), std::string::npos) << hints;
  EXPECT_NE(hints.find(coaching::FormatTimecode(m.end_ms)), std::string::npos) << hints;
}

TEST(AnalysisGhost, WithoutABetaTheSectionSaysWhyAndWithoutHoldsUsedItIsAnError) {
  Fixture f;
  auto section = CompareAnalysisWithGhost(f.model, json{{"frames", json::array()}}, "en");
  EXPECT_EQ(section.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(section.status().message().find("route.holds_used"), std::string::npos);
  json hostile = f.Result();
  hostile["route"]["holds_used"][0]["hold_id"] = "not-a-hold-of-the-route";
  EXPECT_EQ(CompareAnalysisWithGhost(f.model, hostile, "en").status().kind(),
            ErrorKind::kInvalidArgument);

  // The top out of every reach: no beta, said.
  RouteGhostInputs far = f.in;
  far.holds[9].outline = domain::CircleOutline({200, 40}, 22, 12);
  far.holds[8].selected = far.holds[7].selected = far.holds[6].selected = far.holds[5].selected =
      false;
  auto none = PlanRouteGhost(far, {.alternatives = 0, .fps = 15});
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  ASSERT_FALSE(none->ghost);
  auto no_beta = CompareAnalysisWithGhost(*none, f.Result(), "en");
  ASSERT_TRUE(no_beta.ok()) << no_beta.status().ToString();
  EXPECT_EQ(no_beta->section["status"], "no_beta");
  EXPECT_TRUE(no_beta->section["no_beta"].is_object());
  EXPECT_TRUE(no_beta->advice.empty());
  json result = f.Result();
  EXPECT_EQ(AppendAdvice(result, {}), "");
  EXPECT_EQ(result["advice"].size(), 1u);
}

}  // namespace
}  // namespace ascension::ghost
