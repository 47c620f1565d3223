#include "vision/holds/evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <tuple>

namespace ascension::vision::holds {
namespace {

cv::Rect2d Bounds(const std::vector<Point>& poly) {
  double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
  for (const Point& p : poly) {
    x0 = std::min(x0, p.x);
    y0 = std::min(y0, p.y);
    x1 = std::max(x1, p.x);
    y1 = std::max(y1, p.y);
  }
  return {x0, y0, x1 - x0, y1 - y0};
}

void Fill(const std::vector<Point>& poly, const cv::Point2d& origin, cv::Mat1b* mask) {
  std::vector<cv::Point> pts;
  for (const Point& p : poly) {
    pts.emplace_back(static_cast<int>(std::lround(p.x - origin.x)),
                     static_cast<int>(std::lround(p.y - origin.y)));
  }
  cv::fillPoly(*mask, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(255));
}

bool Inside(const std::vector<Point>& poly, const Point& p) {
  std::vector<cv::Point2f> pts;
  for (const Point& q : poly) pts.emplace_back(static_cast<float>(q.x), static_cast<float>(q.y));
  return cv::pointPolygonTest(pts, cv::Point2f(static_cast<float>(p.x), static_cast<float>(p.y)),
                              false) >= 0;
}

}  // namespace

Counts& Counts::operator+=(const Counts& o) {
  detected += o.detected;
  detected_matched += o.detected_matched;
  labelled += o.labelled;
  labelled_matched += o.labelled_matched;
  return *this;
}

Evaluation& Evaluation::operator+=(const Evaluation& o) {
  overall += o.overall;
  coloured += o.coloured;
  for (const auto& [c, counts] : o.per_colour) per_colour[c] += counts;
  matched += o.matched;
  colour_agrees += o.colour_agrees;
  return *this;
}

double OutlineIou(const std::vector<Point>& a, const std::vector<Point>& b) {
  if (a.size() < 3 || b.size() < 3) return 0;
  const cv::Rect2d ra = Bounds(a), rb = Bounds(b);
  if ((ra & rb).area() <= 0) return 0;
  const cv::Rect2d u = ra | rb;
  const cv::Point2d origin(std::floor(u.x), std::floor(u.y));
  const cv::Size size(static_cast<int>(std::ceil(u.x + u.width - origin.x)) + 2,
                      static_cast<int>(std::ceil(u.y + u.height - origin.y)) + 2);
  if (static_cast<double>(size.width) * size.height > 64e6) return 0;
  cv::Mat1b ma = cv::Mat1b::zeros(size), mb = cv::Mat1b::zeros(size);
  Fill(a, origin, &ma);
  Fill(b, origin, &mb);
  const int inter = cv::countNonZero(ma & mb);
  const int uni = cv::countNonZero(ma | mb);
  return uni == 0 ? 0 : static_cast<double>(inter) / uni;
}

Evaluation Evaluate(const HoldSet& detected, const std::vector<LabelledHold>& labels,
                    Matching* matching) {
  // Candidate pairs, best overlap first; a centre-inside pair without overlap still counts.
  std::vector<std::tuple<double, int, int>> pairs;
  for (int d = 0; d < static_cast<int>(detected.holds.size()); ++d) {
    const Hold& h = detected.holds[d];
    for (int l = 0; l < static_cast<int>(labels.size()); ++l) {
      const double iou = OutlineIou(h.outline, labels[l].outline);
      if (iou >= kMatchIou || Inside(labels[l].outline, h.centre)) pairs.emplace_back(iou, d, l);
    }
  }
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  std::vector<int> det_to(detected.holds.size(), -1), label_to(labels.size(), -1);
  for (const auto& [iou, d, l] : pairs) {
    if (det_to[d] >= 0 || label_to[l] >= 0) continue;
    det_to[d] = l;
    label_to[l] = d;
  }

  if (matching != nullptr) {
    matching->detection_to_label = det_to;
    matching->label_to_detection = label_to;
  }
  Evaluation e;
  for (int d = 0; d < static_cast<int>(detected.holds.size()); ++d) {
    const Colour c = detected.holds[d].colour;
    const bool matched = det_to[d] >= 0;
    const bool same = matched && labels[det_to[d]].colour == c;
    ++e.overall.detected;
    e.overall.detected_matched += matched;
    ++e.per_colour[c].detected;
    e.per_colour[c].detected_matched += same;
    if (IsChromatic(c)) {
      ++e.coloured.detected;
      e.coloured.detected_matched += same;
    }
    if (matched) {
      ++e.matched;
      e.colour_agrees += same;
    }
  }
  for (int l = 0; l < static_cast<int>(labels.size()); ++l) {
    const Colour c = labels[l].colour;
    const bool matched = label_to[l] >= 0;
    const bool same = matched && detected.holds[label_to[l]].colour == c;
    ++e.overall.labelled;
    e.overall.labelled_matched += matched;
    ++e.per_colour[c].labelled;
    e.per_colour[c].labelled_matched += same;
    if (IsChromatic(c)) {
      ++e.coloured.labelled;
      e.coloured.labelled_matched += same;
    }
  }
  return e;
}

}  // namespace ascension::vision::holds
