#include "ghost/detected_holds.hpp"

#include <gtest/gtest.h>

#include "vision/holds/holds_json.hpp"

namespace ascension::ghost {
namespace {

namespace vh = vision::holds;

vh::Hold Square(double cx, double cy, double half, vh::Colour colour, vh::SizeClass size) {
  vh::Hold h;
  h.outline = {{cx - half, cy - half},
               {cx + half, cy - half},
               {cx + half, cy + half},
               {cx - half, cy + half}};
  h.centre = {cx, cy};
  h.area_px = 4 * half * half;
  h.colour = colour;
  h.size = size;
  return h;
}

vh::HoldSet Set() {
  vh::HoldSet s;
  s.image_width = 600;
  s.image_height = 1200;
  s.holds = {Square(300, 150, 20, vh::Colour::kGreen, vh::SizeClass::kMedium),
             Square(330, 450, 25, vh::Colour::kGreen, vh::SizeClass::kLarge),
             Square(280, 700, 15, vh::Colour::kGreen, vh::SizeClass::kSmall),
             Square(300, 1050, 8, vh::Colour::kGreen, vh::SizeClass::kFootChip),
             Square(100, 600, 25, vh::Colour::kBlue, vh::SizeClass::kVolume)};
  s.holds[1].role = vh::Role::kHand;
  return s;
}

TEST(DetectedHolds, CarriesEveryField) {
  const auto holds = PixelHoldsFromDetector(Set());
  ASSERT_EQ(holds.size(), 5u);
  EXPECT_EQ(holds[0].id, "0");
  EXPECT_EQ(holds[4].id, "4");
  EXPECT_EQ(holds[4].colour, "blue");
  EXPECT_EQ(holds[4].size, SizeClass::kVolume);
  EXPECT_EQ(holds[3].size, SizeClass::kFootChip);
  EXPECT_EQ(holds[1].role, HoldRole::kHand);
  EXPECT_EQ(holds[0].role, HoldRole::kNone);
  EXPECT_EQ(holds[2].outline.size(), 4u);
  EXPECT_DOUBLE_EQ(holds[2].centre.y, 700);
  EXPECT_NEAR(holds[0].radius_px, std::sqrt(1600 / M_PI), 1e-9);
  EXPECT_TRUE(holds[4].selected);
}

// The typed path and the detector's JSON document give the same route.
TEST(DetectedHolds, SameRouteAsTheDetectorsDocument) {
  ScaleInputs scale;
  scale.wall_height_cm = 300;
  RouteChoices choices;
  choices.colour = "green";
  auto typed = RouteFromDetectedHolds(Set(), scale, choices);
  auto parsed = ParseRouteJson(vh::HoldSetJson(Set()), scale, choices);
  ASSERT_TRUE(typed.ok()) << typed.status().ToString();
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_DOUBLE_EQ(typed->scale.metres_per_pixel, 3.0 / 1200);
  EXPECT_EQ(typed->scale.source, parsed->scale.source);
  EXPECT_DOUBLE_EQ(typed->scale.metres_per_pixel, parsed->scale.metres_per_pixel);
  ASSERT_EQ(typed->route.holds.size(), parsed->route.holds.size());
  for (std::size_t i = 0; i < typed->route.holds.size(); ++i) {
    const Hold& a = typed->route.holds[i];
    const Hold& b = parsed->route.holds[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.selected, b.selected) << a.id;
    EXPECT_EQ(a.role, b.role) << a.id;
    EXPECT_EQ(a.size, b.size) << a.id;
    EXPECT_NEAR(a.centre.x, b.centre.x, 1e-3) << a.id;
    EXPECT_NEAR(a.centre.y, b.centre.y, 1e-3) << a.id;
  }
  EXPECT_FALSE(typed->route.holds[4].selected);  // blue
  EXPECT_EQ(typed->route.holds[0].role, HoldRole::kTop);
  // An empty image is refused, not divided by.
  vh::HoldSet empty = Set();
  empty.image_height = 0;
  EXPECT_FALSE(RouteFromDetectedHolds(empty, scale).ok());
}

}  // namespace
}  // namespace ascension::ghost
