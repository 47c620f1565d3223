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

TEST(RouteBodiesTest, ScaleOfARoutePatchAndAGhostRequest) {
  http::Response err;
  const char* kA = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  const char* kB = "6f1c2e4a-8b3d-4c5e-9f60-7a8b9c0d1e2f";
  // PATCH /v1/routes/{id}: absent leaves it, null clears it, an object sets it.
  auto untouched = ReadRouteEdit(json::parse(R"({"name":"x"})"), &err);
  ASSERT_TRUE(untouched);
  EXPECT_FALSE(untouched->scale);
  auto cleared = ReadRouteEdit(json::parse(R"({"scale":null})"), &err);
  ASSERT_TRUE(cleared);
  ASSERT_TRUE(cleared->scale);
  EXPECT_TRUE(cleared->scale->empty());
  auto wall = ReadRouteEdit(json::parse(R"({"scale":{"wall_height_cm":420}})"), &err);
  ASSERT_TRUE(wall && wall->scale);
  EXPECT_EQ(*wall->scale->wall_height_cm, 420);
  EXPECT_FALSE(wall->scale->distance);
  auto distance = ReadRouteEdit(json{{"scale", {{"hold_a", kA}, {"hold_b", kB}, {"distance_cm", 180}}}},
                                &err);
  ASSERT_TRUE(distance && distance->scale && distance->scale->distance);
  EXPECT_EQ(distance->scale->distance->hold_a.str(), kA);
  EXPECT_EQ(distance->scale->distance->hold_b.str(), kB);
  EXPECT_EQ(distance->scale->distance->distance_cm, 180);
  EXPECT_FALSE(distance->scale->wall_height_cm);

  // POST /v1/routes/{id}/ghost: {} is the route's scale; a scale or null is given.
  auto none = ReadGhostRequest(json::object(), &err);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->scale);
  auto given = ReadGhostRequest(json::parse(R"({"scale":{"wall_height_cm":380.5}})"), &err);
  ASSERT_TRUE(given && given->scale);
  EXPECT_EQ(*given->scale->wall_height_cm, 380.5);
  auto nulled = ReadGhostRequest(json::parse(R"({"scale":null})"), &err);
  ASSERT_TRUE(nulled && nulled->scale);
  EXPECT_TRUE(nulled->scale->empty());
  EXPECT_EQ(Refusal(ReadGhostRequest, R"({"scale":{},"x":1})"), "unknown field x");

  // Every wrong type or shape is a 422 naming the field, for both bodies.
  for (const char* wrapped : {R"({"scale":%s})", R"({"name":"n","scale":%s})"}) {
    auto refusal = [&](const std::string& scale) {
      std::string body = wrapped;
      body.replace(body.find("%s"), 2, scale);
      const std::string route = Refusal(ReadRouteEdit, body);
      if (body.find("\"name\"") == std::string::npos) {
        EXPECT_EQ(Refusal(ReadGhostRequest, body), route) << body;
      }
      return route;
    };
    EXPECT_EQ(refusal("[]"), "scale must be an object or null");
    EXPECT_EQ(refusal("420"), "scale must be an object or null");
    EXPECT_EQ(refusal("{}"), "scale is either hold_a, hold_b and distance_cm, or wall_height_cm");
    EXPECT_EQ(refusal(R"({"wall_height_cm":400,"distance_cm":3})"),
              "scale is either hold_a, hold_b and distance_cm, or wall_height_cm");
    EXPECT_EQ(refusal(R"({"wall_height_cm":400,"metres":3})"), "unknown field scale.metres");
    EXPECT_EQ(refusal(R"({"hold_a":"x","hold_b":"y","distance_cm":3})"),
              "scale.hold_a must be a hold id");
    EXPECT_EQ(refusal(std::string(R"({"hold_a":")") + kA + R"(","distance_cm":3})"),
              "scale.hold_b must be a hold id");
    EXPECT_EQ(refusal(std::string(R"({"hold_a":")") + kA + R"(","hold_b":7,"distance_cm":3})"),
              "scale.hold_b must be a hold id");
    EXPECT_EQ(refusal(std::string(R"({"hold_a":")") + kA + R"(","hold_b":")" + kB + R"("})"),
              "scale.distance_cm must be a number");
    EXPECT_EQ(refusal(std::string(R"({"hold_a":")") + kA + R"(","hold_b":")" + kB +
                      R"(","distance_cm":"150"})"),
              "scale.distance_cm must be a number");
    EXPECT_EQ(refusal(R"({"wall_height_cm":"400"})"), "scale.wall_height_cm must be a number");
    EXPECT_EQ(refusal(R"({"wall_height_cm":true})"), "scale.wall_height_cm must be a number");
    EXPECT_EQ(refusal(R"({"wall_height_cm":null})"), "scale.wall_height_cm must be a number");
  }
}

}  // namespace
}  // namespace ascension::api
