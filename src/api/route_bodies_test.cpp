#include "api/route_bodies.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ascension::api {
namespace {

using nlohmann::json;

// The 422's message of a refused body ("" when the body was accepted).
template <class Reader>
std::string Refusal(Reader read, const std::string& text) {
  http::Response err;
  auto v = read(json::parse(text), &err);
  if (v) return "";
  EXPECT_EQ(err.status, 422);
  auto body = json::parse(err.body);
  EXPECT_EQ(body["error"]["code"], "validation_failed");
  return body["error"]["message"].get<std::string>();
}

TEST(RouteBodiesTest, NewHoldFromAnOutlineOrACircle) {
  http::Response err;
  auto hold = ReadNewHold(
      json::parse(R"({"outline":[[1,2],{"x":30,"y":2},[15,28]],"colour":"green","role":"start"})"),
      &err);
  ASSERT_TRUE(hold);
  ASSERT_TRUE(hold->outline);
  EXPECT_EQ(hold->outline->size(), 3u);
  EXPECT_EQ((*hold->outline)[1].x, 30);
  EXPECT_EQ(hold->colour, "green");
  EXPECT_EQ(hold->role, domain::HoldRole::kStart);
  EXPECT_FALSE(hold->selected);

  hold = ReadNewHold(json::parse(R"({"centre":{"x":5,"y":6},"radius":7,"colour":"red",
                                     "selected":true})"),
                     &err);
  ASSERT_TRUE(hold);
  EXPECT_EQ(hold->centre->y, 6);
  EXPECT_EQ(*hold->radius, 7);
  EXPECT_TRUE(hold->selected);
}

TEST(RouteBodiesTest, NewHoldRefusalsNameTheField) {
  EXPECT_EQ(Refusal(ReadNewHold, R"({"colour":"green","size":3})"), "unknown field size");
  EXPECT_EQ(Refusal(ReadNewHold, R"({"centre":[1,2],"colour":"green"})"),
            "radius is required with centre");
  EXPECT_EQ(Refusal(ReadNewHold, R"({"radius":4,"colour":"green"})"),
            "centre is required with radius");
  EXPECT_EQ(Refusal(ReadNewHold, R"({"outline":[[1,2]]})"), "colour is required");
  EXPECT_EQ(Refusal(ReadNewHold, R"({"centre":[1,"2"],"radius":3,"colour":"green"})"),
            R"(centre must be {"x": number, "y": number})");
  EXPECT_EQ(Refusal(ReadNewHold, R"({"centre":[1,2],"radius":"3","colour":"green"})"),
            "radius must be a number of pixels");
  EXPECT_NE(Refusal(ReadNewHold, R"({"outline":[[1,2]],"colour":"mauve"})").find("colour must be"),
            std::string::npos);
  EXPECT_EQ(Refusal(ReadNewHold, R"({"outline":[[1,2]],"colour":"red","role":"crimp"})"),
            "role must be start, top, hand, foot or null");
  EXPECT_EQ(Refusal(ReadNewHold, R"({"outline":[[1,2]],"colour":"red","selected":1})"),
            "selected must be a boolean");
  json too_long = {{"colour", "red"}, {"outline", json::array()}};
  for (int i = 0; i <= domain::kMaxOutlinePoints; ++i) too_long["outline"].push_back({i, i});
  EXPECT_NE(Refusal(ReadNewHold, too_long.dump()).find("at most 200"), std::string::npos);
}

TEST(RouteBodiesTest, HoldEditSetsOnlyWhatTheBodyNames) {
  http::Response err;
  auto edit = ReadHoldEdit(json::parse(R"({"role":null,"selected":false})"), &err);
  ASSERT_TRUE(edit);
  EXPECT_FALSE(edit->outline);
  EXPECT_FALSE(edit->centre);
  EXPECT_FALSE(edit->colour);
  ASSERT_TRUE(edit->role);                // the role is cleared...
  EXPECT_FALSE(edit->role->has_value());  // ...to none
  EXPECT_EQ(edit->selected, false);
  EXPECT_EQ(Refusal(ReadHoldEdit, R"({"radius":3})"), "unknown field radius");
  EXPECT_EQ(Refusal(ReadHoldEdit, R"({"outline":null})").rfind("outline must be an array", 0), 0u);
}

