#include "ghost/route.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>

namespace ascension::ghost {
namespace {

bool Finite(Vec2 p) {
  return std::isfinite(p.x) && std::isfinite(p.y);
}

}  // namespace

double PolygonArea(const std::vector<Vec2>& outline) {
  double twice = 0;
  for (std::size_t i = 0; i < outline.size(); ++i) {
    const Vec2& a = outline[i];
    const Vec2& b = outline[(i + 1) % outline.size()];
    twice += a.x * b.y - a.y * b.x;
  }
  return std::abs(twice) / 2;
}

const char* SizeClassName(SizeClass size) {
  switch (size) {
    case SizeClass::kFootChip:
      return "foot_chip";
    case SizeClass::kSmall:
      return "small";
    case SizeClass::kMedium:
      return "medium";
    case SizeClass::kLarge:
      return "large";
    case SizeClass::kVolume:
      return "volume";
  }
  return "medium";
}

std::optional<SizeClass> ParseSizeClass(std::string_view name) {
  for (int i = 0; i < kSizeClassCount; ++i) {
    if (name == SizeClassName(static_cast<SizeClass>(i))) return static_cast<SizeClass>(i);
  }
  return std::nullopt;
}

const char* HoldRoleName(HoldRole role) {
  switch (role) {
    case HoldRole::kNone:
      return "none";
    case HoldRole::kStart:
      return "start";
    case HoldRole::kTop:
      return "top";
    case HoldRole::kHand:
      return "hand";
    case HoldRole::kFoot:
      return "foot";
  }
  return "none";
}

std::optional<HoldRole> ParseHoldRole(std::string_view name) {
  for (HoldRole r :
       {HoldRole::kNone, HoldRole::kStart, HoldRole::kTop, HoldRole::kHand, HoldRole::kFoot}) {
    if (name == HoldRoleName(r)) return r;
  }
  return std::nullopt;
}

Vec2 ToNormalized(const View& view, Vec2 wall) {
  return {(wall.x - view.left) / view.width, (view.top - wall.y) / view.height};
}

Vec2 FromNormalized(const View& view, Vec2 normalized) {
  return {view.left + normalized.x * view.width, view.top - normalized.y * view.height};
}

std::optional<std::size_t> FindHold(const Route& route, std::string_view id) {
  for (std::size_t i = 0; i < route.holds.size(); ++i) {
    if (route.holds[i].id == id) return i;
  }
  return std::nullopt;
}

double TypicalDiameter(SizeClass size) {
  switch (size) {
    case SizeClass::kFootChip:
      return 0.03;
    case SizeClass::kSmall:
      return 0.06;
    case SizeClass::kMedium:
      return 0.12;
    case SizeClass::kLarge:
      return 0.22;
    case SizeClass::kVolume:
      return 0.50;
  }
  return 0.12;
}

Result<Route> RouteFromPixels(const std::vector<PixelHold>& holds, ImageSize image,
                              double metres_per_pixel) {
  if (!(metres_per_pixel > 0) || !std::isfinite(metres_per_pixel)) {
    return InvalidArgument("the scale must be a positive number of metres per pixel");
  }
  if (image.width <= 0 || image.height <= 0) {
    return InvalidArgument("the route image must have a positive width and height");
  }
  Route route;
  const double s = metres_per_pixel;
  const auto to_wall = [&](Vec2 p) { return Vec2{p.x * s, (image.height - p.y) * s}; };
  for (const PixelHold& ph : holds) {
    Hold h;
    h.id = ph.id;
    h.centre = to_wall(ph.centre);
    for (Vec2 p : ph.outline) {
      if (!Finite(p)) return InvalidArgument("hold " + ph.id + " has a non-finite outline point");
      h.outline.push_back(to_wall(p));
    }
    if (h.outline.size() >= 3 && PolygonArea(h.outline) > 0) {
      h.radius = std::sqrt(PolygonArea(h.outline) / std::numbers::pi);
    } else if (ph.radius_px > 0 && std::isfinite(ph.radius_px)) {
      h.radius = ph.radius_px * s;
    } else {
      h.radius = TypicalDiameter(ph.size) / 2;
    }
    h.size = ph.size;
    h.role = ph.role;
    h.selected = ph.selected;
    h.colour = ph.colour;
    route.holds.push_back(std::move(h));
  }
  route.view = {0, image.height * s, image.width * s, image.height * s, image.width, image.height};
  if (Status st = ValidateRoute(route); !st.ok()) return st;
  return route;
}

Status ValidateRoute(const Route& route) {
  std::set<std::string, std::less<>> ids;
  for (const Hold& h : route.holds) {
    if (h.id.empty()) return InvalidArgument("a hold has an empty id");
    if (!ids.insert(h.id).second) return InvalidArgument("hold id " + h.id + " appears twice");
    if (!Finite(h.centre)) return InvalidArgument("hold " + h.id + " has a non-finite centre");
    if (!(h.radius > 0) || !std::isfinite(h.radius)) {
      return InvalidArgument("hold " + h.id + " has no positive size");
    }
    for (Vec2 p : h.outline) {
      if (!Finite(p)) return InvalidArgument("hold " + h.id + " has a non-finite outline point");
    }
  }
  const View& v = route.view;
  if (!(v.width > 0) || !(v.height > 0) || !std::isfinite(v.width) || !std::isfinite(v.height) ||
      !std::isfinite(v.left) || !std::isfinite(v.top)) {
    return InvalidArgument("the route's view must have a positive finite size");
  }
  if (v.width_px < 0 || v.height_px < 0) return InvalidArgument("the image size is negative");
  return Status::Ok();
}

View ViewAroundHolds(const std::vector<Hold>& holds) {
  double left = 0, right = 1, top = 2, bottom = 0;
  if (!holds.empty()) {
    left = right = holds.front().centre.x;
    top = bottom = holds.front().centre.y;
    for (const Hold& h : holds) {
      left = std::min(left, h.centre.x);
      right = std::max(right, h.centre.x);
      top = std::max(top, h.centre.y);
      bottom = std::min(bottom, h.centre.y);
    }
  }
  View v;
  v.left = left - 1.0;
  v.top = top + 1.0;
  v.width = (right + 1.0) - v.left;
  // Down to the floor (y = 0), or below the lowest hold when one is under it.
  v.height = v.top - std::min(0.0, bottom - 0.5);
  v.height_px = 720;
  v.width_px = std::max(2, static_cast<int>(std::lround(720 * v.width / v.height / 2)) * 2);
  return v;
}

}  // namespace ascension::ghost
