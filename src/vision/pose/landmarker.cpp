#include "vision/pose/landmarker.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace ascension::vision::pose {
namespace {

constexpr int kInputSize = 256;
constexpr int kHeatmapSize = 64;
constexpr int kRefineKernel = 7;
constexpr double kRefineMinConfidence = 0.5;

double Sigmoid(double v) {
  return 1.0 / (1.0 + std::exp(-v));
}

}  // namespace

void RefineWithHeatmap(std::span<const float> heatmap, int height, int width, int channels,
                       int kernel, double min_confidence, std::span<RawLandmark> landmarks) {
  if (heatmap.size() < static_cast<std::size_t>(height) * width * channels) return;
  const int offset = (kernel - 1) / 2;
  const int n = std::min<int>(channels, static_cast<int>(landmarks.size()));
  for (int i = 0; i < n; ++i) {
    RawLandmark& lm = landmarks[i];
    // Truncation toward zero, as MediaPipe does (a slightly negative x still lands in column 0).
    const int col = static_cast<int>(lm.x * width);
    const int row = static_cast<int>(lm.y * height);
    if (col < 0 || col >= width || row < 0 || row >= height) continue;
    double sum = 0, wcol = 0, wrow = 0, max_w = 0;
    for (int r = std::max(0, row - offset); r < std::min(height, row + offset + 1); ++r) {
      for (int c = std::max(0, col - offset); c < std::min(width, col + offset + 1); ++c) {
        const double w = Sigmoid(heatmap[(static_cast<std::size_t>(r) * width + c) * channels + i]);
        sum += w;
        max_w = std::max(max_w, w);
        wcol += c * w;
        wrow += r * w;
      }
    }
    if (max_w >= min_confidence && sum > 0) {
      lm.x = wcol / width / sum;
      lm.y = wrow / height / sum;
    }
  }
}

LandmarkModel::LandmarkModel(std::unique_ptr<tflite::Executor> exec) : exec_(std::move(exec)) {}

Result<std::unique_ptr<LandmarkModel>> LandmarkModel::Load(const tflite::Model& model,
                                                           int threads) {
  // Identity = landmarks, Identity_1 = pose presence, Identity_3 = heatmap. The segmentation mask
  // and world landmarks are not requested, so their branches are not computed.
  auto exec = tflite::Executor::Create(model, {"Identity", "Identity_1", "Identity_3"}, threads);
  if (!exec.ok()) return exec.status();
  if ((*exec)->input_shape() != std::vector<int>{1, kInputSize, kInputSize, 3} ||
      (*exec)->output(0).size() != kModelLandmarks * 5 || (*exec)->output(1).size() != 1 ||
      (*exec)->output_shape(2) !=
          std::vector<int>{1, kHeatmapSize, kHeatmapSize, kModelLandmarks}) {
    return InvalidArgument("the landmark model does not have the BlazePose shapes");
  }
  return std::make_unique<LandmarkModel>(std::move(*exec));
}

Result<LandmarkResult> LandmarkModel::Run(const cv::Mat& rgb, const Roi& roi) {
  const auto m = CropToImageMatrix(roi, kInputSize, kInputSize);
  cv::Mat mat = (cv::Mat_<double>(2, 3) << m[0], m[1], m[2], m[3], m[4], m[5]);
  cv::warpAffine(rgb, crop_, mat, cv::Size(kInputSize, kInputSize),
                 cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
  float* dst = exec_->input().data();
  for (int y = 0; y < kInputSize; ++y) {
    const std::uint8_t* row = crop_.ptr<std::uint8_t>(y);
    for (int x = 0; x < kInputSize * 3; ++x) *dst++ = row[x] / 255.f;
  }
  if (Status st = exec_->Invoke(); !st.ok()) return st;

  LandmarkResult result;
  result.pose_presence = exec_->output(1)[0];
  const auto raw = exec_->output(0);
  for (int i = 0; i < kModelLandmarks; ++i) {
    RawLandmark& lm = result.landmarks[i];
    lm.x = raw[i * 5 + 0] / kInputSize;
    lm.y = raw[i * 5 + 1] / kInputSize;
    lm.z = raw[i * 5 + 2] / kInputSize;
    lm.visibility = Sigmoid(raw[i * 5 + 3]);
    lm.presence = Sigmoid(raw[i * 5 + 4]);
  }
  RefineWithHeatmap(exec_->output(2), kHeatmapSize, kHeatmapSize, kModelLandmarks, kRefineKernel,
                    kRefineMinConfidence, result.landmarks);
  // Back to the image: rotate and scale about the ROI centre; z follows the ROI width.
  for (RawLandmark& lm : result.landmarks) {
    const Point p = CropToImage(roi, {lm.x, lm.y});
    lm.x = p.x / rgb.cols;
    lm.y = p.y / rgb.rows;
    lm.z = lm.z * roi.width / rgb.cols;
  }
  return result;
}

}  // namespace ascension::vision::pose
