// Holds found on a photo of a climbing wall: the values the detector produces and the route
// features (correction, selection, the ghost) consume. Plain values, no behaviour.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/route.hpp"

namespace ascension::vision::holds {

// The named palette a hold's dominant colour is reported in.
enum class Colour { kRed, kOrange, kYellow, kGreen, kBlue, kPurple, kPink, kBlack, kWhite, kGrey };

inline constexpr std::array<Colour, 10> kAllColours = {
    Colour::kRed,    Colour::kOrange, Colour::kYellow, Colour::kGreen, Colour::kBlue,
    Colour::kPurple, Colour::kPink,   Colour::kBlack,  Colour::kWhite, Colour::kGrey};

// "red", "orange", ... (lower case, as in the API and the labelled set).
const char* ColourName(Colour c);
// The colour named `name` (case-sensitive); nullopt for any other text.
std::optional<Colour> ParseColour(std::string_view name);
// True for the chromatic colours (everything but black, white and grey), the ones the detection
// targets are stated for.
bool IsChromatic(Colour c);

// Size classes, from the hold's equivalent diameter relative to the photo (detector.hpp).
enum class SizeClass { kFootChip, kSmall, kMedium, kLarge, kVolume };

// "foot_chip" | "small" | "medium" | "large" | "volume".
const char* SizeClassName(SizeClass s);
std::optional<SizeClass> ParseSizeClass(std::string_view name);

// The role a climber gives a hold on a route; detected holds have none.
enum class Role { kNone, kStart, kTop, kHand, kFoot };

// "" (none) | "start" | "top" | "hand" | "foot".
const char* RoleName(Role r);

// Image pixels and sRGB, the domain's values (domain/route.hpp).
using Point = domain::ImagePoint;
using Box = domain::ImageBox;
using Rgb = domain::Rgb;

struct Hold {
  std::vector<Point> outline;  // polygon in image pixels, clockwise or not, >= 3 points
  Box box;                     // bounding box of the outline, in pixels
  Box box_normalised;          // the same divided by the image width / height (0..1)
  Point centre;                // centroid of the outline, in pixels
  double area_px = 0;          // area of the outline, in pixels
  Colour colour = Colour::kGrey;
  Rgb measured;  // median colour of the hold's pixels (sRGB, illumination-corrected)
  SizeClass size = SizeClass::kSmall;
  double confidence = 0;  // 0..1: how sure the detector is that this is a hold
  Role role = Role::kNone;
};

// Everything found on one image, holds ordered top to bottom then left to right.
struct HoldSet {
  int image_width = 0;
  int image_height = 0;
  std::vector<Hold> holds;
};

}  // namespace ascension::vision::holds
