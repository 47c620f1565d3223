// The wall image of an analysed climb video: its frames decoded again (src/vision's reader, with
// the sampling the analysis used) and combined with the analysis' poses by BuildWallImage.
#pragma once

#include <string>

#include "common/status.hpp"
#include "domain/pose.hpp"
#include "vision/holds/wall_image.hpp"
#include "vision/video/video_reader.hpp"

namespace ascension::vision::holds {

struct VideoWallOptions {
  VideoReaderOptions reader;  // the sampling and scaling the analysis used
  int every = 3;              // keep every n-th sampled frame (memory: the frames are held)
  int max_frames = 200;       // at most this many frames are held
  WallImageOptions wall;
};

// Decodes `video_path`, pairs each kept frame with the pose of the same frame index in
// `sequence` (frames without a pose are skipped) and builds the wall image. Errors: the reader's
// codes in *error_code ("not_a_video", "corrupt_video", ...), "no_climber_found" when no frame
// has a pose.
Result<WallImage> WallImageFromVideo(const std::string& video_path,
                                     const domain::PoseSequence& sequence,
                                     const VideoWallOptions& options, std::string* error_code);

}  // namespace ascension::vision::holds
