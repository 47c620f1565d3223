// Internal to the detector: the palette on CIE L*a*b* values (OpenCV's float Lab: L 0..100).
#pragma once

#include "vision/holds/hold.hpp"

namespace ascension::vision::holds::internal {

inline constexpr float kAchromaticChroma = 14.0f;  // below: black, white or grey
inline constexpr float kWhiteLightness = 72.0f;
inline constexpr float kBlackLightness = 30.0f;

Colour ClassifyLab(float l, float a, float b);

// The chromatic palette colour of a hue, whatever the chroma (for the weak candidates of a dark
// hold, whose chroma is below kAchromaticChroma).
Colour ClassifyHue(float l, float a, float b);

}  // namespace ascension::vision::holds::internal
