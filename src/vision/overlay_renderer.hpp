// Draws an analysed pose over its video and encodes the result as an MP4, for people checking the
// pipeline by eye (the app draws its own overlay from the result document).
#pragma once

#include <cstdint>
#include <functional>
#include <opencv2/core.hpp>
#include <string>

#include "common/status.hpp"
#include "domain/pose.hpp"
#include "vision/video/video_reader.hpp"

namespace ascension::vision {

// More to draw on each frame before the climber's skeleton (e.g. the route's holds and the ghost):
// called with the frame's time in the video (VideoFrame::timestamp_ms, the analysis frames'
// timestamp_ms) and its upright, scaled RGB image, which it draws on.
using OverlayLayer = std::function<void(std::int64_t timestamp_ms, cv::Mat& rgb)>;

// Re-decodes `video_path` with the same sampling options the analysis used, draws `under` (when
// set) and then the skeleton and the joint angles of the matching PoseFrame on each frame and
// writes them to `out_path` at the sampled rate. On failure sets *error_code like
// PoseAnalyzer::Analyze.
Status RenderOverlay(const std::string& video_path, const domain::PoseSequence& sequence,
                     const std::string& out_path, const VideoReaderOptions& options,
                     std::string* error_code, const OverlayLayer& under = nullptr);

}  // namespace ascension::vision
