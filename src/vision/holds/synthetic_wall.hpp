// Synthetic climbing walls with known holds, for the labelled set and the speed benchmark:
// plywood or painted panels with bolt holes, grain, seams and uneven light, and holds of every
// palette colour and size with shading, chalk and shadows. Deterministic: the same parameters
// give the same image with any standard library (own random draws from std::mt19937).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>

#include "common/status.hpp"
#include "vision/holds/labelled_set.hpp"

namespace ascension::vision::holds {

// A wall and its holds, drawn at random from `seed`, as a labelled image whose "synthetic" object
// holds the wall's parameters: {"seed", "wall": "plywood"|"painted"|"two_panels",
// "light": 0..1 (unevenness), "bolt_spacing": fraction of the width, "touching": pairs of holds
// placed against each other}.
LabelledImage GenerateSyntheticWall(std::uint32_t seed, int width, int height,
                                    const std::string& wall, double light);

// Draws a labelled image's synthetic wall and its holds (8-bit BGR). kInvalidArgument when the
// "synthetic" parameters are missing or of the wrong type.
Result<cv::Mat> RenderSyntheticWall(const LabelledImage& image);

}  // namespace ascension::vision::holds
