// Hold detection as the route job processing sees it: a wall photo (or an analysed climb video)
// in, the holds out. Implemented over src/vision/holds by the worker.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "common/status.hpp"
#include "domain/messages.hpp"
#include "domain/pose.hpp"
#include "domain/route.hpp"

namespace ascension::ports {

struct DetectedHolds {
  int image_width = 0;
  int image_height = 0;
  // origin detected; ids, times, role and selection are the caller's to set.
  std::vector<domain::RouteHold> holds;
  // A wall image built from a video: the time of the frame it is seen from.
  std::optional<std::int64_t> reference_ms;
};

class HoldDetector {
 public:
  virtual ~HoldDetector() = default;
  // Detects on the photo at `path` (JPEG, PNG or WebP by content). Failures caused by the photo
  // carry the FailureCode name as the Status code ("corrupt_image", "heic_unsupported",
  // "unsupported_format", "image_too_large", "unsupported_dimensions", "empty_file"); any other
  // failure is transient.
  virtual Result<DetectedHolds> FromPhoto(const std::filesystem::path& path) = 0;
  // Builds the wall image of the video at `video` with the climber removed (the poses of its
  // frames are `poses`), writes it to `wall_jpeg` as a JPEG and detects on it. `progress` is
  // called now and then with 0..1; returning false cancels (code "cancelled"). Failures caused by
  // the video carry their FailureCode name ("not_a_video", "corrupt_video", "no_climber_found"...).
  virtual Result<DetectedHolds> FromVideo(const std::filesystem::path& video,
                                          const domain::PoseSequence& poses,
                                          const std::filesystem::path& wall_jpeg,
                                          const std::function<bool(double)>& progress) = 0;
};

// Events of a route's detection, published on ascension.events (best effort, like job events).
class RouteEventPublisher {
 public:
  virtual ~RouteEventPublisher() = default;
  virtual Status Publish(const domain::RouteEvent& event) = 0;
};

}  // namespace ascension::ports
