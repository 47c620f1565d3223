// Hold detection on a photo of a climbing wall, with classical image processing (OpenCV imgproc):
// no learned model is available to this project. docs/routes.md explains each step and its
// measured precision and recall on the labelled set (testdata/holds/).
//
// Steps: the photo is scaled to a working size; the wall's own colour is modelled locally (a
// large median of the scaled image, which keeps the edges between panels and removes anything
// smaller than half its window — the holds); illumination is normalised by that model; a pixel
// is a hold candidate when its colour is far enough from the local wall colour (chroma for the
// coloured holds, lightness for white, grey and black ones); candidates are labelled with a
// palette colour, cleaned by morphology, and their connected regions become holds after shape and
// size filters. Dark, dim holds whose pixels are too close to the wall one by one come from weak
// candidates (a hue far from the wall's, a small distance): a region of them is a hold when its
// mean colour stands out from a ring of wall around it. Touching holds of different colours are
// split by colour, touching holds of one colour by a distance-transform watershed. Bolt holes (many
// small dark round blobs of one size) and panel texture (thin, elongated or ragged regions) are
// discarded.
#pragma once

#include <opencv2/core.hpp>

#include "common/status.hpp"
#include "vision/holds/hold.hpp"

namespace ascension::vision::holds {

struct DetectorOptions {
  // The photo is processed at this size (long side, pixels); outlines are scaled back.
  int working_long_side = 1280;
  // Optional 8-bit mask, the size of the image: non-zero pixels are not wall (e.g. the climber's
  // body in a video frame) and never belong to a hold.
  cv::Mat exclude;
  // Holds below this confidence are not reported.
  double min_confidence = 0.25;
};

// Detects the holds on an 8-bit BGR image. Errors: kInvalidArgument for an empty image, a type
// other than CV_8UC3, or an exclusion mask of the wrong size or type. Never throws.
Result<HoldSet> DetectHolds(const cv::Mat& bgr, const DetectorOptions& options = {});

// The palette colour of a colour measured on a hold (sRGB, illumination-corrected).
Colour ClassifyColour(const Rgb& rgb);

// The size class of a hold of `area_px` on an image of the given size. The equivalent diameter
// is compared with the image's long side: foot chip < 2.2 %, small < 4 %, medium < 7 %,
// large < 12 %, volume above.
SizeClass ClassifySize(double area_px, int image_width, int image_height);

}  // namespace ascension::vision::holds
