// Small vector geometry used by the biomechanics: 2-D/3-D points, distances, convex hulls.
// Internal to asc_coaching. Joint angles have one definition, domain/joint_angles.hpp.
#pragma once

#include <cmath>
#include <vector>

namespace ascension::coaching::geometry {

struct Vec2 {
  double x = 0;
  double y = 0;
};

struct Vec3 {
  double x = 0;
  double y = 0;
  double z = 0;
};

inline Vec2 operator+(Vec2 a, Vec2 b) {
  return {a.x + b.x, a.y + b.y};
}
inline Vec2 operator-(Vec2 a, Vec2 b) {
  return {a.x - b.x, a.y - b.y};
}
inline Vec2 operator*(double k, Vec2 a) {
  return {k * a.x, k * a.y};
}
inline double Dot(Vec2 a, Vec2 b) {
  return a.x * b.x + a.y * b.y;
}
inline double Cross(Vec2 a, Vec2 b) {
  return a.x * b.y - a.y * b.x;
}
inline double Norm(Vec2 a) {
  return std::hypot(a.x, a.y);
}

inline Vec3 operator+(Vec3 a, Vec3 b) {
  return {a.x + b.x, a.y + b.y, a.z + b.z};
}
inline Vec3 operator-(Vec3 a, Vec3 b) {
  return {a.x - b.x, a.y - b.y, a.z - b.z};
}
inline Vec3 operator*(double k, Vec3 a) {
  return {k * a.x, k * a.y, k * a.z};
}
inline double Dot(Vec3 a, Vec3 b) {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}
inline double Norm(Vec3 a) {
  return std::sqrt(Dot(a, a));
}
inline Vec2 Planar(Vec3 a) {
  return {a.x, a.y};
}

// The point a fraction `t` of the way from `a` to `b`.
inline Vec3 Lerp(Vec3 a, Vec3 b, double t) {
  return a + t * (b - a);
}

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
