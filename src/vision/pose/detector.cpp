#include "vision/pose/detector.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace ascension::vision::pose {
namespace {

constexpr int kInputSize = 224;
constexpr int kNumCoords = 12;
constexpr int kNumKeypoints = 4;
constexpr float kMinScore = 0.5f;
constexpr float kIouThreshold = 0.3f;

}  // namespace

std::vector<Anchor> PoseDetectorAnchors() {
  // SSD anchors with fixed size: one anchor per aspect ratio (1.0) plus one interpolated scale
  // per layer, at every cell; consecutive layers with the same stride share a grid.
  const int strides[] = {8, 16, 32, 32, 32};
  const int num_layers = 5;
  std::vector<Anchor> anchors;
  int layer = 0;
  while (layer < num_layers) {
    int per_cell = 0;
    int last = layer;
    while (last < num_layers && strides[last] == strides[layer]) {
      per_cell += 2;
      ++last;
    }
    const int grid = (kInputSize + strides[layer] - 1) / strides[layer];
    for (int y = 0; y < grid; ++y) {
      for (int x = 0; x < grid; ++x) {
        for (int a = 0; a < per_cell; ++a) {
          anchors.push_back({(x + 0.5f) / grid, (y + 0.5f) / grid});
        }
      }
    }
    layer = last;
  }
  return anchors;
}

std::vector<Detection> DecodeDetections(std::span<const float> boxes, std::span<const float> logits,
                                        const std::vector<Anchor>& anchors, float min_score) {
  std::vector<Detection> out;
  const std::size_t n = anchors.size();
  if (boxes.size() < n * kNumCoords || logits.size() < n) return out;
  for (std::size_t i = 0; i < n; ++i) {
    const float logit = std::clamp(logits[i], -100.f, 100.f);
    const float score = 1.f / (1.f + std::exp(-logit));
    if (score < min_score) continue;
    const float* r = boxes.data() + i * kNumCoords;
    const float xc = r[0] / kInputSize + anchors[i].x;
    const float yc = r[1] / kInputSize + anchors[i].y;
    const float w = r[2] / kInputSize;
    const float h = r[3] / kInputSize;
    Detection d;
    d.score = score;
    d.xmin = xc - w / 2;
    d.ymin = yc - h / 2;
    d.xmax = xc + w / 2;
    d.ymax = yc + h / 2;
    for (int k = 0; k < kNumKeypoints; ++k) {
      d.keypoints.push_back(
          {r[4 + 2 * k] / kInputSize + anchors[i].x, r[5 + 2 * k] / kInputSize + anchors[i].y});
    }
    out.push_back(std::move(d));
  }
  return out;
}

float IntersectionOverUnion(const Detection& a, const Detection& b) {
  const float ix = std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin);
  const float iy = std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin);
  if (ix <= 0 || iy <= 0) return 0;
  const float inter = ix * iy;
  const float uni =
      (a.xmax - a.xmin) * (a.ymax - a.ymin) + (b.xmax - b.xmin) * (b.ymax - b.ymin) - inter;
  return uni > 0 ? inter / uni : 0;
}

std::vector<Detection> WeightedNms(std::vector<Detection> remaining, float iou_threshold,
                                   std::size_t max_detections) {
  std::stable_sort(remaining.begin(), remaining.end(),
                   [](const Detection& a, const Detection& b) { return a.score > b.score; });
  std::vector<Detection> out;
  while (!remaining.empty() && out.size() < max_detections) {
    const Detection top = remaining.front();
    std::vector<Detection> rest;
    Detection merged = top;
    double total = 0, xmin = 0, ymin = 0, xmax = 0, ymax = 0;
    std::vector<Point> kps(top.keypoints.size());
    for (const Detection& d : remaining) {
      if (IntersectionOverUnion(d, top) > iou_threshold) {
        total += d.score;
        xmin += d.xmin * d.score;
        ymin += d.ymin * d.score;
        xmax += d.xmax * d.score;
        ymax += d.ymax * d.score;
        for (std::size_t k = 0; k < kps.size() && k < d.keypoints.size(); ++k) {
          kps[k].x += d.keypoints[k].x * d.score;
          kps[k].y += d.keypoints[k].y * d.score;
        }
      } else {
        rest.push_back(d);
      }
    }
    if (total > 0) {
      merged.xmin = static_cast<float>(xmin / total);
      merged.ymin = static_cast<float>(ymin / total);
      merged.xmax = static_cast<float>(xmax / total);
      merged.ymax = static_cast<float>(ymax / total);
      for (std::size_t k = 0; k < kps.size(); ++k) {
        merged.keypoints[k] = {kps[k].x / total, kps[k].y / total};
      }
    }
    out.push_back(std::move(merged));
    remaining = std::move(rest);
  }
  return out;
}

