#include "vision/overlay_renderer.hpp"

#include <cstdio>
#include <map>
#include <opencv2/imgproc.hpp>

#include "domain/joint_angles.hpp"
#include "vision/pose_analyzer.hpp"
#include "vision/video/video_writer.hpp"

namespace ascension::vision {
namespace {

// The limbs and torso (MediaPipe pose connections without the face and hands).
constexpr int kBones[][2] = {{11, 12}, {11, 13}, {13, 15}, {12, 14}, {14, 16}, {11, 23},
                             {12, 24}, {23, 24}, {23, 25}, {25, 27}, {24, 26}, {26, 28},
                             {27, 29}, {29, 31}, {27, 31}, {28, 30}, {30, 32}, {28, 32}};
constexpr double kMinPresence = 0.5;
const cv::Scalar kUncertain(140, 140, 140);

// Bones and joints are drawn where the landmarks are in the frame (presence); the landmarks too
// uncertain to measure (domain::LandmarkUsable) and the angles resting on them are drawn grey,
// as the result document flags them.
void Draw(const domain::PoseFrame& pose, cv::Mat* img) {
  auto at = [&](int i) {
    const auto& l = pose.landmarks[i];
    return cv::Point(static_cast<int>(l.x * img->cols), static_cast<int>(l.y * img->rows));
  };
  const int thickness = std::max(2, img->cols / 240);
  for (const auto& b : kBones) {
    if (pose.landmarks[b[0]].presence < kMinPresence ||
        pose.landmarks[b[1]].presence < kMinPresence) {
      continue;
    }
    const bool left = b[0] % 2 == 1 && b[1] % 2 == 1;
    const bool certain = domain::LandmarkUsable(pose.landmarks[b[0]]) &&
                         domain::LandmarkUsable(pose.landmarks[b[1]]);
    const cv::Scalar colour = !certain ? kUncertain
                              : left   ? cv::Scalar(0, 200, 255)
                                       : cv::Scalar(255, 160, 0);
    cv::line(*img, at(b[0]), at(b[1]), colour, thickness, cv::LINE_AA);
  }
  for (int i = 11; i < domain::kLandmarkCount; ++i) {
    if (pose.landmarks[i].presence >= kMinPresence) {
      const bool certain = domain::LandmarkUsable(pose.landmarks[i]);
      cv::circle(*img, at(i), thickness + 1, certain ? cv::Scalar(255, 255, 255) : kUncertain,
                 cv::FILLED, cv::LINE_AA);
    }
  }
  const double font = std::max(0.4, img->cols / 1200.0);
  const double aspect = img->rows > 0 ? static_cast<double>(img->cols) / img->rows : 1.0;
  for (const domain::JointAngle& a : domain::JointAngles(pose, aspect)) {
    char text[16];
    std::snprintf(text, sizeof text, a.certain ? "%.0f" : "(%.0f)", a.degrees);
    const cv::Point p = at(a.joint) + cv::Point(6, -6);
    cv::putText(*img, text, p, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(0, 0, 0), thickness + 1,
                cv::LINE_AA);
    cv::putText(*img, text, p, cv::FONT_HERSHEY_SIMPLEX, font,
                a.certain ? cv::Scalar(255, 255, 255) : kUncertain, 1, cv::LINE_AA);
  }
}

}  // namespace

Status RenderOverlay(const std::string& video_path, const domain::PoseSequence& sequence,
                     const std::string& out_path, const VideoReaderOptions& options,
                     std::string* error_code, const OverlayLayer& under) {
  auto reader = VideoReader::Open(video_path, options, error_code);
  if (!reader.ok()) return reader.status();
  const double fps = options.max_fps > 0 ? std::min<double>((*reader)->info().fps, options.max_fps)
                                         : (*reader)->info().fps;
  auto writer =
      VideoWriter::Open(out_path, (*reader)->output_width(), (*reader)->output_height(), fps);
  if (!writer.ok()) {
    *error_code = "internal";
    return writer.status();
  }
  std::map<int, const domain::PoseFrame*> poses;
  for (const auto& f : sequence.frames) poses[f.frame] = &f;
  VideoFrame frame;
  while (true) {
    auto more = (*reader)->Next(&frame, error_code);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (under) under(frame.timestamp_ms, frame.rgb);
    if (auto it = poses.find(frame.index); it != poses.end() && it->second->detected) {
      Draw(*it->second, &frame.rgb);
    }
    if (Status s = (*writer)->Write(frame.rgb); !s.ok()) {
      *error_code = "internal";
      return s;
    }
  }
  if (Status s = (*writer)->Finish(); !s.ok()) {
    *error_code = "internal";
    return s;
  }
  return Status::Ok();
}

}  // namespace ascension::vision
