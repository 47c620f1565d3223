#include "vision/holds/video_wall.hpp"

#include <map>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace ascension::vision::holds {

Result<WallImage> WallImageFromVideo(const std::string& video_path,
                                     const domain::PoseSequence& sequence,
                                     const VideoWallOptions& options, std::string* error_code) {
  std::map<int, const domain::PoseFrame*> by_index;
  for (const domain::PoseFrame& f : sequence.frames) {
    if (f.detected) by_index[f.frame] = &f;
  }
  if (by_index.empty()) {
    if (error_code != nullptr) *error_code = "no_climber_found";
    return InvalidArgument("no frame of the video has a pose");
  }
  auto reader = VideoReader::Open(video_path, options.reader, error_code);
  if (!reader.ok()) return reader.status();
  std::vector<cv::Mat> frames;
  std::vector<domain::PoseFrame> poses;
  VideoFrame frame;
  for (int sampled = 0;; ++sampled) {
    auto more = (*reader)->Next(&frame, error_code);
    if (!more.ok()) return more.status();
    if (!*more || static_cast<int>(frames.size()) >= options.max_frames) break;
    if (sampled % std::max(1, options.every) != 0) continue;
    const auto pose = by_index.find(frame.index);
    if (pose == by_index.end()) continue;
    cv::Mat bgr;
    cv::cvtColor(frame.rgb, bgr, cv::COLOR_RGB2BGR);
    frames.push_back(std::move(bgr));
    poses.push_back(*pose->second);
  }
  if (frames.empty()) {
    if (error_code != nullptr) *error_code = "no_climber_found";
    return InvalidArgument("no decoded frame matches a pose of the analysis");
  }
  auto wall = BuildWallImage(frames, poses, options.wall);
  if (!wall.ok()) {
    if (error_code != nullptr) *error_code = "internal";
    return wall;
  }
  if (wall->reference_frame >= 0 && wall->reference_frame < static_cast<int>(poses.size())) {
    wall->reference_ms = poses[static_cast<std::size_t>(wall->reference_frame)].timestamp_ms;
  }
  return wall;
}

}  // namespace ascension::vision::holds
