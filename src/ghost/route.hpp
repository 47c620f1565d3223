// A route as the ghost sees it: holds on the wall plane in metres, and how that plane maps onto
// the route's image (so that ghost frames can be drawn over the photo or the climber's video).
// Plain values and their validation; docs/ghost.md describes the model.
//
// Wall frame: x to the right, y up, in metres, seen from behind the climber (the climber's left
// is on the image's left). Hold ids are the caller's (the Routes API's) and are kept as strings.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coaching/geometry.hpp"
#include "common/status.hpp"

namespace ascension::ghost {

using Vec2 = coaching::geometry::Vec2;

// |v| (plain sqrt: std::hypot's overflow care is slow, and coordinates here are metres).
inline double Length(Vec2 v) {
  return std::sqrt(v.x * v.x + v.y * v.y);
}

// The size classes of the hold detector (issue 13), smallest first.
enum class SizeClass { kFootChip = 0, kSmall = 1, kMedium = 2, kLarge = 3, kVolume = 4 };
inline constexpr int kSizeClassCount = 5;
// "foot_chip", "small", "medium", "large", "volume".
const char* SizeClassName(SizeClass size);
std::optional<SizeClass> ParseSizeClass(std::string_view name);

// What the route setter (or the climber) says a hold is for. kNone: an ordinary hold of the route.
enum class HoldRole { kNone, kStart, kTop, kHand, kFoot };
// "none", "start", "top", "hand", "foot".
const char* HoldRoleName(HoldRole role);
std::optional<HoldRole> ParseHoldRole(std::string_view name);

struct Hold {
  std::string id;
  Vec2 centre;                // metres, wall frame
  std::vector<Vec2> outline;  // metres, wall frame; may be empty
  double radius = 0;          // metres: radius of the disc of the same area (> 0)
  SizeClass size = SizeClass::kMedium;
  HoldRole role = HoldRole::kNone;
  bool selected = true;  // only selected holds belong to the route being climbed
  std::string colour;    // the detector's palette name ("green"), empty when unknown
};

// How wall metres map onto the route image: x_norm = (x − left) / width,
// y_norm = (top − y) / height, the normalized coordinates of the analysis frames.
struct View {
  double left = 0;
  double top = 0;
  double width = 1;   // metres, > 0
  double height = 1;  // metres, > 0
  int width_px = 0;   // size of the image the normalized coordinates refer to (0 = none)
  int height_px = 0;
};

Vec2 ToNormalized(const View& view, Vec2 wall);
Vec2 FromNormalized(const View& view, Vec2 normalized);

struct Route {
  // In the route's order: a hold's number — how the advice names it ("hold 18"), as the web
  // does — is its index + 1 (HoldNumber). For a stored route that is the order of
  // GET /v1/routes/{id}'s holds (the store's Holds(): by rounded centre y, then x, then id),
  // which the ghost's conversions keep (PixelHoldsFromRoute, RouteFromPixelHolds,
  // RouteFromPixels); for a holds JSON, the file's order.
  std::vector<Hold> holds;
  View view;
  std::optional<double> wall_angle_deg;  // from vertical, positive = overhang (informational)
};

// The number of the hold at `index` of Route::holds: index + 1.
inline int HoldNumber(std::size_t index) {
  return static_cast<int>(index) + 1;
}

// The index of the hold with this id, if any.
std::optional<std::size_t> FindHold(const Route& route, std::string_view id);

// A hold as the detector reports it, in image pixels (x right, y down).
struct PixelHold {
  std::string id;
  Vec2 centre;                // pixels
  std::vector<Vec2> outline;  // pixels; may be empty
  double radius_px = 0;       // used when the outline is empty; 0 = from the size class
  SizeClass size = SizeClass::kMedium;
  HoldRole role = HoldRole::kNone;
  bool selected = true;
  std::string colour;
};

struct ImageSize {
  int width = 0;
  int height = 0;
};

// Area of a simple polygon (shoelace formula), whatever its orientation; 0 below three points.
double PolygonArea(const std::vector<Vec2>& outline);

// Typical diameter of a hold of each size class, metres (docs/ghost.md): the radius used when a
// hold has neither outline nor radius, and the basis of the hold-size scale estimate.
double TypicalDiameter(SizeClass size);

// Converts detector holds to the wall frame: x = px · s, y = (image height − py) · s where s is
// metres per pixel. The view is the whole image. Fails (kInvalidArgument) on a non-positive
// scale or image size, an empty or duplicate id, non-finite coordinates.
Result<Route> RouteFromPixels(const std::vector<PixelHold>& holds, ImageSize image,
                              double metres_per_pixel);

// Checks a route built by hand (tests, JSON in metres): ids unique and non-empty, finite
// coordinates, positive radii, a view with positive size. Does not check the roles: the planner
// says what is missing (no start, no top) as a NoBeta.
Status ValidateRoute(const Route& route);

// A view covering the holds with a margin (1 m at the sides and top, down to y = 0), for routes
// given in metres without an image; width_px/height_px are set for a 720-pixel-high frame.
View ViewAroundHolds(const std::vector<Hold>& holds);

}  // namespace ascension::ghost
