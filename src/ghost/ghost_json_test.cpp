#include "ghost/ghost_json.hpp"

#include <gtest/gtest.h>

#include "ghost/synthetic_routes.hpp"

namespace ascension::ghost {
namespace {

using nlohmann::json;

json PixelDoc() {
  return json::parse(R"({
    "image": {"width": 1000, "height": 2000, "path": "wall.jpg"},
    "scale": {"hold_a": "a", "hold_b": "b", "distance_cm": 100},
    "wall_angle_deg": 10,
    "holds": [
      {"id": "a", "centre": {"x": 500, "y": 1500}, "size_class": "large", "role": "start"},
      {"id": "b", "centre": [500, 1000], "size_class": "large", "role": "top",
       "outline": [[480, 980], [520, 980], [520, 1020], [480, 1020]]},
      {"id": 7, "center": {"x": 400, "y": 1900}, "size": "small", "role": null, "selected": false}
    ]})");
}

TEST(GhostJson, ParsesPixelHoldsWithAUserDistance) {
  auto doc = ParseRouteJson(PixelDoc());
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->scale.source, ScaleSource::kUserDistance);
  EXPECT_NEAR(doc->scale.metres_per_pixel, 1.0 / 500, 1e-12);
  EXPECT_EQ(doc->image_path, "wall.jpg");
  const Route& r = doc->route;
  ASSERT_EQ(r.holds.size(), 3u);
  // x = px · s, y = (height − py) · s.
  EXPECT_NEAR(r.holds[0].centre.x, 1.0, 1e-12);
  EXPECT_NEAR(r.holds[0].centre.y, 1.0, 1e-12);
  EXPECT_NEAR(r.holds[1].centre.y, 2.0, 1e-12);
  EXPECT_NEAR(r.holds[1].radius, std::sqrt(40.0 * 40 / 3.14159265358979) / 500, 1e-9);
  EXPECT_EQ(r.holds[2].id, "7");
  EXPECT_FALSE(r.holds[2].selected);
  EXPECT_EQ(r.holds[2].size, SizeClass::kSmall);
  EXPECT_EQ(r.holds[2].role, HoldRole::kNone);
  EXPECT_EQ(r.wall_angle_deg, 10);
  // The normalized coordinates of the analysis frames are the image's.
  const Vec2 n = ToNormalized(r.view, r.holds[0].centre);
  EXPECT_NEAR(n.x, 0.5, 1e-12);
  EXPECT_NEAR(n.y, 0.75, 1e-12);
}

