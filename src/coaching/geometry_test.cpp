#include "coaching/geometry.hpp"

#include <gtest/gtest.h>

namespace ascension::coaching::geometry {
namespace {

TEST(GeometryTest, DistanceToLineIncludesDepthAndHandlesCoincidentPoints) {
  EXPECT_NEAR(DistanceToLine({0.5, 0, 0}, {0, 1, 0}, {0, -1, 0}), 0.5, 1e-12);
  EXPECT_NEAR(DistanceToLine({0, 0, 0.3}, {0, 1, 0}, {0, -1, 0}), 0.3, 1e-12);
  EXPECT_NEAR(DistanceToLine({3, 4, 0}, {0, 0, 0}, {0, 0, 0}), 5.0, 1e-12);
}

TEST(GeometryTest, HullDropsInteriorAndCollinearPoints) {
  const auto hull = ConvexHull({{0, 0}, {1, 0}, {2, 0}, {2, 2}, {0, 2}, {1, 1}, {0, 0}});
  EXPECT_EQ(hull.size(), 4u);
}

TEST(GeometryTest, DistanceToHullInsideOnEdgeOutsideAndSmallHulls) {
  const auto square = ConvexHull({{0, 0}, {2, 0}, {2, 2}, {0, 2}});
  EXPECT_EQ(DistanceToHull({1, 1}, square), 0.0);
  EXPECT_EQ(DistanceToHull({2, 1}, square), 0.0);
  EXPECT_NEAR(DistanceToHull({3, 1}, square), 1.0, 1e-12);
  EXPECT_NEAR(DistanceToHull({1, 1}, ConvexHull({{0, 0}, {2, 0}})), 1.0, 1e-12);
  EXPECT_NEAR(DistanceToHull({0, 1}, ConvexHull({{0, 0}})), 1.0, 1e-12);
  EXPECT_TRUE(std::isinf(DistanceToHull({0, 0}, {})));
}

}  // namespace
}  // namespace ascension::coaching::geometry
