// Draws detected (or labelled) holds over their photo so that a person can check them by eye.
#pragma once

#include <opencv2/core.hpp>

#include "vision/holds/hold.hpp"

namespace ascension::vision::holds {

// Returns a copy of `bgr` with each hold's outline drawn in its palette colour (over a dark
// halo), its index and confidence beside it, and its role (S, T, H, F) in a badge when it has
// one. Holds outside the image are clipped.
cv::Mat RenderHolds(const cv::Mat& bgr, const HoldSet& set);

// The display colour of a palette entry (BGR).
cv::Scalar DisplayColour(Colour c);

}  // namespace ascension::vision::holds