Letterbox SquareLetterbox(int width, int height) {
  Letterbox lb;
  if (width > height) {
    lb.pad_y = (1.0 - static_cast<double>(height) / width) / 2;
  } else {
    lb.pad_x = (1.0 - static_cast<double>(width) / height) / 2;
  }
  return lb;
}

Detection RemoveLetterbox(Detection d, const Letterbox& lb) {
  const double sx = 1 - 2 * lb.pad_x, sy = 1 - 2 * lb.pad_y;
  auto fx = [&](double x) { return (x - lb.pad_x) / sx; };
  auto fy = [&](double y) { return (y - lb.pad_y) / sy; };
  d.xmin = static_cast<float>(fx(d.xmin));
  d.xmax = static_cast<float>(fx(d.xmax));
  d.ymin = static_cast<float>(fy(d.ymin));
  d.ymax = static_cast<float>(fy(d.ymax));
  for (Point& p : d.keypoints) p = {fx(p.x), fy(p.y)};
  return d;
}

PoseDetector::PoseDetector(std::unique_ptr<tflite::Executor> exec)
    : exec_(std::move(exec)), anchors_(PoseDetectorAnchors()) {}

Result<std::unique_ptr<PoseDetector>> PoseDetector::Load(const tflite::Model& model, int threads) {
  auto exec = tflite::Executor::Create(model, {"Identity", "Identity_1"}, threads);
  if (!exec.ok()) return exec.status();
  const auto& in = (*exec)->input_shape();
  if (in != std::vector<int>{1, kInputSize, kInputSize, 3} ||
      (*exec)->output(0).size() != PoseDetectorAnchors().size() * kNumCoords ||
      (*exec)->output(1).size() != PoseDetectorAnchors().size()) {
    return InvalidArgument("the detector model does not have the BlazePose shapes");
  }
  return std::make_unique<PoseDetector>(std::move(*exec));
}

Result<std::optional<Detection>> PoseDetector::Detect(const cv::Mat& rgb) {
  // Letterbox: the image, centred and scaled to fit, over a black square.
  const int side = std::max(rgb.cols, rgb.rows);
  const double s = static_cast<double>(side) / kInputSize;
  cv::Mat m =
      (cv::Mat_<double>(2, 3) << s, 0, (rgb.cols - side) / 2.0, 0, s, (rgb.rows - side) / 2.0);
  cv::warpAffine(rgb, letterboxed_, m, cv::Size(kInputSize, kInputSize),
                 cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT, cv::Scalar(0, 0, 0));
  float* dst = exec_->input().data();
  for (int y = 0; y < kInputSize; ++y) {
    const std::uint8_t* row = letterboxed_.ptr<std::uint8_t>(y);
    for (int x = 0; x < kInputSize * 3; ++x) *dst++ = row[x] / 127.5f - 1.f;
  }
  if (Status st = exec_->Invoke(); !st.ok()) return st;
  auto dets = DecodeDetections(exec_->output(0), exec_->output(1), anchors_, kMinScore);
  auto best = WeightedNms(std::move(dets), kIouThreshold, 1);
  if (best.empty()) return std::optional<Detection>();
  return std::optional<Detection>(
      RemoveLetterbox(best.front(), SquareLetterbox(rgb.cols, rgb.rows)));
}

}  // namespace ascension::vision::pose