TEST(GhostJson, RejectsHostileRouteDocuments) {
  const auto fails = [](const json& d, const char* needle) {
    auto r = ParseRouteJson(d);
    ASSERT_FALSE(r.ok()) << d.dump();
    EXPECT_EQ(r.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
  };
  fails(json::array(), "object");
  json d = PixelDoc();
  d["holds"] = "x";
  fails(d, "holds");
  d = PixelDoc();
  d["holds"][0]["id"] = "";
  fails(d, "holds[0].id");
  d = PixelDoc();
  d["holds"][0]["id"] = std::string("a\0b", 3);
  fails(d, "holds[0].id");
  d = PixelDoc();
  d["holds"][0]["id"] = json::object();
  fails(d, "holds[0].id");
  d = PixelDoc();
  d["holds"][1].erase("centre");
  fails(d, "holds[1].centre");
  d = PixelDoc();
  d["holds"][1]["centre"] = {{"x", "1"}, {"y", 2}};
  fails(d, "holds[1].centre");
  d = PixelDoc();
  d["holds"][1]["outline"] = {{1, 2, 3}};
  fails(d, "holds[1].outline");
  d = PixelDoc();
  d["holds"][0]["size_class"] = "huge";
  fails(d, "size_class");
  d = PixelDoc();
  d["holds"][0]["role"] = 3;
  fails(d, "role");
  d = PixelDoc();
  d["holds"][0]["selected"] = "yes";
  fails(d, "selected");
  d = PixelDoc();
  d["holds"][0]["radius"] = -1;
  fails(d, "radius");
  d = PixelDoc();
  d.erase("image");
  fails(d, "image");
  d = PixelDoc();
  d["image"]["width"] = 10.5;
  fails(d, "image");
  d = PixelDoc();
  d["scale"].erase("hold_b");
  fails(d, "scale");
  d = PixelDoc();
  d["scale"]["hold_b"] = "zz";
  fails(d, "zz");
  d = PixelDoc();
  d["scale"]["distance_cm"] = 0;
  fails(d, "distance_cm");
  d = PixelDoc();
  d["wall_angle_deg"] = 120;
  fails(d, "wall_angle_deg");
  d = PixelDoc();
  d["holds"][1]["id"] = "a";
  fails(d, "twice");
  d = PixelDoc();
  d["units"] = "inch";
  fails(d, "units");
  d = PixelDoc();
  d["holds"][0]["centre"] = {{"x", 1e300}, {"y", 1}};
  fails(d, "centre");
  d = PixelDoc();
  json many = json::array();
  for (int i = 0; i < 4001; ++i) many.push_back({{"id", i}, {"centre", {i, 1}}});
  d["holds"] = many;
  fails(d, "4000");
}

// The hold detector's document (`ascension holds --out`): "index" for ids, a colour per hold, no
// roles; the CLI's choices select a colour and give (or pick) the start and the top.
TEST(GhostJson, DetectorDocumentWithChoices) {
  const json d = json::parse(R"({"image": {"width": 400, "height": 800}, "holds": [
      {"index": 0, "centre": {"x": 200, "y": 100}, "size": "medium", "colour": "green"},
      {"index": 1, "centre": {"x": 210, "y": 300}, "size": "large", "colour": "green", "role": ""},
      {"index": 2, "centre": {"x": 190, "y": 500}, "size": "small", "colour": "green"},
      {"index": 3, "centre": {"x": 180, "y": 700}, "size": "foot_chip", "colour": "green"},
      {"index": 4, "centre": {"x": 100, "y": 400}, "size": "large", "colour": "blue"}],
      "colours": {"green": 4, "blue": 1}})");
  ScaleInputs scale;
  scale.wall_height_cm = 400;
  RouteChoices choices;
  choices.colour = "green";
  auto doc = ParseRouteJson(d, scale, choices);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const Route& r = doc->route;
  EXPECT_EQ(r.holds[0].id, "0");
  EXPECT_EQ(r.holds[0].colour, "green");
  EXPECT_FALSE(r.holds[4].selected);  // blue
  EXPECT_TRUE(r.holds[3].selected);
  EXPECT_EQ(r.holds[0].role, HoldRole::kTop);    // the highest
  EXPECT_EQ(r.holds[2].role, HoldRole::kStart);  // the lowest hand-sized one above y = 600
  EXPECT_EQ(r.holds[3].role, HoldRole::kNone);
  EXPECT_EQ(doc->scale.source, ScaleSource::kWallHeight);
  choices.start = {"1"};
  choices.top = {"0"};
  doc = ParseRouteJson(d, scale, choices);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->route.holds[1].role, HoldRole::kStart);
  EXPECT_EQ(doc->route.holds[2].role, HoldRole::kNone);
  choices.top = {"9"};
  EXPECT_FALSE(ParseRouteJson(d, scale, choices).ok());
  choices = {};
  choices.colour = "red";
  doc = ParseRouteJson(d, scale, choices);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(), "colour red is on no hold (the holds' colours: blue, green)");
}

TEST(GhostJson, HoldsInMetres) {
  const json d = json::parse(R"({"units": "m", "holds": [
      {"id": "s", "centre": [0, 1.5], "role": "start", "size_class": "large"},
      {"id": "t", "centre": [0, 3], "role": "top", "radius": 0.1}]})");
  auto doc = ParseRouteJson(d);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->scale.source, ScaleSource::kKnown);
  EXPECT_EQ(doc->route.holds[0].centre.y, 1.5);
  EXPECT_EQ(doc->route.holds[1].radius, 0.1);
  EXPECT_NEAR(doc->route.holds[0].radius, TypicalDiameter(SizeClass::kLarge) / 2, 1e-12);
  EXPECT_GT(doc->route.view.height_px, 0);
}

TEST(GhostJson, ClimbFromAnAnalysis) {
  Route r = testing::JugLadder();
  const json result = {
      {"video", {{"width", 480}, {"height", 854}, {"fps", 30}}},
      {"biomechanics", {{"summary", {{"body_height", 0.5}}}}},
      {"route",
       {{"holds_used",
         {{{"hold_id", "r3"}, {"limb", "left_hand"}, {"from_ms", 0}, {"to_ms", 900}},
          {{"hold_id", "r5"}, {"limb", "left_hand"}, {"from_ms", 1500}, {"to_ms", 3000}}}}}},
      {"frames",
       {{{"frame", 0}, {"timestamp_ms", 0}, {"com", {{"x", 0.5}, {"y", 0.5}}}},
        {{"frame", 1}, {"timestamp_ms", 33}}}}};
  // GET /v1/analyses/{id} wraps the result in a JSON string.
  const json wrapped = {{"result_json", result.dump()}};
  for (const json& doc : {result, wrapped}) {
    auto c = ParseClimbJson(doc, r);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_EQ(c->placements.size(), 2u);
    EXPECT_EQ(c->placements[1].hold_id, "r5");
    EXPECT_EQ(c->placements[1].from_ms, 1500);
    ASSERT_EQ(c->com.size(), 1u);
    const Vec2 back = ToNormalized(r.view, c->com[0].com);
    EXPECT_NEAR(back.x, 0.5, 1e-12);
    EXPECT_NEAR(back.y, 0.5, 1e-12);
  }
  EXPECT_NEAR(*SkeletonHeightPx(result), 427, 1e-9);
  json bad = result;
  bad["route"]["holds_used"][0]["limb"] = "tail";
  EXPECT_FALSE(ParseClimbJson(bad, r).ok());
  bad = result;
  bad["route"]["holds_used"][0]["from_ms"] = "0";
  EXPECT_FALSE(ParseClimbJson(bad, r).ok());
  bad = result;
  bad.erase("route");
  EXPECT_NE(ParseClimbJson(bad, r).status().message().find("no route"), std::string::npos);
  EXPECT_FALSE(ParseClimbJson(json{{"result_json", "{not json"}}, r).ok());
  EXPECT_FALSE(SkeletonHeightPx(json::array()));
}

