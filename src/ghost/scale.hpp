// How many metres a pixel of the route image is. In order (issue 14): the climber's own
// skeleton when the route was built from their video (their height against their body's length
// in pixels), a distance the user gives between two holds, the wall height the user gives, else
// an estimate from the holds' size classes. The estimate says which it used and how sure it is.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "ghost/route.hpp"

namespace ascension::ghost {

enum class ScaleSource { kKnown, kClimberSkeleton, kUserDistance, kWallHeight, kHoldSizes };
// "known" (a route in metres, or metres per pixel given), "climber_skeleton", "user_distance",
// "wall_height", "hold_sizes".
const char* ScaleSourceName(ScaleSource source);

struct ScaleEstimate {
  double metres_per_pixel = 0;
  ScaleSource source = ScaleSource::kHoldSizes;
  double confidence = 0;  // 0..1: roughly the chance the scale is within 10 %
  std::string detail;     // one English sentence: what was measured
};

// The climber's stature in pixels of the route image (the coaching's body-height estimate,
// biomechanics.summary.body_height, times the video's height in pixels) and their height.
struct SkeletonScale {
  double body_height_px = 0;
  double climber_height_cm = 0;
  bool height_from_profile = false;  // false: a default height, a weaker scale
};

// A distance the user measured between the centres of two holds.
struct HoldDistance {
  std::string hold_a, hold_b;
  double distance_cm = 0;
};

struct ScaleInputs {
  std::optional<SkeletonScale> skeleton;
  std::optional<HoldDistance> distance;
  // The wall's height shown by the whole height of the image (a photo from floor to top).
  std::optional<double> wall_height_cm;
  // A scale already known (tests, a route given in metres): used as is, confidence 1.
  std::optional<double> metres_per_pixel;
  // The climber's height, for a skeleton given in pixels only (the holds JSON's
  // "body_height_px"); the default height when the profile has none.
  double climber_height_cm = 175;
  bool height_from_profile = false;
};

// Picks the scale: a known one; the skeleton when the height is the climber's own; the user
// distance; the wall height; the skeleton with a default height; the hold sizes (at least three
// holds). Fails (kInvalidArgument) on inputs that are present but unusable (an unknown hold id,
// a distance outside 1–5000 cm, a zero pixel distance, a non-positive image size) and
// (kFailedPrecondition) when nothing is left to estimate from.
Result<ScaleEstimate> EstimateScale(const std::vector<PixelHold>& holds, ImageSize image,
                                    const ScaleInputs& inputs);

}  // namespace ascension::ghost
