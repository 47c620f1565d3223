#include "vision/holds/render.hpp"

#include <algorithm>
#include <cstdio>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace ascension::vision::holds {

cv::Scalar DisplayColour(Colour c) {
  switch (c) {
    case Colour::kRed:
      return {40, 40, 230};
    case Colour::kOrange:
      return {0, 140, 255};
    case Colour::kYellow:
      return {0, 230, 255};
    case Colour::kGreen:
      return {60, 200, 40};
    case Colour::kBlue:
      return {230, 120, 20};
    case Colour::kPurple:
      return {200, 60, 150};
    case Colour::kPink:
      return {190, 120, 255};
    case Colour::kBlack:
      return {30, 30, 30};
    case Colour::kWhite:
      return {255, 255, 255};
    case Colour::kGrey:
      return {150, 150, 150};
  }
  return {150, 150, 150};
}

cv::Mat RenderHolds(const cv::Mat& bgr, const HoldSet& set) {
  cv::Mat out = bgr.clone();
  const int long_side = std::max(out.cols, out.rows);
  const int thickness = std::max(1, long_side / 500);
  const double font = std::max(0.35, long_side / 2400.0);
  for (std::size_t i = 0; i < set.holds.size(); ++i) {
    const Hold& h = set.holds[i];
    std::vector<cv::Point> poly;
    poly.reserve(h.outline.size());
    for (const Point& p : h.outline) {
      poly.emplace_back(static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y)));
    }
    if (poly.size() < 2) continue;
    const std::vector<std::vector<cv::Point>> polys{poly};
    const cv::Scalar colour = DisplayColour(h.colour);
    const cv::Scalar halo =
        h.colour == Colour::kBlack ? cv::Scalar(255, 255, 255) : cv::Scalar(0, 0, 0);
    cv::polylines(out, polys, true, halo, thickness + 2, cv::LINE_AA);
    cv::polylines(out, polys, true, colour, thickness, cv::LINE_AA);
    char text[32];
    std::snprintf(text, sizeof text, "%zu %.0f", i, h.confidence * 100);
    const cv::Point at(static_cast<int>(h.box.x), static_cast<int>(h.box.y) - 2);
    cv::putText(out, text, at, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(0, 0, 0), thickness + 2,
                cv::LINE_AA);
    cv::putText(out, text, at, cv::FONT_HERSHEY_SIMPLEX, font, colour, thickness, cv::LINE_AA);
    if (h.role != Role::kNone) {
      const char badge[2] = {static_cast<char>(RoleName(h.role)[0] - 'a' + 'A'), 0};
      const cv::Point c(static_cast<int>(h.centre.x), static_cast<int>(h.centre.y));
      const int r = static_cast<int>(8 * font / 0.35);
      cv::circle(out, c, r, cv::Scalar(0, 0, 0), cv::FILLED, cv::LINE_AA);
      cv::circle(out, c, r, colour, thickness, cv::LINE_AA);
      cv::putText(out, badge, c + cv::Point(-r / 2, r / 2), cv::FONT_HERSHEY_SIMPLEX, font,
                  cv::Scalar(255, 255, 255), thickness, cv::LINE_AA);
    }
  }
  return out;
}

}  // namespace ascension::vision::holds
