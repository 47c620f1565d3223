// Small geometry used by the biomechanics over domain::Vec2/Vec3: distances, convex hulls.
// Internal to asc_coaching. Joint angles have one definition, domain/joint_angles.hpp.
#pragma once

#include <vector>

#include "domain/vector.hpp"

namespace ascension::coaching::geometry {

using domain::Cross;
using domain::Dot;
using domain::Lerp;
using domain::Norm;
using domain::Planar;
using domain::Vec2;
using domain::Vec3;

// Distance from p to the infinite line through a and b; the distance to a when a == b.
double DistanceToLine(Vec3 p, Vec3 a, Vec3 b);

// Distance from p to the segment [a, b].
double DistanceToSegment(Vec2 p, Vec2 a, Vec2 b);

// Convex hull with positive signed area (every turn has a positive cross product), without
// collinear points (Andrew's monotone chain). Returns the input's distinct points when there are
// fewer than three.
std::vector<Vec2> ConvexHull(std::vector<Vec2> points);

// Distance from p to the region covered by the convex polygon `hull` (as returned by ConvexHull):
// 0 inside or on the boundary; the distance to the point or segment when the hull has 1 or 2
// points; infinity when it is empty.
double DistanceToHull(Vec2 p, const std::vector<Vec2>& hull);

}  // namespace ascension::coaching::geometry
