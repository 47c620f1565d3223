// Encodes RGB frames into an MP4 file with FFmpeg (H.264 via libx264 when available, MPEG-4
// part 2 otherwise). Used to render overlays and to build test clips.
#pragma once

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "common/status.hpp"

namespace ascension::vision {

class VideoWriter {
 public:
  // Creates `path` for frames of width x height (rounded down to even numbers) at `fps`.
  // rotation_degrees (0/90/180/270, clockwise) is stored as display-matrix metadata: players turn
  // the coded frames by that much. crf is libx264's quality (0 = lossless, 23 = its default;
  // ignored by the MPEG-4 fallback).
  static Result<std::unique_ptr<VideoWriter>> Open(const std::string& path, int width, int height,
                                                   double fps, int rotation_degrees = 0,
                                                   int crf = 23);
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  // Appends one 8-bit RGB frame; it is scaled if its size differs from the writer's. `pts` is the
  // presentation time in units of 1/fps (increasing); by default the next frame slot. Explicit
  // times make variable-frame-rate clips (e.g. fps = 1000 and times in milliseconds).
  Status Write(const cv::Mat& rgb, std::int64_t pts = -1);
  // Flushes the encoder and writes the trailer. Without it the file is left incomplete.
  Status Finish();

  // Name of the encoder in use ("libx264" or "mpeg4").
  const char* encoder_name() const;

  struct Impl;
  explicit VideoWriter(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ascension::vision
