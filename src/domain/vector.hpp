// The one 2-D and 3-D point/vector type of the project: landmark and hold positions, the
// BlazePose crop geometry, the biomechanics and the ghost's body model all use these.
#pragma once

#include <cmath>

namespace ascension::domain {

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

}  // namespace ascension::domain
