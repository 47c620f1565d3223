#include "coaching/geometry.hpp"

#include <algorithm>
#include <limits>

namespace ascension::coaching::geometry {

double DistanceToLine(Vec3 p, Vec3 a, Vec3 b) {
  const Vec3 d = b - a;
  const double len2 = Dot(d, d);
  if (len2 == 0) return Norm(p - a);
  const double t = Dot(p - a, d) / len2;
  return Norm(p - (a + t * d));
}

double DistanceToSegment(Vec2 p, Vec2 a, Vec2 b) {
  const Vec2 d = b - a;
  const double len2 = Dot(d, d);
  if (len2 == 0) return Norm(p - a);
  const double t = std::clamp(Dot(p - a, d) / len2, 0.0, 1.0);
  return Norm(p - (a + t * d));
}

std::vector<Vec2> ConvexHull(std::vector<Vec2> points) {
  std::sort(points.begin(), points.end(),
            [](Vec2 a, Vec2 b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  points.erase(std::unique(points.begin(), points.end(),
                           [](Vec2 a, Vec2 b) { return a.x == b.x && a.y == b.y; }),
               points.end());
  if (points.size() < 3) return points;
  std::vector<Vec2> hull(2 * points.size());
  std::size_t k = 0;
  for (const Vec2& p : points) {  // lower chain
    while (k >= 2 && Cross(hull[k - 1] - hull[k - 2], p - hull[k - 2]) <= 0) --k;
    hull[k++] = p;
  }
  const std::size_t lower = k + 1;
  for (std::size_t i = points.size() - 1; i-- > 0;) {  // upper chain
    while (k >= lower && Cross(hull[k - 1] - hull[k - 2], points[i] - hull[k - 2]) <= 0) --k;
    hull[k++] = points[i];
  }
  hull.resize(k - 1);  // the last point repeats the first
  return hull;
}

double DistanceToHull(Vec2 p, const std::vector<Vec2>& hull) {
  if (hull.empty()) return std::numeric_limits<double>::infinity();
  if (hull.size() == 1) return Norm(p - hull[0]);
  if (hull.size() == 2) return DistanceToSegment(p, hull[0], hull[1]);
  bool inside = true;
  double nearest = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < hull.size(); ++i) {
    const Vec2 a = hull[i];
    const Vec2 b = hull[(i + 1) % hull.size()];
    if (Cross(b - a, p - a) < 0) inside = false;
    nearest = std::min(nearest, DistanceToSegment(p, a, b));
  }
  return inside ? 0.0 : nearest;
}

}  // namespace ascension::coaching::geometry