TEST(GhostJson, FramesInTheAnalysisFormat) {
  const Route r = testing::JugLadder();
  ClimberProfile p;
  p.limbs[Index(Limb::kLeftHand)] = LimbCondition::kAbsent;
  const BodyModel body = *MakeBodyModel(p);
  const Plan plan = *PlanBeta(r, body);
  const Ghost ghost = *AnimateBeta(body, plan.betas.front());
  const json frames = GhostFramesJson(r, ghost);
  ASSERT_EQ(frames.size(), ghost.frames.size());
  for (std::size_t k = 0; k < frames.size(); k += 7) {
    const json& f = frames[k];
    EXPECT_EQ(f["frame"], k);
    EXPECT_EQ(f["timestamp_ms"], ghost.frames[k].timestamp_ms);
    EXPECT_EQ(f["pose_detected"], true);
    // The 12 landmarks the app draws, and more.
    for (int i : {11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28, 0, 19, 31}) {
      const json& l = f["landmarks"][std::to_string(i)];
      ASSERT_TRUE(l["x"].is_number() && l["y"].is_number() && l["z"].is_number() &&
                  l["pres"].is_number())
          << i;
      const bool absent = i == 13 || i == 15 || i == 19;  // the left arm
      EXPECT_EQ(l["pres"].get<double>(), absent ? 0.0 : 1.0) << i;
      if (absent) continue;
      const Vec2 back = FromNormalized(r.view, {l["x"].get<double>(), l["y"].get<double>()});
      EXPECT_LT(Length(back - ghost.frames[k].skeleton.points[i]), 1e-3 * r.view.height) << i;
    }
    EXPECT_TRUE(f["angles"].contains("14"));
    EXPECT_FALSE(f["angles"].contains("13"));
    EXPECT_TRUE(f["com"]["x"].is_number());
    EXPECT_TRUE(f["placed"].is_array());
  }
}

TEST(GhostJson, DocumentWithABetaOrWithout) {
  RouteDocument rd;
  rd.route = testing::GapTraverse();
  rd.scale = {0.005, ScaleSource::kKnown, 1, "test"};
  ClimberProfile p;
  p.height_cm = 160;
  const BodyModel body = *MakeBodyModel(p);
  const Plan plan = *PlanBeta(rd.route, body);
  const Ghost ghost = *AnimateBeta(body, plan.betas.front());
  json doc = GhostDocument(rd, body, plan, &ghost, 30, nullptr);
  EXPECT_EQ(doc["version"], 1);
  EXPECT_TRUE(doc["no_beta"].is_null());
  EXPECT_EQ(doc["beta"]["moves"].size(), plan.betas.front().moves.size());
  EXPECT_EQ(doc["beta"]["moves"][0]["start_ms"], ghost.moves[0].start_ms);
  EXPECT_EQ(doc["beta"]["start"]["left_hand"]["hold"], "A");
  EXPECT_EQ(doc["alternatives"].size(), plan.betas.size() - 1);
  EXPECT_EQ(doc["frames"].size(), ghost.frames.size());
  EXPECT_EQ(doc["video"]["duration_ms"], ghost.duration_ms);
  EXPECT_EQ(doc["scale"]["source"], "known");
  EXPECT_EQ(doc["body"]["limbs"]["left_hand"], "healthy");
  EXPECT_FALSE(doc.contains("comparison"));

  p.height_cm = 140;
  const BodyModel small = *MakeBodyModel(p);
  const Plan none = *PlanBeta(rd.route, small);
  doc = GhostDocument(rd, small, none, nullptr, 30, nullptr);
  EXPECT_TRUE(doc["beta"].is_null());
  EXPECT_EQ(doc["no_beta"]["code"], "gap_beyond_reach");
  EXPECT_EQ(doc["no_beta"]["from_hold"], "A");
  EXPECT_EQ(doc["no_beta"]["to_hold"], "I");
  EXPECT_GT(doc["no_beta"]["beyond_reach_cm"].get<double>(), 0);
  EXPECT_FALSE(doc.contains("frames"));
}

}  // namespace
}  // namespace ascension::ghost
