#include "ghost/detected_holds.hpp"

#include <cmath>
#include <numbers>
#include <string>

namespace ascension::ghost {
namespace {

namespace vh = vision::holds;

SizeClass Size(vh::SizeClass s) {
  switch (s) {
    case vh::SizeClass::kFootChip:
      return SizeClass::kFootChip;
    case vh::SizeClass::kSmall:
      return SizeClass::kSmall;
    case vh::SizeClass::kMedium:
      return SizeClass::kMedium;
    case vh::SizeClass::kLarge:
      return SizeClass::kLarge;
    case vh::SizeClass::kVolume:
      return SizeClass::kVolume;
  }
  return SizeClass::kMedium;
}

HoldRole Role(vh::Role r) {
  switch (r) {
    case vh::Role::kNone:
      return HoldRole::kNone;
    case vh::Role::kStart:
      return HoldRole::kStart;
    case vh::Role::kTop:
      return HoldRole::kTop;
    case vh::Role::kHand:
      return HoldRole::kHand;
    case vh::Role::kFoot:
      return HoldRole::kFoot;
  }
  return HoldRole::kNone;
}

}  // namespace

std::vector<PixelHold> PixelHoldsFromDetector(const vh::HoldSet& set) {
  std::vector<PixelHold> out;
  out.reserve(set.holds.size());
  for (std::size_t i = 0; i < set.holds.size(); ++i) {
    const vh::Hold& h = set.holds[i];
    PixelHold p;
    p.id = std::to_string(i);
    p.centre = {h.centre.x, h.centre.y};
    for (const vh::Point& q : h.outline) p.outline.push_back({q.x, q.y});
    p.radius_px = h.area_px > 0 ? std::sqrt(h.area_px / std::numbers::pi) : 0;
    p.size = Size(h.size);
    p.role = Role(h.role);
    p.selected = true;
    p.colour = vh::ColourName(h.colour);
    out.push_back(std::move(p));
  }
  return out;
}

Result<RouteDocument> RouteFromDetectedHolds(const vh::HoldSet& set, const ScaleInputs& scale,
                                             const RouteChoices& choices) {
  return RouteFromPixelHolds(PixelHoldsFromDetector(set), {set.image_width, set.image_height},
                             scale, choices);
}

}  // namespace ascension::ghost
