#include "ghost/scale.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace ascension::ghost {
namespace {

std::string Fmt(const char* format, double a, double b = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, format, a, b);
  return buf;
}

// Equivalent diameter of a detector hold in pixels: from its outline's area, else its radius.
double DiameterPx(const PixelHold& h) {
  if (h.outline.size() >= 3) {
    const double area = PolygonArea(h.outline);
    if (area > 0) return 2 * std::sqrt(area / std::numbers::pi);
  }
  return 2 * h.radius_px;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

ScaleEstimate FromSkeleton(const SkeletonScale& s) {
  ScaleEstimate e;
  e.metres_per_pixel = s.climber_height_cm / 100 / s.body_height_px;
  e.source = ScaleSource::kClimberSkeleton;
  e.confidence = s.height_from_profile ? 0.8 : 0.45;
  e.detail =
      Fmt("the climber's skeleton: %.0f cm over %.0f px", s.climber_height_cm, s.body_height_px) +
      (s.height_from_profile ? "" : " (default height: the profile has none)");
  return e;
}

}  // namespace

const char* ScaleSourceName(ScaleSource source) {
  switch (source) {
    case ScaleSource::kKnown:
      return "known";
    case ScaleSource::kClimberSkeleton:
      return "climber_skeleton";
    case ScaleSource::kUserDistance:
      return "user_distance";
    case ScaleSource::kWallHeight:
      return "wall_height";
    case ScaleSource::kHoldSizes:
      return "hold_sizes";
  }
  return "hold_sizes";
}

Result<ScaleEstimate> EstimateScale(const std::vector<PixelHold>& holds, ImageSize image,
                                    const ScaleInputs& in) {
  if (image.width <= 0 || image.height <= 0) {
    return InvalidArgument("the route image must have a positive width and height");
  }
  if (in.metres_per_pixel) {
    if (!(*in.metres_per_pixel > 0) || !std::isfinite(*in.metres_per_pixel)) {
      return InvalidArgument("scale: metres_per_pixel must be a positive number");
    }
    return ScaleEstimate{*in.metres_per_pixel, ScaleSource::kKnown, 1.0,
                         "a known scale of " + Fmt("%.5f", *in.metres_per_pixel) + " m/px"};
  }
  if (in.skeleton) {
    const SkeletonScale& s = *in.skeleton;
    if (!(s.body_height_px > 0) || !std::isfinite(s.body_height_px) ||
        !(s.climber_height_cm >= 100 && s.climber_height_cm <= 230)) {
      return InvalidArgument(
          "scale: the skeleton's height in pixels and the climber's height "
          "(100–230 cm) must be positive");
    }
  }
  if (in.skeleton && in.skeleton->height_from_profile) return FromSkeleton(*in.skeleton);
  if (in.distance) {
    const HoldDistance& d = *in.distance;
    if (!(d.distance_cm >= 1 && d.distance_cm <= 5000)) {
      return InvalidArgument("scale: distance_cm must be between 1 and 5000");
    }
    const PixelHold* a = nullptr;
    const PixelHold* b = nullptr;
    for (const PixelHold& h : holds) {
      if (h.id == d.hold_a) a = &h;
      if (h.id == d.hold_b) b = &h;
    }
    if (a == nullptr || b == nullptr) {
      return InvalidArgument("scale: hold " + (a == nullptr ? d.hold_a : d.hold_b) +
                             " is not a hold of the route");
    }
    const double px = Length(a->centre - b->centre);
    if (!(px >= 1)) return InvalidArgument("scale: the two holds are at the same place");
    ScaleEstimate e;
    e.metres_per_pixel = d.distance_cm / 100 / px;
    e.source = ScaleSource::kUserDistance;
    // A short baseline magnifies the error of locating the two centres (a few pixels).
    e.confidence = std::clamp(0.5 + 0.4 * (px - 20) / 80, 0.5, 0.9);
    e.detail = Fmt("the user's distance: %.0f cm over %.0f px between holds ", d.distance_cm, px) +
               d.hold_a + " and " + d.hold_b;
    return e;
  }
  if (in.wall_height_cm) {
    if (!(*in.wall_height_cm >= 100 && *in.wall_height_cm <= 5000)) {
      return InvalidArgument("scale: wall_height_cm must be between 100 and 5000");
    }
    ScaleEstimate e;
    e.metres_per_pixel = *in.wall_height_cm / 100 / image.height;
    e.source = ScaleSource::kWallHeight;
    e.confidence = 0.6;  // assumes the photo shows the wall from the floor to its top
    e.detail = Fmt("the wall's height: %.0f cm over the image's %.0f px", *in.wall_height_cm,
                   image.height);
    return e;
  }
  if (in.skeleton) return FromSkeleton(*in.skeleton);
  // Hold sizes: each hold's typical diameter over its diameter in pixels; the median, and a
  // confidence that falls with the spread (the classes are coarse, the detector's outlines too).
  std::vector<double> ratios;
  for (const PixelHold& h : holds) {
    const double px = DiameterPx(h);
    if (px > 0 && std::isfinite(px)) ratios.push_back(TypicalDiameter(h.size) / px);
  }
  if (ratios.size() < 3) {
    return FailedPrecondition(
        "the scale is unknown: give a distance between two holds or the wall's height");
  }
  const double m = Median(ratios);
  std::vector<double> dev;
  for (double r : ratios) dev.push_back(std::abs(r - m) / m);
  const double spread = Median(dev);
  ScaleEstimate e;
  e.metres_per_pixel = m;
  e.source = ScaleSource::kHoldSizes;
  e.confidence = std::clamp(0.35 * (1 - 2 * spread), 0.05, 0.35);
  e.detail = Fmt("the size classes of %.0f holds (median deviation %.0f %%)",
                 static_cast<double>(ratios.size()), spread * 100);
  const double wall_m = image.height * m;
  if (wall_m < 1 || wall_m > 25) {
    e.confidence = std::min(e.confidence, 0.1);
    e.detail += Fmt("; the image would be %.1f m high, which is unlikely", wall_m);
  }
  return e;
}

}  // namespace ascension::ghost