TEST(RouteBodiesTest, RouteEdit) {
  http::Response err;
  auto edit = ReadRouteEdit(
      json::parse(R"({"name":null,"grade":"6b+","grade_system":"font","wall_angle_deg":null})"),
      &err);
  ASSERT_TRUE(edit);
  ASSERT_TRUE(edit->name);
  EXPECT_FALSE(edit->name->has_value());  // cleared
  EXPECT_EQ(**edit->grade, "6b+");
  EXPECT_EQ(*edit->grade_system, "font");
  ASSERT_TRUE(edit->wall_angle_deg);
  EXPECT_FALSE(edit->wall_angle_deg->has_value());
  EXPECT_EQ(Refusal(ReadRouteEdit, R"({"grade":"6b+","grade_system":null})"),
            "grade_system is required with grade");
  EXPECT_EQ(Refusal(ReadRouteEdit, R"({"wall_angle_deg":"15"})"),
            "wall_angle_deg must be a number of degrees or null");
  EXPECT_EQ(Refusal(ReadRouteEdit, R"({"name":7})"), "name must be a string");
  EXPECT_EQ(Refusal(ReadRouteEdit, R"({"colour":"red"})"), "unknown field colour");
}

TEST(RouteBodiesTest, UploadFromAnalysisAndSelect) {
  EXPECT_EQ(Refusal(ReadRouteUpload, R"({"filename":"wall.jpg"})"), "");
  EXPECT_EQ(Refusal(ReadRouteUpload, R"({})"), "filename is required");
  EXPECT_EQ(Refusal(ReadRouteFromAnalysis, R"({"analysis_id":5})"), "analysis_id must be a string");
  EXPECT_EQ(Refusal(ReadSelectColour, R"({"colour":"blue"})"), "");
  EXPECT_EQ(Refusal(ReadSelectColour, R"({"colour":null})"), "colour is required");
  EXPECT_EQ(Refusal(ReadSelectColour, R"({"colour":"blue","all":true})"), "unknown field all");
}

TEST(RouteBodiesTest, GhostScale) {
  http::Response err;
  auto none = ReadGhostScale(json::object(), &err);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->distance);
  EXPECT_FALSE(none->wall_height_cm);
  auto wall = ReadGhostScale(json::parse(R"({"scale":{"wall_height_cm":420}})"), &err);
  ASSERT_TRUE(wall);
  EXPECT_EQ(*wall->wall_height_cm, 420);
  auto distance =
      ReadGhostScale(json::parse(R"({"scale":{"hold_a":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                               "hold_b":"6f1c2e4a-8b3d-4c5e-9f60-7a8b9c0d1e2f",
                               "distance_cm":180}})"),
                     &err);
  ASSERT_TRUE(distance);
  ASSERT_TRUE(distance->distance);
  EXPECT_EQ(distance->distance->distance_cm, 180);
  EXPECT_EQ(Refusal(ReadGhostScale, R"({"scale":[]})"), "scale must be an object");
  EXPECT_EQ(Refusal(ReadGhostScale, R"({"scale":{"wall_height_cm":400,"distance_cm":3}})"),
            "scale is either hold_a, hold_b and distance_cm, or wall_height_cm");
  EXPECT_EQ(Refusal(ReadGhostScale, R"({"scale":{"hold_a":"x","hold_b":"y","distance_cm":3}})"),
            "scale.hold_a must be a hold id");
  EXPECT_EQ(Refusal(ReadGhostScale, R"({"scale":{"wall_height_cm":"400"}})"),
            "scale.wall_height_cm must be a number");
  EXPECT_EQ(Refusal(ReadGhostScale, R"({"scale":{"wall_height_cm":true}})"),
            "scale.wall_height_cm must be a number");
}

}  // namespace
}  // namespace ascension::api
