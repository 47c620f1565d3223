// Geometry shared by the BlazePose stages: rotated square regions of interest (ROIs) in image
// pixels and the mapping of normalized crop coordinates back to the image.
#pragma once

#include <array>

#include "domain/vector.hpp"

namespace ascension::vision::pose {

using Point = domain::Vec2;  // in image pixels here

// A rotated rectangle in image pixels: centre, size and rotation (radians, clockwise on screen
// because y points down).
struct Roi {
  double cx = 0;
  double cy = 0;
  double width = 0;
  double height = 0;
  double rotation = 0;
};

// Wraps an angle to [-pi, pi).
double NormalizeRadians(double angle);

// MediaPipe's alignment-point ROI: centre `center`, side 2*|scale_point - center|, rotation that
// makes center->scale_point point up (target angle 90 degrees), squared on the long side, then
// scaled by `scale`. Points in pixels.
Roi RoiFromAlignmentPoints(Point center, Point scale_point, double scale);

// Maps a point given in the ROI's normalized crop coordinates ((0,0) top-left, (1,1) bottom-right
// of the crop) to image pixels.
Point CropToImage(const Roi& roi, Point crop);

// The 2x3 affine matrix mapping crop-tensor pixels (size out_w x out_h) to image pixels, suitable
// for cv::warpAffine with WARP_INVERSE_MAP. Row-major.
std::array<double, 6> CropToImageMatrix(const Roi& roi, int out_w, int out_h);

}  // namespace ascension::vision::pose
