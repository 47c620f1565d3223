// The palette: hue sectors of CIE L*C*h (D65) for the chromatic colours, lightness for the others.
// The sector bounds were set on the colours measured on the labelled set (testdata/holds/).
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "vision/holds/detector.hpp"
#include "vision/holds/palette_internal.hpp"

namespace ascension::vision::holds {

const char* ColourName(Colour c) {
  switch (c) {
    case Colour::kRed:
      return "red";
    case Colour::kOrange:
      return "orange";
    case Colour::kYellow:
      return "yellow";
    case Colour::kGreen:
      return "green";
    case Colour::kBlue:
      return "blue";
    case Colour::kPurple:
      return "purple";
    case Colour::kPink:
      return "pink";
    case Colour::kBlack:
      return "black";
    case Colour::kWhite:
      return "white";
    case Colour::kGrey:
      return "grey";
  }
  return "grey";
}

std::optional<Colour> ParseColour(std::string_view name) {
  for (Colour c : kAllColours) {
    if (name == ColourName(c)) return c;
  }
  return std::nullopt;
}

bool IsChromatic(Colour c) {
  return c != Colour::kBlack && c != Colour::kWhite && c != Colour::kGrey;
}

const char* SizeClassName(SizeClass s) {
  switch (s) {
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
  return "small";
}

std::optional<SizeClass> ParseSizeClass(std::string_view name) {
  for (SizeClass s : {SizeClass::kFootChip, SizeClass::kSmall, SizeClass::kMedium,
                      SizeClass::kLarge, SizeClass::kVolume}) {
    if (name == SizeClassName(s)) return s;
  }
  return std::nullopt;
}

const char* RoleName(Role r) {
  switch (r) {
    case Role::kNone:
      return "";
    case Role::kStart:
      return "start";
    case Role::kTop:
      return "top";
    case Role::kHand:
      return "hand";
    case Role::kFoot:
      return "foot";
  }
  return "";
}

namespace internal {

Colour ClassifyLab(float l, float a, float b) {
  const float chroma = std::sqrt(a * a + b * b);
  if (chroma < kAchromaticChroma) {
    if (l >= kWhiteLightness) return Colour::kWhite;
    if (l <= kBlackLightness) return Colour::kBlack;
    return Colour::kGrey;
  }
  float hue = std::atan2(b, a) * 180.0f / static_cast<float>(M_PI);
  if (hue < 0) hue += 360.0f;
  if (hue < 15.0f || hue >= 336.0f) return Colour::kPink;
  if (hue < 48.0f) return l > 72.0f ? Colour::kPink : Colour::kRed;
  if (hue < 72.0f) return Colour::kOrange;
  if (hue < 105.0f) return Colour::kYellow;
  if (hue < 195.0f) return Colour::kGreen;
  if (hue < 306.0f) return Colour::kBlue;
  return Colour::kPurple;
}

}  // namespace internal

Colour ClassifyColour(const Rgb& rgb) {
  cv::Mat3f px(1, 1,
               cv::Vec3f(static_cast<float>(rgb.b) / 255.0f, static_cast<float>(rgb.g) / 255.0f,
                         static_cast<float>(rgb.r) / 255.0f));
  cv::Mat3f lab;
  cv::cvtColor(px, lab, cv::COLOR_BGR2Lab);
  const cv::Vec3f v = lab(0, 0);
  return internal::ClassifyLab(v[0], v[1], v[2]);
}

SizeClass ClassifySize(double area_px, int image_width, int image_height) {
  const double long_side = std::max(image_width, image_height);
  if (long_side <= 0 || area_px <= 0) return SizeClass::kFootChip;
  const double d = std::sqrt(4.0 * area_px / M_PI) / long_side;
  if (d < 0.022) return SizeClass::kFootChip;
  if (d < 0.04) return SizeClass::kSmall;
  if (d < 0.07) return SizeClass::kMedium;
  if (d < 0.12) return SizeClass::kLarge;
  return SizeClass::kVolume;
}

}  // namespace ascension::vision::holds
