// The palette: hue sectors of CIE L*C*h (D65) for the chromatic colours, lightness for the others.
// The sector bounds were set on the colours measured on the labelled set (testdata/holds/).
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "domain/route.hpp"
#include "vision/holds/detector.hpp"
#include "vision/holds/palette_internal.hpp"

namespace ascension::vision::holds {

// The names are the domain's (domain/route.hpp), in the enumerators' order.
const char* ColourName(Colour c) {
  return domain::kHoldColours[static_cast<std::size_t>(c)].data();
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
  return domain::kHoldSizes[static_cast<std::size_t>(s)].data();
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
  return ClassifyHue(l, a, b);
}

Colour ClassifyHue(float l, float a, float b) {
  float hue = std::atan2(b, a) * 180.0f / static_cast<float>(M_PI);
  if (hue < 0) hue += 360.0f;
  if (hue < 5.0f || hue >= 330.0f) return Colour::kPink;
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
  return ParseSizeClass(domain::HoldSizeFor(area_px, image_width, image_height))
      .value_or(SizeClass::kFootChip);
}

}  // namespace ascension::vision::holds
