// Draws an analysed pose over its video and encodes the result as an MP4 (for humans checking the
// pipeline; the app draws its own overlay).
#pragma once

#include <string>

#include "common/status.hpp"
#include "domain/pose.hpp"

namespace ascension::vision {

// Re-decodes `video_path` at the analysis size, draws the skeleton and joint angles of the matching
// PoseFrame on every analysed frame and writes them to `out_path` (MPEG-4 part 2 or H.264, at the
// sampled rate). On failure sets *error_code like PoseAnalyzer::Analyze.
Status RenderOverlay(const std::string& video_path, const domain::PoseSequence& sequence,
                     const std::string& out_path, int max_width, std::string* error_code);

}  // namespace ascension::vision
