#include "vision/holds/evaluation.hpp"

#include <gtest/gtest.h>

#include "vision/holds/holds_json.hpp"
#include "vision/holds/labelled_set.hpp"

namespace ascension::vision::holds {
namespace {

std::vector<Point> Square(double x, double y, double side) {
  return {{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}};
}

Hold Detected(double x, double y, double side, Colour colour) {
  Hold h;
  h.outline = Square(x, y, side);
  h.centre = {x + side / 2, y + side / 2};
  h.colour = colour;
  return h;
}

TEST(Evaluation, IouOfPolygons) {
  EXPECT_NEAR(OutlineIou(Square(0, 0, 10), Square(0, 0, 10)), 1.0, 0.01);
  EXPECT_EQ(OutlineIou(Square(0, 0, 10), Square(50, 50, 10)), 0.0);
  EXPECT_NEAR(OutlineIou(Square(0, 0, 20), Square(10, 0, 20)), 1.0 / 3, 0.05);
}

TEST(Evaluation, MatchesByOverlapOrCentreOneToOne) {
  HoldSet found;
  found.holds = {Detected(0, 0, 20, Colour::kBlue),        // overlaps label 0
                 Detected(2, 2, 20, Colour::kBlue),        // same place again: a duplicate
                 Detected(195, 95, 10, Colour::kRed),      // small, centre inside label 1
                 Detected(500, 500, 10, Colour::kGreen)};  // nothing there
  const std::vector<LabelledHold> labels = {{Colour::kBlue, Square(0, 0, 20)},
                                            {Colour::kPink, Square(150, 50, 100)},
                                            {Colour::kGrey, Square(800, 800, 30)}};
  Matching m;
  const Evaluation e = Evaluate(found, labels, &m);
  EXPECT_EQ(m.detection_to_label, (std::vector<int>{0, -1, 1, -1}));
  EXPECT_EQ(m.label_to_detection, (std::vector<int>{0, 2, -1}));
  EXPECT_EQ(e.overall.detected, 4);
  EXPECT_EQ(e.overall.detected_matched, 2);
  EXPECT_EQ(e.overall.labelled, 3);
  EXPECT_EQ(e.overall.labelled_matched, 2);
  // Coloured holds must also agree on the colour: the red detection on a pink hold does not.
  EXPECT_EQ(e.coloured.detected, 4);
  EXPECT_EQ(e.coloured.detected_matched, 1);
  EXPECT_EQ(e.coloured.labelled, 2);
  EXPECT_EQ(e.coloured.labelled_matched, 1);
  EXPECT_EQ(e.matched, 2);
  EXPECT_EQ(e.colour_agrees, 1);
  EXPECT_EQ(e.per_colour.at(Colour::kPink).labelled, 1);
  EXPECT_EQ(e.per_colour.at(Colour::kPink).labelled_matched, 0);
  EXPECT_DOUBLE_EQ(e.coloured.precision(), 0.25);
  Evaluation sum = e;
  sum += e;
  EXPECT_EQ(sum.overall.detected, 8);
  EXPECT_DOUBLE_EQ(sum.coloured.precision(), 0.25);
}

TEST(Evaluation, NothingToFindIsPerfect) {
  const Evaluation e = Evaluate(HoldSet{}, {});
  EXPECT_EQ(e.overall.precision(), 1.0);
  EXPECT_EQ(e.overall.recall(), 1.0);
}

TEST(LabelledSet, ParsesAndRoundTrips) {
  const auto doc = nlohmann::json::parse(R"({"version":1,"image":{"video":"clip.mp4","frame":40},
    "width":100,"height":80,"holds":[{"colour":"blue","outline":[[1,1],[20,1],[20,20]]}]})");
  auto img = ParseLabelledImage(doc, "a.json");
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->video, "clip.mp4");
  EXPECT_EQ(img->frame, 40);
  ASSERT_EQ(img->holds.size(), 1u);
  EXPECT_EQ(img->holds[0].colour, Colour::kBlue);
  auto again = ParseLabelledImage(LabelledImageJson(*img), "a.json");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->holds[0].outline.size(), 3u);
}

TEST(LabelledSet, RejectsMalformedDocuments) {
  const char* bad[] = {
      R"([])",
      R"({"version":2,"image":{"video":"a.mp4","frame":0},"width":10,"height":10,"holds":[]})",
      R"({"version":1,"image":{"video":"a.mp4","frame":0},"width":"10","height":10,"holds":[]})",
      R"({"version":1,"image":{"video":"../a.mp4","frame":0},"width":10,"height":10,"holds":[]})",
      R"({"version":1,"image":{"video":"a.mp4","frame":-1},"width":10,"height":10,"holds":[]})",
      R"({"version":1,"image":{"video":"a.mp4","frame":0,"synthetic":{}},"width":10,"height":10,"holds":[]})",
      R"({"version":1,"image":{},"width":10,"height":10,"holds":[]})",
      R"({"version":1,"image":{"synthetic":{}},"width":10,"height":10,"holds":{}})",
      R"({"version":1,"image":{"synthetic":{}},"width":10,"height":10,"holds":[{"colour":"teal","outline":[[0,0],[1,0],[1,1]]}]})",
      R"({"version":1,"image":{"synthetic":{}},"width":10,"height":10,"holds":[{"colour":"red","outline":[[0,0],[1,0]]}]})",
      R"({"version":1,"image":{"synthetic":{}},"width":10,"height":10,"holds":[{"colour":"red","outline":[[0,0],[1,0],[11,1]]}]})",
      R"({"version":1,"image":{"synthetic":{}},"width":10,"height":10,"holds":[{"colour":"red","outline":[[0,0],[1,"0"],[1,1]]}]})",
      R"({"version":1,"image":{"synthetic":{}},"width":10,"height":10,"holds":[{"colour":1,"outline":[[0,0],[1,0],[1,1]]}]})"};
  for (const char* text : bad) {
    auto r = ParseLabelledImage(nlohmann::json::parse(text), "x.json");
    EXPECT_FALSE(r.ok()) << text;
    if (!r.ok()) {
      EXPECT_EQ(r.status().kind(), ErrorKind::kInvalidArgument);
    }
  }
}

TEST(HoldsJson, DocumentsEachHoldAndTheColourCounts) {
  HoldSet set;
  set.image_width = 200;
  set.image_height = 100;
  Hold h = Detected(10, 20, 30, Colour::kBlue);
  h.box = {10, 20, 30, 30};
  h.box_normalised = {0.05, 0.2, 0.15, 0.3};
  h.area_px = 900;
  h.measured = {20, 60, 210};
  h.size = SizeClass::kMedium;
  h.confidence = 0.91234;
  set.holds = {h, h};
  set.holds[1].role = Role::kStart;
  const auto j = HoldSetJson(set);
  EXPECT_EQ(j["image"]["width"], 200);
  ASSERT_EQ(j["holds"].size(), 2u);
  const auto& first = j["holds"][0];
  EXPECT_EQ(first["colour"], "blue");
  EXPECT_EQ(first["size"], "medium");
  EXPECT_EQ(first["measured"]["hex"], "#143cd2");
  EXPECT_DOUBLE_EQ(first["confidence"].get<double>(), 0.912);
  EXPECT_EQ(first["outline"].size(), 4u);
  EXPECT_FALSE(first.contains("role"));
  EXPECT_EQ(j["holds"][1]["role"], "start");
  EXPECT_EQ(j["colours"]["blue"], 2);
}

}  // namespace
}  // namespace ascension::vision::holds
