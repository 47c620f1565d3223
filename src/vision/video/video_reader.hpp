// Streams the frames of a video file through FFmpeg, upright (rotation metadata applied), scaled
// down for inference and sampled to at most a given rate. Frames are decoded one at a time; the
// video is never held in memory. Any input is safe: malformed files end in an error code, and
// every blocking FFmpeg call is bounded by a deadline.
#pragma once

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "common/status.hpp"
#include "domain/pose.hpp"

namespace ascension::vision {

struct VideoReaderOptions {
  int max_fps = 30;             // sample at most this many frames per second (<= 0: every frame)
  int max_width = 640;          // scale the upright frame down to at most this width
  double max_duration_s = 300;  // longer videos fail with "video_too_long"
  int max_side = 8192;          // larger frames fail with "unsupported_dimensions"
  std::int64_t max_pixels = 40'000'000;
};

struct VideoFrame {
  int index = 0;                  // index of the frame in the original stream
  std::int64_t timestamp_ms = 0;  // int(index * 1000 / fps)
  cv::Mat rgb;                    // upright, scaled, 8-bit RGB; reused by the next call
};

// Error codes (permanent: the same file always fails the same way): "empty_file", "not_a_video",
// "corrupt_video", "unsupported_dimensions", "video_too_long"; "internal" otherwise (including a
// path that does not exist).
class VideoReader {
 public:
  // Opens and validates `path` (container, video stream, dimensions, duration) without decoding
  // frames. On failure sets *error_code.
  static Result<std::unique_ptr<VideoReader>> Open(const std::string& path,
                                                   const VideoReaderOptions& options,
                                                   std::string* error_code);
  ~VideoReader();
  VideoReader(const VideoReader&) = delete;
  VideoReader& operator=(const VideoReader&) = delete;

  const domain::VideoInfo& info() const;
  // Size of the frames Next() returns.
  int output_width() const;
  int output_height() const;
  // Estimated fraction of the stream read so far, in [0, 1].
  double progress() const;

  // Decodes up to the next sampled frame. Returns false at the end of the stream. On failure sets
  // *error_code ("corrupt_video" if no frame at all could be decoded, "video_too_long" if frames
  // run past the duration limit).
  Result<bool> Next(VideoFrame* frame, std::string* error_code);
  // Like Next(), but the frame is only decoded, not scaled or rotated: frame->rgb is left as it
  // was; index and timestamp_ms are set. For starting a segment of the clip further in without
  // seeking (which would lose the frame indices and the sampling of the frames before).
  Result<bool> Skip(VideoFrame* frame, std::string* error_code);

  struct Impl;
  explicit VideoReader(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

// Rotation in degrees (0, 90, 180, 270, clockwise) a viewer applies to the coded frames, from an
// FFmpeg display matrix (9 int32 values), or 0 if absent/irregular.
int RotationFromDisplayMatrix(const std::int32_t* matrix);

// Rotates an image clockwise by 0/90/180/270 degrees.
void RotateClockwise(const cv::Mat& src, int degrees, cv::Mat* dst);

}  // namespace ascension::vision
