// Draws the ghost for people checking it by eye: the route (holds coloured by role, ids), the
// ghost's skeleton and the move under way, over the route photo or a plain wall; as an MP4 at the
// ghost's frame rate and as a PNG contact sheet of every state. Not used by the API: the app
// draws the ghost itself from the frames.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

#include "common/status.hpp"
#include "ghost/animation.hpp"
#include "ghost/comparison.hpp"
#include "ghost/planner.hpp"
#include "ghost/route.hpp"

namespace ascension::ghost {

struct RenderOptions {
  std::string background;  // the route photo (any image FFmpeg reads); empty: a plain wall
  int max_height = 960;    // frames are scaled down to at most this height
};

// Writes the ghost's frames as an MP4 to `out_path`.
Status RenderGhostVideo(const Route& route, const Beta& beta, const Ghost& ghost,
                        const std::string& out_path, const RenderOptions& options);

// Writes one PNG with a tile per state of the beta (start, after each move), each labelled.
Status RenderContactSheet(const Route& route, const Beta& beta, const Ghost& ghost,
                          const std::string& png_path, const RenderOptions& options);

// What is drawn on a frame of the climber's own video to check a comparison by eye: the route's
// holds (outlines coloured by role, ids), and the ghost, translucent, at the ghost time the
// comparison's sync gives for the frame's time (GhostTimeAt), with a caption of both times. The
// route must be in the video's frame (its view the video's: a route labelled on a frame of it).
// Keeps its own copies; draws on a frame of any size at that size.
class ComparisonLayer {
 public:
  ComparisonLayer(Route route, Ghost ghost, Comparison comparison);
  void Draw(std::int64_t video_ms, cv::Mat& rgb);

 private:
  Route route_;
  Ghost ghost_;
  Comparison comparison_;
};

// Draws the ghost, translucent and in sync (Comparison::sync), beside the climber on their own
// video, with the route's holds (ComparisonLayer), into an MP4: the offline check of a
// comparison. The route must be in the video's frame.
Status RenderComparisonVideo(const Route& route, const Ghost& ghost, const Comparison& comparison,
                             const std::string& video_path, const std::string& out_path);

}  // namespace ascension::ghost
