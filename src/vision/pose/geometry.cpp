#include "vision/pose/geometry.hpp"

#include <cmath>
#include <numbers>

namespace ascension::vision::pose {

double NormalizeRadians(double angle) {
  constexpr double kTwoPi = 2 * std::numbers::pi;
  return angle - kTwoPi * std::floor((angle + std::numbers::pi) / kTwoPi);
}

Roi RoiFromAlignmentPoints(Point center, Point scale_point, double scale) {
  const double dx = scale_point.x - center.x;
  const double dy = scale_point.y - center.y;
  const double side = 2 * std::hypot(dx, dy) * scale;
  Roi roi;
  roi.cx = center.x;
  roi.cy = center.y;
  roi.width = side;
  roi.height = side;
  roi.rotation = NormalizeRadians(std::numbers::pi / 2 - std::atan2(-dy, dx));
  return roi;
}

Point CropToImage(const Roi& roi, Point crop) {
  const double x = crop.x - 0.5;
  const double y = crop.y - 0.5;
  const double c = std::cos(roi.rotation), s = std::sin(roi.rotation);
  return {roi.cx + (c * x - s * y) * roi.width, roi.cy + (s * x + c * y) * roi.height};
}

std::array<double, 6> CropToImageMatrix(const Roi& roi, int out_w, int out_h) {
  const double c = std::cos(roi.rotation), s = std::sin(roi.rotation);
  const double sx = roi.width / out_w, sy = roi.height / out_h;
  // image = centre + R * ((u/out_w - 0.5) * width, (v/out_h - 0.5) * height)
  return {c * sx, -s * sy, roi.cx - 0.5 * c * roi.width + 0.5 * s * roi.height,
          s * sx, c * sy,  roi.cy - 0.5 * s * roi.width - 0.5 * c * roi.height};
}

}  // namespace ascension::vision::pose
