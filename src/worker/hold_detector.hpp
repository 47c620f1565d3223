// The hold-detector port (ports/hold_detector.hpp) over src/vision/holds: a photo decoded by
// its content (JPEG, PNG, WebP; HEIC refused) and detected; or the wall image of an analysed
// video built from its frames and the analysis' poses (the climber removed), written as a JPEG
// and detected with the pixels no frame showed without the climber excluded.
#pragma once

#include "ports/hold_detector.hpp"
#include "vision/holds/detector.hpp"

namespace ascension::worker {

class VisionHoldDetector final : public ports::HoldDetector {
 public:
  explicit VisionHoldDetector(vision::holds::DetectorOptions options = {})
      : options_(std::move(options)) {}

  Result<ports::DetectedHolds> FromPhoto(const std::filesystem::path& path) override;
  Result<ports::DetectedHolds> FromVideo(const std::filesystem::path& video,
                                         const domain::PoseSequence& poses,
                                         const std::filesystem::path& wall_jpeg,
                                         const std::function<bool(double)>& progress) override;

 private:
  vision::holds::DetectorOptions options_;
};

// The detector's holds as the domain's route holds (origin detected; no id, role or times).
std::vector<domain::RouteHold> ToRouteHolds(const vision::holds::HoldSet& set);

}  // namespace ascension::worker
